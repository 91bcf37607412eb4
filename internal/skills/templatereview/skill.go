package templatereview

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/ingest"
	"github.com/towerops/tower/internal/knowledge"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/templateqa"
)

// Name is the skill's name.
const Name = "template-qa"

func init() { skill.Register(Skill{}) }

// Skill implements template-qa.
type Skill struct{}

var _ skill.Skill = Skill{}

// Manifest declares the skill.
func (Skill) Manifest() skill.Manifest {
	return skill.Manifest{
		Name: Name,
		Team: "marketing-ops",
		Description: "Reviews every e-mail template the way its platform renders it — syntax, merge fields, fallbacks, other platforms' code, " +
			"unsubscribe link, postal address, brand rules, links and UTM tags — and proposes the fixes as a diff.",
		Triggers:  skill.Triggers{Schedule: "0 5 * * *", Events: []string{"import:templates"}},
		Actions:   []proposal.Kind{proposal.FixTemplate, proposal.CreateTask},
		Knowledge: []string{knowledge.LayerBrand, knowledge.LayerUTM},
		Params: []skill.Param{
			{Name: "sample", Type: skill.Int, Default: 200, Min: skill.Bound(1), Max: skill.Bound(5000),
				Description: "how many recipients from the foundation each template is rendered for (plus one missing each field it uses)"},
			{Name: "esp", Type: skill.String, Default: "", Description: "only templates of this platform (braze, iterable, hubspot, ...); empty: all"},
		},
	}
}

// Run lints every template once per batch (findings do not depend on the
// agent beyond its sample size and platform filter) and drafts one
// proposal per template with findings.
func (s Skill) Run(ctx context.Context, v skill.View, batch []skill.Agent) ([]proposal.Draft, error) {
	brand, tax, err := layers(v)
	if err != nil {
		return nil, err
	}
	templates, err := Templates(ctx, v)
	if err != nil {
		return nil, err
	}
	var drafts []proposal.Draft
	for _, a := range batch {
		fields, recips, err := Audience(ctx, v, int(a.Params.Int("sample")))
		if err != nil {
			return nil, err
		}
		esp := foundation.ESP(a.Params.String("esp"))
		for _, t := range templates {
			if esp != "" && t.ESP != esp {
				continue
			}
			env := templateqa.Env{Brand: brand, UTM: tax, Fields: fields, Recipients: recips}
			env.Campaign, err = CampaignUTM(ctx, v, t.CampaignID)
			if err != nil {
				return nil, err
			}
			found, err := templateqa.Lint(ctx, t, env)
			if err != nil {
				return nil, fmt.Errorf("template %s: %w", t.ID, err)
			}
			if len(found) > 0 {
				drafts = append(drafts, Draft(a.Name, t, found))
			}
		}
	}
	return drafts, nil
}

// layers reads the brand and UTM layers, falling back to the defaults when
// the workspace has no knowledge folder loaded.
func layers(v skill.View) (*knowledge.Brand, *knowledge.UTM, error) {
	brand, tax := knowledge.DefaultBrand(), knowledge.DefaultUTM()
	b, err := v.Knowledge(knowledge.LayerBrand)
	if err != nil {
		return nil, nil, err // a broken knowledge folder is reported, never replaced by defaults
	}
	if bb, ok := b.(*knowledge.Brand); ok && bb != nil {
		brand = bb
	}
	u, err := v.Knowledge(knowledge.LayerUTM)
	if err != nil {
		return nil, nil, err
	}
	if uu, ok := u.(*knowledge.UTM); ok && uu != nil {
		tax = uu
	}
	return brand, tax, nil
}

// Templates reads every stored template, as templateqa reads them.
func Templates(ctx context.Context, r store.Reader) ([]templateqa.Template, error) {
	var out []templateqa.Template
	for off := 0; ; {
		page, err := r.TemplatesList(ctx, &store.TemplatesListParams{Page: store.Page{Limit: 500, Offset: off}})
		if err != nil {
			return nil, fmt.Errorf("read templates: %w", err)
		}
		for _, t := range page {
			out = append(out, FromStored(t))
		}
		if len(page) < 500 {
			return out, nil
		}
		off += len(page)
	}
}

// CampaignUTM is the utm_campaign a campaign's links carry: its
// utm_campaign column when the CRM has one, "" otherwise (then links are
// checked against the taxonomy's pattern only).
func CampaignUTM(ctx context.Context, r store.Reader, id string) (string, error) {
	if id == "" {
		return "", nil
	}
	d, err := r.CampaignGet(ctx, &store.CampaignGetParams{ID: id})
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read campaign %s: %w", id, err)
	}
	s, _ := d.Campaign.Traits["utm_campaign"].(string)
	return strings.TrimSpace(s), nil
}

// FromStored is a stored template as templateqa reads it. The store keeps
// the body without its front matter; the import records the file lines of
// the body and the subject, so findings point into the file. Templates
// stored without them count lines from the body's first line.
func FromStored(t foundation.Template) templateqa.Template {
	q := templateqa.Template{ID: t.ID, Path: t.Path, ESP: t.ESP, Dialect: t.Dialect, Subject: t.Subject, Body: t.Body,
		CampaignID: t.CampaignID, Segment: t.Segment, BodyLine: 1}
	if q.Path == "" {
		q.Path = t.ID
	}
	if n, ok := traitInt(t.Traits[ingest.BodyLineTrait]); ok && n > 0 {
		q.BodyLine = n
	}
	if n, ok := traitInt(t.Traits[ingest.SubjectLineTrait]); ok && n > 0 {
		q.SubjectLine = n
	}
	if n, ok := traitInt(t.Traits[ingest.SubjectColTrait]); ok && n > 0 {
		q.SubjectCol = n
	}
	return q
}

// fingerprint names a template's current text, so a re-run on an
// unchanged template does not propose again and a changed one does.
func fingerprint(t templateqa.Template) string {
	h := sha256.Sum256([]byte(t.Subject + "\x00" + t.Body))
	return hex.EncodeToString(h[:6])
}

// traitInt reads a whole number from a trait, which is an int64 before
// the store round trip and a float64 after it.
func traitInt(v any) (int, bool) {
	switch n := v.(type) {
	case int64:
		return int(n), true
	case float64:
		return int(n), n == float64(int(n))
	case int:
		return n, true
	}
	return 0, false
}
