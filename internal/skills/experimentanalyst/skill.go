package experimentanalyst

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
)

// Name is the skill's name.
const Name = "experiment-analyst"

func init() { skill.Register(Skill{}) }

// Skill implements experiment-analyst.
type Skill struct{}

var _ skill.Skill = Skill{}

// Manifest declares the skill.
func (Skill) Manifest() skill.Manifest {
	return skill.Manifest{
		Name: Name,
		Team: "growth",
		Description: "Judges campaigns running A/B tests every day with an always-valid sequential test (peeking does not inflate false winners), " +
			"and proposes sending all traffic to a winner, dropping a loser, or ending a test that shows no difference.",
		Triggers: skill.Triggers{Schedule: "30 6 * * *", Events: []string{"import:campaign_days"}},
		Actions:  []proposal.Kind{proposal.UpdateField, proposal.Notify},
		Params: []skill.Param{
			{Name: "alpha", Type: skill.Float, Default: 0.05, Min: skill.Bound(0.001), Max: skill.Bound(0.2),
				Description: "the chance, at most, that a test with no real difference ever gets a winner, however often it is looked at"},
			{Name: "min_lift", Type: skill.Float, Default: 0.1, Min: skill.Bound(0.01), Max: skill.Bound(1),
				Description: "the smallest relative lift worth acting on (0.1 = 10%); a test at max_days ends as 'no difference' only when it rules out a lift this large"},
			{Name: "max_days", Type: skill.Int, Default: 42, Min: skill.Bound(7), Max: skill.Bound(365),
				Description: "days after which an undecided test is ended"},
			{Name: "mixing_lift", Type: skill.Float, Default: 0.2, Min: skill.Bound(0.01), Max: skill.Bound(2),
				Description: "the size of lift the test is tuned to find fastest (0.2 = 20%); any value keeps the error guarantee"},
		},
		Scopes: []string{"campaign"},
	}
}

// Run judges every campaign with variants in each agent's scope, as of
// the view's now.
func (s Skill) Run(ctx context.Context, v skill.View, batch []skill.Agent) ([]proposal.Draft, error) {
	tests, err := campaignsWithVariants(ctx, v)
	if err != nil {
		return nil, err
	}
	now := v.Now()
	var drafts []proposal.Draft
	for _, a := range batch {
		opt := Options{Alpha: a.Params.Float("alpha"), MinLift: a.Params.Float("min_lift"),
			MixingLift: a.Params.Float("mixing_lift"), MaxDays: int(a.Params.Int("max_days"))}
		for _, c := range tests {
			if a.Scope.Kind == "campaign" && !slices.Contains(a.Scope.Values, c.ID) {
				continue
			}
			if !c.EndDate.IsZero() && c.EndDate.Before(day(now)) {
				continue // over: there is no traffic left to move
			}
			days, err := campaignDays(ctx, v, c.ID)
			if err != nil {
				return nil, err
			}
			verdict, err := Judge(days, now, opt)
			if err != nil {
				continue // variants not yet in the data as of now
			}
			if d, ok := Draft(a.Name, c.Campaign, verdict, opt, now); ok {
				drafts = append(drafts, d)
			}
		}
	}
	return drafts, nil
}

// campaignsWithVariants lists the campaigns whose daily metrics name two
// or more variants.
func campaignsWithVariants(ctx context.Context, r store.Reader) ([]store.CampaignSummary, error) {
	const page = 500
	var out []store.CampaignSummary
	for off := 0; ; off += page {
		cs, err := r.CampaignsList(ctx, &store.CampaignsListParams{Page: store.Page{Limit: page, Offset: off}})
		if err != nil {
			return nil, fmt.Errorf("list campaigns: %w", err)
		}
		for _, c := range cs {
			if len(c.Variants) >= 2 {
				out = append(out, c)
			}
		}
		if len(cs) < page {
			return out, nil
		}
	}
}

// campaignDays reads all of a campaign's daily rows up to the view's now.
func campaignDays(ctx context.Context, r store.Reader, id string) ([]foundation.CampaignDay, error) {
	const page = 1000
	var out []foundation.CampaignDay
	for off := 0; ; off += page {
		ds, err := r.CampaignDaysList(ctx, &store.CampaignDaysListParams{CampaignID: id, Page: store.Page{Limit: page, Offset: off}})
		if err != nil {
			return nil, fmt.Errorf("read daily metrics of campaign %s: %w", id, err)
		}
		out = append(out, ds...)
		if len(ds) < page {
			return out, nil
		}
	}
}

func day(t time.Time) time.Time { return t.UTC().Truncate(24 * time.Hour) }
