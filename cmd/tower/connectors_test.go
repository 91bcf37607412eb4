package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/towerops/tower/internal/connect/webhook"
)

// receiver is a customer's webhook endpoint as docs/connectors.md
// describes it: it checks the signature and remembers each change once.
type receiver struct {
	mu      sync.Mutex
	secret  string
	changes map[string]webhook.Change // by key
	refused int
	// invalid answers this many requests 400, as a receiver that cannot
	// read a change does: permanent, so the deliveries go dead.
	invalid int
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if err := webhook.Verify(rc.secret, r.Header, body, time.Now(), 5*time.Minute); err != nil {
		rc.mu.Lock()
		rc.refused++
		rc.mu.Unlock()
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	rc.mu.Lock()
	invalid := rc.invalid > 0
	if invalid {
		rc.invalid--
	}
	rc.mu.Unlock()
	if invalid {
		http.Error(w, "unknown list id", http.StatusBadRequest)
		return
	}
	var p webhook.Payload
	if err := json.Unmarshal(body, &p); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	rc.mu.Lock()
	for _, c := range p.Changes {
		rc.changes[c.Key] = c
	}
	rc.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (rc *receiver) count(op string) int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	n := 0
	for _, c := range rc.changes {
		if c.Op == op {
			n++
		}
	}
	return n
}

// TestConnectorsDeliverWhatAgentsChange wires the ESP to a signed
// webhook, lets suppression-sync carry planted opt-outs on its own, and
// checks every suppression of an ESP record is owed, delivered once, and
// that undoing a proposal delivers the way back.
func TestConnectorsDeliverWhatAgentsChange(t *testing.T) {
	if testing.Short() {
		t.Skip("imports a demo")
	}
	bundle := filepath.Join(t.TempDir(), "bundle")
	mustCLI(t, nil, "demo", "--out", bundle, "--people", "1200", "--accounts", "120")
	for name, envFor := range backends(t) {
		t.Run(name, func(t *testing.T) {
			rc := &receiver{secret: "s3cret-for-tests", changes: map[string]webhook.Change{}}
			srv := httptest.NewServer(rc)
			defer srv.Close()
			env := envFor(t)
			ws := filepath.Join(t.TempDir(), "acme")
			mustCLI(t, env, "init", ws)
			env["TOWER_WORKSPACE"], env["ESP_HOOK_SECRET"] = ws, rc.secret
			if err := os.MkdirAll(filepath.Join(ws, "connectors"), 0o755); err != nil {
				t.Fatal(err)
			}
			conf := "kind = \"webhook\"\nsystem = \"esp\"\nurl = \"" + srv.URL + "\"\ntoken_env = \"ESP_HOOK_SECRET\"\n"
			if err := os.WriteFile(filepath.Join(ws, "connectors", "esp-hook.toml"), []byte(conf), 0o644); err != nil {
				t.Fatal(err)
			}
			if out := mustCLI(t, env, "connectors", "check"); !strings.Contains(out, "esp-hook: ok") {
				t.Errorf("connectors check printed %q", out)
			}
			mustCLI(t, env, "import", bundle)
			mustCLI(t, env, "agents", "create", "sync", "--skill", "suppression-sync", "--owner", "ops")
			mustCLI(t, env, "agents", "run", "sync")

			var owed []deliveryView
			decode(t, mustCLI(t, env, "deliveries", "list", "--state", "pending", "--limit", "1000", "--json"), &owed)
			if len(owed) == 0 {
				t.Fatal("suppression-sync suppressed nothing on the ESP: no delivery owed")
			}
			for _, d := range owed {
				if d.Connector != "esp-hook" || d.Op != "suppress" || d.ProposalID == "" {
					t.Fatalf("unexpected delivery %+v", d)
				}
			}
			// The receiver refuses the first batch outright: every delivery
			// in it goes dead with the reason, and waits for a person.
			rc.invalid = 1
			var round map[string]int
			decode(t, mustCLI(t, env, "deliveries", "run", "--json"), &round)
			if round["dead"] != len(owed) || round["delivered"] != 0 {
				t.Fatalf("delivery round %v for %d owed, want all dead", round, len(owed))
			}
			var dead []deliveryView
			decode(t, mustCLI(t, env, "deliveries", "list", "--state", "dead", "--limit", "1000", "--json"), &dead)
			if len(dead) != len(owed) || !strings.Contains(dead[0].LastError, "unknown list id") {
				t.Fatalf("dead letters %+v", dead)
			}
			if _, _, err := cli(t, env, "deliveries", "retry"); err == nil {
				t.Errorf("retry without ids or --all was accepted")
			}
			if out := mustCLI(t, env, "deliveries", "retry", "--all"); !strings.HasPrefix(out, fmt.Sprintf("%d ", len(owed))) ||
				!strings.Contains(out, "will be sent again") {
				t.Errorf("retry printed %q", out)
			}
			decode(t, mustCLI(t, env, "deliveries", "run", "--json"), &round)
			if round["delivered"] != len(owed) || round["dead"] != 0 {
				t.Fatalf("delivery round after retry %v for %d owed", round, len(owed))
			}
			if got := rc.count("suppress"); got != len(owed) || rc.refused != 0 {
				t.Fatalf("receiver has %d suppressions (refused %d), want %d", got, rc.refused, len(owed))
			}
			t.Logf("%d suppressions of ESP records delivered to the signed webhook", len(owed))
			decode(t, mustCLI(t, env, "deliveries", "run", "--json"), &round)
			if round["delivered"] != 0 {
				t.Errorf("a second round delivered %d again", round["delivered"])
			}
			var conns []connectorRow
			decode(t, mustCLI(t, env, "connectors", "list", "--json"), &conns)
			if len(conns) != 1 || conns[0].Deliveries["delivered"] != len(owed) || conns[0].Deliveries["pending"] != 0 {
				t.Errorf("connectors list %+v", conns)
			}

			// Undo one proposal: its ESP records are owed the way back.
			mustCLI(t, env, "proposals", "undo", owed[0].ProposalID)
			decode(t, mustCLI(t, env, "deliveries", "run", "--json"), &round)
			if round["delivered"] == 0 || rc.count("unsuppress") == 0 {
				t.Errorf("undo delivered %v; receiver unsuppressions %d", round, rc.count("unsuppress"))
			}
		})
	}
}

func TestABadConnectorFileIsRefusedWithItsLine(t *testing.T) {
	ws := filepath.Join(t.TempDir(), "acme")
	mustCLI(t, nil, "init", ws)
	if err := os.MkdirAll(filepath.Join(ws, "connectors"), 0o755); err != nil {
		t.Fatal(err)
	}
	bad := "kind = \"hubspot\"\nsystem = \"crm\"\ntoken = \"pat-na1-should-not-be-here\"\n"
	if err := os.WriteFile(filepath.Join(ws, "connectors", "crm.toml"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"TOWER_WORKSPACE": ws}
	_, _, err := cli(t, env, "people", "list")
	if err == nil || !strings.Contains(err.Error(), "crm.toml:3") || !strings.Contains(err.Error(), "token: unknown setting") {
		t.Fatalf("got %v; want the file, line 3 and the unknown setting", err)
	}
	if strings.Contains(err.Error(), "pat-na1") {
		t.Errorf("the error repeats the secret: %v", err)
	}
	_, _, err = cli(t, env, "connectors", "check")
	if err == nil {
		t.Errorf("connectors check accepted the bad file")
	}
}

// TestConnectorsPullIntoTheFoundation pulls a folder of exports (csvdir)
// into an empty workspace.
func TestConnectorsPullIntoTheFoundation(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a demo bundle")
	}
	bundle := filepath.Join(t.TempDir(), "bundle")
	mustCLI(t, nil, "demo", "--out", bundle, "--people", "1200", "--accounts", "120")
	ws := filepath.Join(t.TempDir(), "acme")
	mustCLI(t, nil, "init", ws)
	env := map[string]string{"TOWER_WORKSPACE": ws}
	if err := os.MkdirAll(filepath.Join(ws, "connectors"), 0o755); err != nil {
		t.Fatal(err)
	}
	conf := "kind = \"csvdir\"\nsystem = \"esp\"\ndir = \"" + bundle + "\"\n"
	if err := os.WriteFile(filepath.Join(ws, "connectors", "esp-files.toml"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Records, Consent, Pages int
		System                  string
	}
	decode(t, mustCLI(t, env, "connectors", "pull", "esp-files", "--json"), &rep)
	if rep.System != "esp" || rep.Records == 0 || rep.Consent == 0 || rep.Pages == 0 {
		t.Fatalf("pull report %+v", rep)
	}
	var people []map[string]any
	decode(t, mustCLI(t, env, "people", "list", "--limit", "5", "--json"), &people)
	if len(people) == 0 {
		t.Errorf("no people after pulling %d records", rep.Records)
	}
	if _, _, err := cli(t, env, "connectors", "pull", "crm-files"); err == nil || !strings.Contains(err.Error(), "connectors/crm-files.toml") {
		t.Errorf("pulling an unknown connector: %v", err)
	}
	t.Logf("pulled %d ESP records and %d consent facts in %d pages", rep.Records, rep.Consent, rep.Pages)
}
