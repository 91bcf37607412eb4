package campaignwatch

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
const Name = "campaign-watch"

func init() { skill.Register(Skill{}) }

// Skill implements campaign-watch.
type Skill struct{}

var _ skill.Skill = Skill{}

// Manifest declares the skill.
func (Skill) Manifest() skill.Manifest {
	channels := make([]string, len(foundation.CampaignChannels))
	for i, c := range foundation.CampaignChannels {
		channels[i] = string(c)
	}
	return skill.Manifest{
		Name: Name,
		Team: "marketing-ops",
		Description: "Watches every campaign's daily figures against its own history and its peers, flags a campaign the day a metric drops, " +
			"halts one whose complaints or unsubscribes cross the mailbox providers' limits, and proposes pausing, shifting budget or resuming.",
		Triggers: skill.Triggers{Schedule: "0 7 * * *", Events: []string{"import:campaign_days"}},
		Actions:  []proposal.Kind{proposal.Notify, proposal.PauseCampaign, proposal.ResumeCampaign, proposal.ShiftBudget},
		Params: []skill.Param{
			{Name: "channels", Type: skill.String, Default: "", List: true, Enum: channels, Description: "watch only these channels' campaigns, comma-separated (email, paid_search, ...; empty: every channel)"},
			{Name: "z", Type: skill.Float, Default: DefaultScan.Z, Min: skill.Bound(3), Max: skill.Bound(10),
				Description: "how many standard errors a change must be before it is flagged"},
			{Name: "min_change", Type: skill.Float, Default: DefaultScan.MinChange, Min: skill.Bound(0.05), Max: skill.Bound(0.9),
				Description: "the smallest relative change worth flagging (0.2 = 20%)"},
			{Name: "complaint_limit", Type: skill.Float, Default: DefaultLimits.ComplaintHalt, Min: skill.Bound(0.0005), Max: skill.Bound(0.05),
				Description: "halt a campaign whose spam-complaint rate is over this (0.003 = 0.3%, the Gmail and Yahoo enforcement line)"},
			{Name: "unsubscribe_limit", Type: skill.Float, Default: DefaultLimits.UnsubscribeHalt, Min: skill.Bound(0.001), Max: skill.Bound(0.2),
				Description: "halt a campaign whose unsubscribe rate is over this (0.01 = 1%)"},
			{Name: "bounce_limit", Type: skill.Float, Default: DefaultLimits.BounceHalt, Min: skill.Bound(0.005), Max: skill.Bound(0.5),
				Description: "halt a campaign whose hard-bounce rate is over this (0.05 = 5%)"},
		},
	}
}

// Run watches the campaigns of every agent of the batch.
func (s Skill) Run(ctx context.Context, v skill.View, batch []skill.Agent) ([]proposal.Draft, error) {
	all, err := load(ctx, v, v.Now())
	if err != nil {
		return nil, err
	}
	var drafts []proposal.Draft
	for _, a := range batch {
		cfg := DefaultScan
		cfg.Z, cfg.MinChange = a.Params.Float("z"), a.Params.Float("min_change")
		lim := DefaultLimits
		lim.ComplaintHalt = a.Params.Float("complaint_limit")
		lim.UnsubscribeHalt = a.Params.Float("unsubscribe_limit")
		lim.BounceHalt = a.Params.Float("bounce_limit")
		lim.ComplaintWarn = min(lim.ComplaintWarn, lim.ComplaintHalt)
		lim.UnsubscribeWarn = min(lim.UnsubscribeWarn, lim.UnsubscribeHalt)
		lim.BounceWarn = min(lim.BounceWarn, lim.BounceHalt)
		var channels []foundation.CampaignChannel
		for _, c := range a.Params.List("channels") {
			channels = append(channels, foundation.CampaignChannel(c))
		}
		mine := all.scoped(a.Scope, channels)
		for _, w := range mine {
			drafts = append(drafts, Watch(w, all, v.Now(), cfg, lim).Drafts(a.Name)...)
		}
	}
	return drafts, nil
}

// Watched is one campaign with its daily totals up to now.
type Watched struct {
	Campaign foundation.Campaign
	Days     []foundation.CampaignDay
}

// live says the campaign had figures on one of the last two days before
// now: an ended campaign is history, not something to act on.
func (w *Watched) live(now time.Time) bool {
	if len(w.Days) == 0 {
		return false
	}
	last := w.Days[len(w.Days)-1].Date
	return !last.Before(dayOf(now).AddDate(0, 0, -2))
}

func dayOf(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// Fleet is every campaign with figures, for peer comparisons.
type Fleet []*Watched

// load reads every campaign and its days up to now.
func load(ctx context.Context, r store.Reader, now time.Time) (Fleet, error) {
	var out Fleet
	for off := 0; ; off += 500 {
		cs, err := r.CampaignsList(ctx, &store.CampaignsListParams{Page: store.Page{Limit: 500, Offset: off}})
		if err != nil {
			return nil, fmt.Errorf("campaign-watch: list campaigns: %w", err)
		}
		for _, c := range cs {
			days, err := campaignDays(ctx, r, c.ID, now)
			if err != nil {
				return nil, err
			}
			out = append(out, &Watched{Campaign: c.Campaign, Days: dailyTotals(days)})
		}
		if len(cs) < 500 {
			return out, nil
		}
	}
}

func campaignDays(ctx context.Context, r store.Reader, id string, now time.Time) ([]foundation.CampaignDay, error) {
	var out []foundation.CampaignDay
	for off := 0; ; off += 1000 {
		ds, err := r.CampaignDaysList(ctx, &store.CampaignDaysListParams{CampaignID: id, To: now, Page: store.Page{Limit: 1000, Offset: off}})
		if err != nil {
			return nil, fmt.Errorf("campaign-watch: days of %s: %w", id, err)
		}
		out = append(out, ds...)
		if len(ds) < 1000 {
			return out, nil
		}
	}
}

// scoped keeps the campaigns an agent watches: its scope's campaigns
// (scope kind "campaign") on its channels, if it names any.
func (f Fleet) scoped(scope store.Scope, channels []foundation.CampaignChannel) Fleet {
	var out Fleet
	for _, w := range f {
		if len(channels) > 0 && !slices.Contains(channels, w.Campaign.Channel) {
			continue
		}
		if scope.Kind == "campaign" && !slices.Contains(scope.Values, w.Campaign.ID) {
			continue
		}
		out = append(out, w)
	}
	return out
}
