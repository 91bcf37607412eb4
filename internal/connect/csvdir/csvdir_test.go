package csvdir_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/towerops/tower/internal/connect"
	"github.com/towerops/tower/internal/connect/connecttest"
	"github.com/towerops/tower/internal/connect/csvdir"
	"github.com/towerops/tower/internal/foundation"
)

func openDir(dir, system string, clock connect.Clock) (connect.Connector, error) {
	return connect.Open(connect.Config{Name: "files", File: "connectors/files.toml", Kind: csvdir.Kind, System: system, Dir: dir},
		connect.Env{Clock: clock, Log: slog.New(slog.DiscardHandler)})
}

func TestSuite(t *testing.T) {
	connecttest.Run(t, connecttest.Target{
		Kind: csvdir.Kind,
		New:  func(clock *connecttest.Clock) connecttest.Fake { return newFake(clock) },
		Open: func(f connecttest.Fake, clock *connecttest.Clock, batch int) (connect.Connector, error) {
			fake := f.(*dirFake)
			return openDir(fake.dir, fake.system, clock)
		},
		Faults: false,
	})
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func pullAll(t *testing.T, c connect.Connector) ([]foundation.Record, []foundation.Consent, int, error) {
	t.Helper()
	var recs []foundation.Record
	var facts []foundation.Consent
	pages := 0
	err := c.Pull(context.Background(), func(_ context.Context, b connect.Batch) error {
		pages++
		recs = append(recs, b.Records...)
		facts = append(facts, b.Consent...)
		return nil
	})
	return recs, facts, pages, err
}

// What a push writes, a pull (here, or another Tower's import) reads back.
func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "people.csv"), "System,System ID,Email,First Name,Last Name,updated_at\r\n"+
		"crm,C-1,ana@example.com,Ana,Lima,2025-01-01T00:00:00Z\r\n"+
		"crm,C-2,bo@example.com,Bo,Chen,\r\n"+
		"esp,E-9,ana@example.com,Ana,,\r\n"+
		"crm,C-3,cy@example.com,Cy,\"Doe, Jr\",\r\n")
	clock := connecttest.NewClock(connecttest.Start)
	c, err := openDir(dir, "crm", clock)
	if err != nil {
		t.Fatal(err)
	}
	res := c.Push(context.Background(), []connect.Change{
		{Key: "1", Op: connect.OpSuppress, SystemID: "C-1", Email: "ana@example.com", Channel: foundation.ChannelEmail,
			Status: foundation.StatusHardBounce, Reason: "550 5.1.1, user unknown"},
		{Key: "2", Op: connect.OpSuppress, SystemID: "C-2", Channel: foundation.ChannelSMS, Status: foundation.StatusUnsubscribed},
		{Key: "3", Op: connect.OpUpdateField, SystemID: "C-2", Field: "first_name", Value: "Bob"},
		{Key: "4", Op: connect.OpUpdateField, SystemID: "C-3", Field: "traits.Lead Score", Value: "72"},
		{Key: "5", Op: connect.OpMerge, SystemID: "C-3", IntoID: "C-1"},
		{Key: "6", Op: connect.OpSuppress, Email: "Old@Example.org", Channel: foundation.ChannelEmail, Status: foundation.StatusComplaint},
	})
	for _, r := range res {
		if r.Err != nil {
			t.Fatalf("change %s: %v", r.Key, r.Err)
		}
	}
	clock.Advance(60e9)
	res = c.Push(context.Background(), []connect.Change{
		{Key: "7", Op: connect.OpUnsuppress, SystemID: "C-2", Channel: foundation.ChannelSMS, Status: foundation.StatusSubscribed}})
	if res[0].Err != nil {
		t.Fatal(res[0].Err)
	}

	other, err := openDir(dir, "crm", clock)
	if err != nil {
		t.Fatal(err)
	}
	recs, facts, _, err := pullAll(t, other)
	if err != nil {
		t.Fatalf("pulling what push wrote: %v", err)
	}
	byID := map[string]foundation.Record{}
	for _, r := range recs {
		byID[r.SystemID] = r
	}
	if len(recs) != 3 || byID["E-9"].SystemID != "" {
		t.Errorf("pulled %d records %v, want the 3 of system crm", len(recs), recs)
	}
	if byID["C-2"].FirstName != "Bob" || byID["C-3"].Traits["lead_score"] != "72" || byID["C-3"].LastName != "Doe, Jr" {
		t.Errorf("fields after push: C-2 %q, C-3 traits %v last %q", byID["C-2"].FirstName, byID["C-3"].Traits, byID["C-3"].LastName)
	}
	if !byID["C-2"].UpdatedAt.Equal(connecttest.Start) {
		t.Errorf("C-2 updated_at %v, want the push's time", byID["C-2"].UpdatedAt)
	}
	type key struct{ who, ch string }
	newest := map[key]foundation.Consent{}
	for _, f := range facts {
		k := key{f.SystemID + f.Email, string(f.Channel)}
		if old, ok := newest[k]; !ok || !f.At.Before(old.At) {
			newest[k] = f
		}
	}
	if f := newest[key{"C-1ana@example.com", "email"}]; f.Status != foundation.StatusHardBounce || f.Reason != "550 5.1.1, user unknown" {
		t.Errorf("C-1: %+v", f)
	}
	if f := newest[key{"C-2", "sms"}]; f.Status != foundation.StatusSubscribed {
		t.Errorf("C-2 sms after unsuppress: %+v", f)
	}
	if f := newest[key{"old@example.org", "email"}]; f.Status != foundation.StatusComplaint {
		t.Errorf("address-only fact: %+v", f)
	}
	merges, err := os.ReadFile(filepath.Join(dir, "merges.csv"))
	if err != nil || !strings.Contains(string(merges), "C-3,C-1,5,") {
		t.Errorf("merges.csv: %q %v", merges, err)
	}
	// The other system's row is untouched, and no temporary file is left behind.
	people, _ := os.ReadFile(filepath.Join(dir, "people.csv"))
	if !strings.Contains(string(people), "esp,E-9,ana@example.com,Ana,,") {
		t.Errorf("people.csv lost the other system's row:\n%s", people)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*tmp")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	// Everything again: nothing new is written.
	before := map[string]string{}
	for _, n := range []string{"people.csv", "consent.csv", "merges.csv"} {
		b, _ := os.ReadFile(filepath.Join(dir, n))
		before[n] = string(b)
	}
	other.Push(context.Background(), []connect.Change{
		{Key: "3", Op: connect.OpUpdateField, SystemID: "C-2", Field: "first_name", Value: "Bob"},
		{Key: "5", Op: connect.OpMerge, SystemID: "C-3", IntoID: "C-1"},
		{Key: "7", Op: connect.OpUnsuppress, SystemID: "C-2", Channel: foundation.ChannelSMS, Status: foundation.StatusSubscribed},
	})
	for n, was := range before {
		if b, _ := os.ReadFile(filepath.Join(dir, n)); string(b) != was {
			t.Errorf("%s changed when pushing changes it already showed", n)
		}
	}
}

func TestPullReportsBadRowsAndKeepsTheRest(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "people.csv"), "system,system_id,email,created_at,plan\n"+
		"crm,C-1,a@example.com,2025-01-01,pro\n"+
		"crm,C-2,b@example.com,03/01/2025,\n"+
		"crm,C-1,dup@example.com,,\n"+
		"crm,,nobody@example.com,,\n"+
		"crm,C-3,c@example.com\n"+
		"\n"+
		"crm,C-4,d@example.com,2025-02-01T10:00:00+02:00,\n")
	write(t, filepath.Join(dir, "consent.csv"), "system,system_id,email,channel,status,reason,at\n"+
		"crm,C-1,,email,unsubscribed,link,2025-03-01T10:00:00Z\n"+
		"crm,C-4,,email,maybe,,2025-03-01T10:00:00Z\n"+
		"crm,C-4,,fax,unsubscribed,,2025-03-01T10:00:00Z\n"+
		"crm,C-4,,email,hard_bounce,,\n")
	c, err := openDir(dir, "crm", connecttest.NewClock(connecttest.Start))
	if err != nil {
		t.Fatal(err)
	}
	recs, facts, _, err := pullAll(t, c)
	var bad *csvdir.BadRowsError
	if !errors.As(err, &bad) {
		t.Fatalf("want a BadRowsError, got %v", err)
	}
	if len(recs) != 2 || recs[0].SystemID != "C-1" || recs[1].SystemID != "C-4" || recs[0].Traits["plan"] != "pro" {
		t.Errorf("good records: %+v", recs)
	}
	if len(facts) != 1 || facts[0].SystemID != "C-1" {
		t.Errorf("good facts: %+v", facts)
	}
	want := []string{
		"people.csv:3: created_at: \"03/01/2025\"",
		"people.csv:4: system_id: duplicate system_id \"C-1\", first on line 2",
		"people.csv:5: system_id:",
		"people.csv:6: the row has 3 values but the header has 5 columns",
		"consent.csv:3: status:",
		"consent.csv:4: channel:",
		"consent.csv:5: at:",
	}
	if len(bad.Problems) != len(want) {
		t.Errorf("%d problems, want %d: %v", len(bad.Problems), len(want), bad.Problems)
	}
	for i, w := range want {
		if i < len(bad.Problems) && !strings.HasPrefix(bad.Problems[i].String(), w) {
			t.Errorf("problem %d = %q, want it to start %q", i, bad.Problems[i], w)
		}
	}
	if !strings.Contains(err.Error(), "7 bad rows") {
		t.Errorf("summary: %v", err)
	}
}

func TestPullPages(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("system,system_id,email\n")
	n := 2*csvdir.PageSize + 5
	for i := range n {
		fmt.Fprintf(&b, "crm,C-%d,p%d@example.com\n", i, i)
	}
	write(t, filepath.Join(dir, "people.csv"), b.String())
	c, err := openDir(dir, "crm", connecttest.NewClock(connecttest.Start))
	if err != nil {
		t.Fatal(err)
	}
	recs, _, pages, err := pullAll(t, c)
	if err != nil || len(recs) != n || pages != 3 {
		t.Errorf("%d records in %d pages (%v), want %d in 3", len(recs), pages, err, n)
	}
}

func TestDirIsRelativeToTheWorkspace(t *testing.T) {
	ws := t.TempDir()
	if err := os.MkdirAll(filepath.Join(ws, "exchange", "crm"), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := connect.Config{Name: "files", File: filepath.Join(ws, "connectors", "files.toml"), Kind: csvdir.Kind, System: "crm", Dir: "exchange/crm"}
	got, err := csvdir.Dir(cfg)
	if err != nil || got != filepath.Join(ws, "exchange", "crm") {
		t.Errorf("Dir = %q, %v", got, err)
	}
	if _, err := connect.Open(cfg, connect.Env{}); err != nil {
		t.Errorf("open: %v", err)
	}
	cfg.Dir = "exchange/missing"
	if _, err := connect.Open(cfg, connect.Env{}); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("a missing folder: %v", err)
	}
}

func TestPushRefusesWhatTheFilesCannotHold(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "people.csv"), "system,system_id,email\ncrm,C-1,a@example.com\n")
	c, err := openDir(dir, "crm", connecttest.NewClock(connecttest.Start))
	if err != nil {
		t.Fatal(err)
	}
	res := c.Push(context.Background(), []connect.Change{
		{Key: "a", Op: connect.OpSuppress, SystemID: "C-404", Channel: foundation.ChannelEmail, Status: foundation.StatusUnsubscribed},
		{Key: "b", Op: connect.OpUpdateField, SystemID: "C-1", Field: "system_id", Value: "X"},
		{Key: "c", Op: connect.OpSuppress, SystemID: "C-1", Status: foundation.StatusSubscribed},
		{Key: "d", Op: connect.OpUnmerge, SystemID: "C-1"},
		{Key: "e", Op: connect.OpSuppress, SystemID: "C-1", Status: foundation.StatusUnsubscribed},
	})
	for i, want := range []string{"C-404", "system_id", "subscribed", "merges.csv", ""} {
		err := res[i].Err
		if want == "" {
			if err != nil {
				t.Errorf("change %d: %v", i, err)
			}
			continue
		}
		if _, retry := connect.Retryable(err); err == nil || retry || !strings.Contains(err.Error(), want) {
			t.Errorf("change %d: %v (retry %v), want a permanent error naming %q", i, err, retry, want)
		}
	}
}
