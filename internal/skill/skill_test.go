package skill

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/sqlite"
)

var testManifest = Manifest{
	Name: "test-skill", Team: "ops", Actions: []proposal.Kind{proposal.Tag}, Scopes: []string{"region"},
	Params: []Param{
		{Name: "days", Type: Int, Default: 30, Min: Bound(1), Max: Bound(365)},
		{Name: "ratio", Type: Float, Default: 0.5},
		{Name: "tag", Type: String, Default: "x", Enum: []string{"x", "y"}},
		{Name: "strict", Type: Bool, Default: false},
		{Name: "window", Type: Duration, Default: "7d"},
	},
}

func TestResolveAppliesDefaultsAndOverrides(t *testing.T) {
	p, err := testManifest.Resolve(map[string]any{"days": "90", "strict": true, "window": "12h", "ratio": int64(2)})
	if err != nil {
		t.Fatal(err)
	}
	if p.Int("days") != 90 || !p.Bool("strict") || p.Duration("window") != 12*time.Hour || p.Float("ratio") != 2 || p.String("tag") != "x" {
		t.Errorf("resolved %v", p)
	}
	for over, want := range map[string]string{
		"days=0":     "below the minimum 1",
		"days=1.5":   "whole number",
		"tag=z":      `"z" is not one of x, y`,
		"window=abc": "duration",
		"nope=1":     `"nope": skill test-skill has no such parameter`,
	} {
		k, v, _ := strings.Cut(over, "=")
		_, err := testManifest.Resolve(map[string]any{k: v})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", over, err, want)
		}
	}
}

func TestManifestValidate(t *testing.T) {
	if err := testManifest.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := testManifest
	bad.Name = "Bad Name"
	if bad.Validate() == nil {
		t.Error("accepted a bad name")
	}
	bad = testManifest
	bad.Actions = []proposal.Kind{"explode"}
	if bad.Validate() == nil {
		t.Error("accepted an unknown action kind")
	}
	bad = testManifest
	bad.Triggers.Schedule = "61 * * * *"
	if bad.Validate() == nil {
		t.Error("accepted a bad schedule")
	}
	if err := testManifest.CheckScope("campaign", []string{"C-1"}); err == nil {
		t.Error("accepted a scope the skill does not understand")
	}
	if err := testManifest.CheckScope("region", nil); err == nil {
		t.Error("accepted a region scope without regions")
	}
}

func TestScheduleNext(t *testing.T) {
	at := func(s string) time.Time { v, _ := time.Parse("2006-01-02 15:04", s); return v }
	cases := []struct{ expr, from, want string }{
		{"0 6 * * 1", "2026-11-21 10:00", "2026-11-23 06:00"}, // Saturday → Monday 06:00
		{"*/15 * * * *", "2026-11-21 10:07", "2026-11-21 10:15"},
		{"@daily", "2026-12-31 23:59", "2027-01-01 00:00"},
		{"30 9 1,15 * *", "2026-11-15 09:30", "2026-12-01 09:30"},
		{"0 0 * * 7", "2026-11-21 00:00", "2026-11-22 00:00"}, // 7 is Sunday
		{"0 12 29 2 *", "2026-03-01 00:00", "2028-02-29 12:00"},
	}
	for _, c := range cases {
		s, err := ParseSchedule(c.expr)
		if err != nil {
			t.Fatalf("%s: %v", c.expr, err)
		}
		if got := s.Next(at(c.from)); !got.Equal(at(c.want)) {
			t.Errorf("%s after %s = %s, want %s", c.expr, c.from, got.Format("2006-01-02 15:04"), c.want)
		}
	}
	for _, bad := range []string{"* * * *", "60 * * * *", "* 24 * * *", "*/0 * * * *", "a * * * *"} {
		if _, err := ParseSchedule(bad); err == nil {
			t.Errorf("ParseSchedule(%q) accepted", bad)
		}
	}
}

// TestViewIsReadOnlyAndCutAtNow checks a skill cannot reach the store's
// writes through its view and sees no dated fact after the view's now.
func TestViewIsReadOnlyAndCutAtNow(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := st.RecordsUpsert(ctx, &store.RecordsUpsertParams{Records: []foundation.Record{{System: "crm", SystemID: "1", Email: "a@x.com"}}}); err != nil {
		t.Fatal(err)
	}
	day := func(d int) time.Time { return time.Date(2026, 1, d, 12, 0, 0, 0, time.UTC) }
	facts := []foundation.Consent{
		{System: "crm", SystemID: "1", Email: "a@x.com", Channel: foundation.ChannelEmail, Status: foundation.StatusSubscribed, At: day(1)},
		{System: "crm", SystemID: "1", Email: "a@x.com", Channel: foundation.ChannelEmail, Status: foundation.StatusUnsubscribed, At: day(20)},
	}
	if _, err := st.ConsentUpsert(ctx, &store.ConsentUpsertParams{Consents: facts}); err != nil {
		t.Fatal(err)
	}
	v := NewView(st, day(10), []string{"brand"}, nil)
	if _, ok := v.(store.Writer); ok {
		t.Fatal("a view can be used as a store.Writer")
	}
	if _, ok := v.(store.Effects); ok {
		t.Fatal("a view can be used as store.Effects")
	}
	got, err := v.ConsentList(ctx, &store.ConsentListParams{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Status != foundation.StatusSubscribed {
		t.Errorf("view on day 10 saw %+v; want only the opt-in of day 1", got)
	}
	d, err := v.PersonGet(ctx, &store.PersonGetParams{Email: "a@x.com"})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Consent) != 1 {
		t.Errorf("PersonGet through the view saw %d facts, want 1", len(d.Consent))
	}
	if _, err := v.Knowledge("products"); !errors.Is(err, ErrUndeclaredLayer) {
		t.Errorf("undeclared layer: %v", err)
	}
	if _, err := v.Knowledge("brand"); err == nil || errors.Is(err, ErrUndeclaredLayer) {
		t.Errorf("declared but unloaded layer: %v", err)
	}
}

// TestListParameters: a List parameter's items are each checked against
// its Enum when the agent is configured, and read back trimmed, in order,
// without empties or repeats.
func TestListParameters(t *testing.T) {
	m := Manifest{Name: "x", Params: []Param{
		{Name: "channels", Type: String, Default: "email", List: true, Enum: []string{"email", "sms", "phone"}},
		{Name: "systems", Type: String, Default: "", List: true},
	}}
	p, err := m.Resolve(map[string]any{"channels": " sms, email,,sms ", "systems": "crm, esp"})
	if err != nil {
		t.Fatal(err)
	}
	if got := p.List("channels"); !slices.Equal(got, []string{"sms", "email"}) {
		t.Errorf("channels %q", got)
	}
	if got := p.List("systems"); !slices.Equal(got, []string{"crm", "esp"}) {
		t.Errorf("systems %q", got)
	}
	if _, err := m.Resolve(map[string]any{"channels": "email, fax"}); err == nil || !strings.Contains(err.Error(), `parameter channels: "fax" is not one of email, sms, phone`) {
		t.Errorf("an item outside the list: %v", err)
	}
	if d := Describe(m); !d.Params[0].List || d.Params[1].Enum != nil {
		t.Errorf("description %+v", d.Params)
	}
}
