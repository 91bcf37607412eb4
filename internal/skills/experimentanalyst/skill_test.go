package experimentanalyst

import (
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/proposal"
)

var start = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

// arm is one variant's fixed daily figures.
type arm struct {
	name                        string
	delivered, clicks, converts int64
}

func days(n int, arms ...arm) []foundation.CampaignDay {
	var out []foundation.CampaignDay
	for d := range n {
		for _, a := range arms {
			out = append(out, foundation.CampaignDay{CampaignID: "c1", Date: start.AddDate(0, 0, d), Variant: a.name,
				Sends: a.delivered, Delivered: a.delivered, Clicks: a.clicks, Conversions: a.converts})
		}
		// A whole-campaign row must be ignored.
		out = append(out, foundation.CampaignDay{CampaignID: "c1", Date: start.AddDate(0, 0, d), Delivered: 1, Clicks: 1})
	}
	return out
}

var defaults = Options{Alpha: 0.05, MinLift: 0.1, MixingLift: 0.2, MaxDays: 42}

var campaign = foundation.Campaign{ID: "c1", Name: "Spring newsletter", OwnerID: "o-7", EndDate: start.AddDate(0, 0, 40)}

func TestWinnerOnClickRate(t *testing.T) {
	ds := days(20, arm{"A", 3000, 90, 6}, arm{"B", 3000, 120, 8})
	now := start.AddDate(0, 0, 19)
	v, err := Judge(ds, now, defaults)
	if err != nil {
		t.Fatal(err)
	}
	if v.Decision != Winner || v.Winner != "B" || v.Metric.Name != ClickRate.Name {
		t.Fatalf("got %s %q on %s, want winner B on click rate", v.Decision, v.Winner, v.Metric.Name)
	}
	if v.DecidedDay < 1 || v.DecidedDay > 20 || v.DaysRun != 20 {
		t.Errorf("decided on day %d of %d", v.DecidedDay, v.DaysRun)
	}
	d, ok := Draft("experiments", campaign, v, defaults, now)
	if !ok {
		t.Fatal("no proposal for a winner")
	}
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	if d.Key != "experiment:c1:winner" {
		t.Errorf("key %q", d.Key)
	}
	if a := d.Actions[0]; a.Kind != proposal.UpdateField || a.Param("field") != "traits.traffic_split" || a.Param("value") != "B=100" ||
		a.Targets[0] != (proposal.Target{Type: proposal.TargetCampaign, ID: "c1", Label: "Spring newsletter"}) {
		t.Errorf("first action %+v", a)
	}
	if a := d.Actions[1]; a.Kind != proposal.Notify || a.Param("to") != "o-7" {
		t.Errorf("second action %+v", a)
	}
	if len(d.Evidence.Series) != 2 || len(d.Evidence.Series[0].Points) != 20 {
		t.Errorf("series %+v", d.Evidence.Series)
	}
	// 3,000 a day move from A (3%) to B (4%) for the 20 days left; the
	// clicks convert at 14/210.
	want := 3000 * 0.01 * (14.0 / 210) * 21
	if got := d.ExpectedValue.Conversions; got < want-0.5 || got > want+0.5 {
		t.Errorf("expected value %v conversions, want about %v", got, want)
	}
	if !hasFact(d, "always-valid p-value, B against A") || !hasFact(d, "A: delivered") {
		t.Errorf("missing facts: %+v", d.Evidence.Facts)
	}
}

func TestWinnerOnConversionRate(t *testing.T) {
	ds := days(20, arm{"A", 4000, 120, 8}, arm{"B", 4000, 120, 14})
	v, err := Judge(ds, start.AddDate(0, 0, 19), defaults)
	if err != nil {
		t.Fatal(err)
	}
	if v.Decision != Winner || v.Winner != "B" || v.Metric.Name != ConversionRate.Name {
		t.Fatalf("got %s %q on %s, want winner B on conversion rate", v.Decision, v.Winner, v.Metric.Name)
	}
}

// A variant that wins on clicks but loses on conversions is a trade-off:
// only a note, no traffic moved.
func TestTradeOffIsOnlyANote(t *testing.T) {
	ds := days(20, arm{"A", 4000, 120, 14}, arm{"B", 4000, 170, 8})
	now := start.AddDate(0, 0, 19)
	v, err := Judge(ds, now, defaults)
	if err != nil {
		t.Fatal(err)
	}
	if v.Decision != Mixed {
		t.Fatalf("got %s %q, want mixed", v.Decision, v.Winner)
	}
	d, _ := Draft("experiments", campaign, v, defaults, now)
	if len(d.Actions) != 1 || d.Actions[0].Kind != proposal.Notify || d.Key != "experiment:c1:mixed" {
		t.Errorf("got %+v", d.Actions)
	}
}

func TestNoDifferenceAtMaximumEndsTheTest(t *testing.T) {
	opt := defaults
	opt.MaxDays = 10
	ds := days(12, arm{"A", 40000, 1200, 300}, arm{"B", 40000, 1200, 300})
	v, err := Judge(ds, start.AddDate(0, 0, 8), opt)
	if err != nil {
		t.Fatal(err)
	}
	if v.Decision != Continue {
		t.Fatalf("day 9 of 10: got %s, want continue", v.Decision)
	}
	if _, ok := Draft("experiments", campaign, v, opt, start); ok {
		t.Error("a proposal for an undecided test")
	}
	now := start.AddDate(0, 0, 9)
	v, _ = Judge(ds, now, opt)
	if v.Decision != NoDifference {
		t.Fatalf("day 10 of 10: got %s, want no_difference", v.Decision)
	}
	d, _ := Draft("experiments", campaign, v, opt, now)
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	if a := d.Actions[0]; a.Param("field") != "traits.ab_test" || a.Param("value") != "ended" || d.Key != "experiment:c1:no_difference" {
		t.Errorf("got %+v key %s", a, d.Key)
	}

	// Little data at the maximum: inconclusive, also ended.
	v, _ = Judge(days(12, arm{"A", 800, 24, 2}, arm{"B", 800, 24, 2}), now, opt)
	if v.Decision != Inconclusive {
		t.Errorf("got %s, want inconclusive", v.Decision)
	}
}

func TestThreeArmsLoser(t *testing.T) {
	ds := days(30, arm{"A", 2000, 60, 5}, arm{"B", 2000, 30, 3}, arm{"C", 2000, 64, 5})
	now := start.AddDate(0, 0, 29)
	v, err := Judge(ds, now, defaults)
	if err != nil {
		t.Fatal(err)
	}
	if v.Decision != Loser || strings.Join(v.Losers, ",") != "B" {
		t.Fatalf("got %s losers %v, want loser B", v.Decision, v.Losers)
	}
	d, _ := Draft("experiments", campaign, v, defaults, now)
	if d.Actions[0].Param("value") != "A=50,C=50" || d.Key != "experiment:c1:loser:B" {
		t.Errorf("got %+v key %s", d.Actions[0].Params, d.Key)
	}
}

func TestJudgeIgnoresTheFutureAndNeedsVariants(t *testing.T) {
	ds := days(20, arm{"A", 3000, 90, 6}, arm{"B", 3000, 120, 8})
	v, err := Judge(ds, start.AddDate(0, 0, 1), defaults)
	if err != nil {
		t.Fatal(err)
	}
	if v.DaysRun != 2 || v.Decision != Continue {
		t.Errorf("as of day 2: %d days run, %s", v.DaysRun, v.Decision)
	}
	if _, err := Judge(days(5, arm{"A", 100, 5, 1}), start.AddDate(0, 0, 10), defaults); err == nil {
		t.Error("one variant judged as a test")
	}
}

func TestManifest(t *testing.T) {
	m := Skill{}.Manifest()
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	p, err := m.Resolve(map[string]any{"alpha": "0.01", "max_days": 28})
	if err != nil {
		t.Fatal(err)
	}
	if p.Float("alpha") != 0.01 || p.Int("max_days") != 28 || p.Float("min_lift") != 0.1 {
		t.Errorf("params %v", p)
	}
	if _, err := m.Resolve(map[string]any{"alpha": 0.5}); err == nil {
		t.Error("alpha 0.5 accepted")
	}
}

func hasFact(d proposal.Draft, name string) bool {
	for _, f := range d.Evidence.Facts {
		if f.Name == name {
			return true
		}
	}
	return false
}
