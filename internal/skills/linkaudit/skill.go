package linkaudit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/towerops/tower/internal/knowledge"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
)

// Name is the skill's name.
const Name = "link-audit"

func init() { skill.Register(Skill{}) }

// Skill implements link-audit.
type Skill struct{}

var _ skill.Skill = Skill{}

// Manifest declares the skill.
func (Skill) Manifest() skill.Manifest {
	return skill.Manifest{
		Name: Name,
		Team: "marketing-ops",
		Description: "Checks every campaign's landing link against the UTM taxonomy (required parameters, allowed sources and mediums, " +
			"campaign naming, lower case) and proposes the correctly tagged URL.",
		Triggers:  skill.Triggers{Schedule: "30 5 * * *", Events: []string{"import:campaigns"}},
		Actions:   []proposal.Kind{proposal.UpdateField, proposal.CreateTask},
		Knowledge: []string{knowledge.LayerUTM},
		Params: []skill.Param{
			{Name: "field", Type: skill.String, Default: DefaultField, Description: "the campaign column holding the landing link"},
		},
	}
}

// Run audits the links once per agent's field and drafts one proposal per
// campaign whose link breaks the taxonomy.
func (Skill) Run(ctx context.Context, v skill.View, batch []skill.Agent) ([]proposal.Draft, error) {
	tax := knowledge.DefaultUTM()
	u, err := v.Knowledge(knowledge.LayerUTM)
	if err != nil {
		return nil, err // a broken knowledge folder is reported, never replaced by defaults
	}
	if uu, ok := u.(*knowledge.UTM); ok && uu != nil {
		tax = uu
	}
	var drafts []proposal.Draft
	for _, a := range batch {
		field := a.Params.String("field")
		links, err := Campaigns(ctx, v, tax, field)
		if err != nil {
			return nil, err
		}
		for _, l := range links {
			drafts = append(drafts, draft(a.Name, field, l))
		}
	}
	return drafts, nil
}

func draft(agent, field string, l CampaignLink) proposal.Draft {
	target := proposal.Target{Type: proposal.TargetCampaign, ID: l.CampaignID, Label: l.Name}
	facts := []proposal.Fact{{Name: "landing link", Value: l.URL, Source: "campaign " + field}}
	var reasons []string
	for _, p := range l.Problems {
		facts = append(facts, proposal.Fact{Name: p.Rule, Value: p.Message})
		reasons = append(reasons, p.Message)
	}
	d := proposal.Draft{
		Agent:      agent,
		Title:      fmt.Sprintf("Fix the UTM tags of %s's landing link", l.Name),
		Confidence: 0.9,
		Key:        "campaign-link:" + l.CampaignID + ":" + short(l.URL),
		TTL:        7 * 24 * time.Hour,
		ExpectedValue: proposal.Value{HoursSaved: 0.25, Assumptions: []string{
			"15 minutes to spot a mistagged link in analytics and fix it in the campaign by hand; " +
				"traffic through a mistagged link lands in the wrong channel in GA4 until then"}},
	}
	if l.Tagged != "" {
		facts = append(facts, proposal.Fact{Name: "correctly tagged link", Value: l.Tagged})
		d.Rationale = fmt.Sprintf("The landing link of %s breaks the UTM taxonomy: %s. Visits through it are credited to the wrong source, "+
			"medium or campaign. The proposed link keeps the page and every other parameter and sets the tags the taxonomy requires.",
			l.Name, strings.Join(reasons, "; "))
		d.Actions = []proposal.Action{{Kind: proposal.UpdateField, Targets: []proposal.Target{target},
			Params: map[string]any{"field": "traits." + field, "value": l.Tagged}}}
	} else {
		d.Confidence = 0.7
		d.Rationale = fmt.Sprintf("The landing link of %s is wrong (%s) and Tower cannot correct it on its own (%s).",
			l.Name, strings.Join(reasons, "; "), l.TagError)
		d.Actions = []proposal.Action{{Kind: proposal.CreateTask, Targets: []proposal.Target{target},
			Params: map[string]any{"title": "Fix the landing link of " + l.Name, "note": l.URL + "\n" + strings.Join(reasons, "\n")}}}
	}
	d.Evidence = proposal.Evidence{Facts: facts}
	return d
}

// short names a link's text, so the same broken link is proposed once and
// an edited one again.
func short(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:6])
}
