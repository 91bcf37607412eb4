package campaignwatch

import (
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

var day0 = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC) // a Monday

// steady builds a campaign with n days of figures: sends a day, a click
// rate, complaints per day, and a click rate multiplied by factor from
// day dropAt on (-1: never).
func steady(id string, ch foundation.CampaignChannel, n int, sends int64, click float64, complaints int64, dropAt int, factor float64) *Watched {
	w := &Watched{Campaign: foundation.Campaign{ID: id, Name: "Campaign " + id, Channel: ch, OwnerID: "own-1", Budget: 100000, Status: store.CampaignActive}}
	for i := 0; i < n; i++ {
		c := click
		if dropAt >= 0 && i >= dropAt {
			c *= factor
		}
		clicks := int64(float64(sends) * c)
		w.Days = append(w.Days, foundation.CampaignDay{CampaignID: id, Date: day0.AddDate(0, 0, i), Sends: sends, Delivered: sends,
			Opens: sends / 4, Clicks: clicks, Conversions: clicks / 10, Spend: float64(clicks) * 2, Complaints: complaints, Unsubscribes: sends / 500})
	}
	return w
}

func nowAfter(w *Watched) time.Time {
	return w.Days[len(w.Days)-1].Date.Add(24*time.Hour - time.Second)
}

func kinds(d proposal.Draft) []proposal.Kind {
	var out []proposal.Kind
	for _, a := range d.Actions {
		out = append(out, a.Kind)
	}
	return out
}

func TestAComplaintSurgeIsHaltedWithItsLimitNamed(t *testing.T) {
	w := steady("c1", "email", 30, 4000, 0.03, 0, -1, 1)
	w.Days[29].Complaints = 30 // 0.75%
	rep := Watch(w, Fleet{w}, nowAfter(w), DefaultScan, DefaultLimits)
	drafts := rep.Drafts("watch")
	if len(drafts) != 1 || !strings.HasSuffix(drafts[0].Key, ":halt") {
		t.Fatalf("drafts %+v", drafts)
	}
	pause := drafts[0].Actions[0]
	if pause.Kind != proposal.PauseCampaign || pause.Param("hard_limit") != "complaint_rate" || kinds(drafts[0])[1] != proposal.Notify {
		t.Fatalf("halt actions %+v", drafts[0].Actions)
	}
	if err := drafts[0].Validate(); err != nil {
		t.Fatal(err)
	}
	// Already paused: nothing more to halt.
	w.Campaign.Status = store.CampaignPaused
	if d := Watch(w, Fleet{w}, nowAfter(w), DefaultScan, DefaultLimits).Drafts("watch"); len(d) != 0 {
		t.Fatalf("paused campaign drafts %+v", d)
	}
}

func TestOneComplaintOnASmallSendIsNotASurge(t *testing.T) {
	w := steady("c1", "sales_sequence", 30, 40, 0.03, 0, -1, 1)
	w.Days[29].Complaints = 1 // 2.5% of 40, but one complaint
	if d := Watch(w, Fleet{w}, nowAfter(w), DefaultScan, DefaultLimits).Drafts("watch"); len(d) != 0 {
		t.Fatalf("drafts %+v", d)
	}
}

func TestAWarningLineTellsTheOwnerOnly(t *testing.T) {
	w := steady("c1", "email", 30, 10000, 0.03, 0, -1, 1)
	w.Days[28].Complaints, w.Days[29].Complaints = 20, 20 // 0.2%: over 0.1%, under 0.3%
	d := Watch(w, Fleet{w}, nowAfter(w), DefaultScan, DefaultLimits).Drafts("watch")
	if len(d) != 1 || !strings.Contains(d[0].Key, ":warn:complaint_rate") || len(d[0].Actions) != 1 || d[0].Actions[0].Kind != proposal.Notify {
		t.Fatalf("drafts %+v", d)
	}
}

func TestADropIsAlertedAndAPauseProposed(t *testing.T) {
	w := steady("c1", "email", 40, 20000, 0.03, 0, 38, 0.5)
	rep := Watch(w, Fleet{w}, nowAfter(w), DefaultScan, DefaultLimits)
	if len(rep.Findings) == 0 || rep.Findings[0].Metric.Name != "click_rate" || !rep.Findings[0].Change.Start.Equal(w.Days[38].Date) {
		t.Fatalf("findings %+v", rep.Findings)
	}
	d := rep.Drafts("watch")
	if len(d) != 2 || !strings.Contains(d[0].Key, ":alert:click_rate") || d[1].Actions[0].Kind != proposal.PauseCampaign || d[1].Actions[0].Param("hard_limit") != "" {
		t.Fatalf("drafts %+v", d)
	}
	for _, x := range d {
		if err := x.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	if f := rep.Findings[0]; f.Own.ProbWorse < 0.99 || f.Own.High >= 0 {
		t.Errorf("own comparison %+v", f.Own)
	}
	var names []string
	for _, s := range d[0].Evidence.Series {
		names = append(names, s.Name)
	}
	if want := "click-through rate,click-through rate baseline low,click-through rate baseline high"; strings.Join(names, ",") != want {
		t.Errorf("series %v, want %s", names, want)
	}
	if f := d[0].Evidence.Facts[1]; f.Name != "change point" || f.Value != w.Days[38].Date.Format(time.DateOnly) {
		t.Errorf("change point fact %+v", f)
	}
}

func TestAPaidDropMovesBudgetToTheBestPeer(t *testing.T) {
	w := steady("c1", "paid_search", 40, 20000, 0.03, 0, 38, 0.5)
	better := steady("c2", "paid_search", 40, 20000, 0.04, 0, -1, 1)
	for i := range better.Days {
		better.Days[i].Conversions = better.Days[i].Clicks / 5 // more conversions per dollar
	}
	better.Campaign.EndDate = day0.AddDate(0, 3, 0)
	rep := Watch(w, Fleet{w, better}, nowAfter(w), DefaultScan, DefaultLimits)
	d := rep.Drafts("watch")
	if len(d) != 2 || d[1].Actions[0].Kind != proposal.ShiftBudget || d[1].Actions[0].Targets[1].ID != "c2" {
		t.Fatalf("drafts %+v", d)
	}
	if amt, _ := d[1].Actions[0].Number("amount"); amt <= 0 || amt > w.Campaign.Budget/2 {
		t.Errorf("amount %v", amt)
	}
}

func TestAChannelWideDropIsNotPaused(t *testing.T) {
	fleet := Fleet{}
	for _, id := range []string{"c1", "c2", "c3", "c4"} {
		fleet = append(fleet, steady(id, "email", 40, 20000, 0.03, 0, 38, 0.5))
	}
	d := Watch(fleet[0], fleet, nowAfter(fleet[0]), DefaultScan, DefaultLimits).Drafts("watch")
	if len(d) != 1 || d[0].Actions[0].Kind != proposal.Notify || !strings.Contains(d[0].Rationale, "outside this campaign") {
		t.Fatalf("drafts %+v", d)
	}
}

func TestAnEndedCampaignIsHistory(t *testing.T) {
	w := steady("c1", "email", 40, 20000, 0.03, 100, 38, 0.5)
	if d := Watch(w, Fleet{w}, nowAfter(w).AddDate(0, 0, 5), DefaultScan, DefaultLimits).Drafts("watch"); len(d) != 0 {
		t.Fatalf("drafts %+v", d)
	}
}

func TestAPausedCampaignBackToNormalIsProposedForResume(t *testing.T) {
	w := steady("c1", "email", 40, 20000, 0.03, 0, -1, 1)
	w.Campaign.Status = store.CampaignPaused
	d := Watch(w, Fleet{w}, nowAfter(w), DefaultScan, DefaultLimits).Drafts("watch")
	if len(d) != 1 || d[0].Actions[0].Kind != proposal.ResumeCampaign {
		t.Fatalf("drafts %+v", d)
	}
}

func TestVariantsAreWatchedAsOneCampaign(t *testing.T) {
	days := []foundation.CampaignDay{
		{Date: day0, Variant: "A", Sends: 10, Clicks: 1}, {Date: day0, Variant: "B", Sends: 20, Clicks: 3},
		{Date: day0.AddDate(0, 0, 1), Variant: "", Sends: 50, Clicks: 5}, {Date: day0.AddDate(0, 0, 1), Variant: "A", Sends: 25, Clicks: 2},
	}
	got := dailyTotals(days)
	if len(got) != 2 || got[0].Sends != 30 || got[0].Clicks != 4 || got[1].Sends != 50 {
		t.Fatalf("totals %+v", got)
	}
}

func TestChannelsParameter(t *testing.T) {
	m := Skill{}.Manifest()
	if _, err := m.Resolve(map[string]any{"channels": "email,fax"}); err == nil || !strings.Contains(err.Error(), `"fax" is not one of email`) {
		t.Fatalf("an unknown channel: %v", err)
	}
	params, err := m.Resolve(map[string]any{"channels": " paid_search, display ,"})
	if err != nil {
		t.Fatal(err)
	}
	var got []foundation.CampaignChannel
	for _, c := range params.List("channels") {
		got = append(got, foundation.CampaignChannel(c))
	}
	f := Fleet{steady("c1", "email", 3, 10, 0.1, 0, -1, 1), steady("c2", "display", 3, 10, 0.1, 0, -1, 1)}
	if s := f.scoped(store.Scope{}, got); len(s) != 1 || s[0].Campaign.ID != "c2" {
		t.Fatalf("scoped to paid_search and display: %d campaigns", len(s))
	}
	if s := f.scoped(store.Scope{Kind: "campaign", Values: []string{"c1"}}, nil); len(s) != 1 || s[0].Campaign.ID != "c1" {
		t.Fatalf("scoped to campaign c1: %d campaigns", len(s))
	}
}
