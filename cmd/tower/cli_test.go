package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/postgres"
)

// cli runs tower in-process with the given environment (nothing else from
// the real environment leaks in) and returns what it printed.
func cli(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	a := &app{stdout: &out, stderr: &errb, quiet: true,
		environ: func(k string) (string, bool) { v, ok := env[k]; return v, ok }}
	root := a.rootCommand()
	root.SetArgs(args)
	err = root.ExecuteContext(context.Background())
	return out.String(), errb.String(), err
}

func mustCLI(t *testing.T, env map[string]string, args ...string) string {
	t.Helper()
	out, errOut, err := cli(t, env, args...)
	if err != nil {
		t.Fatalf("tower %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, out, errOut)
	}
	return out
}

// backends returns the environments to run a CLI test in: the default
// SQLite file, and PostgreSQL (a fresh schema) when the test server is set.
func backends(t *testing.T) map[string]func(t *testing.T) map[string]string {
	return map[string]func(t *testing.T) map[string]string{
		"sqlite": func(t *testing.T) map[string]string { return map[string]string{} },
		"postgres": func(t *testing.T) map[string]string {
			return map[string]string{"TOWER_DATABASE_URL": postgres.TestURL(t)}
		},
	}
}

func TestOutsideAWorkspaceSaysSoPlainly(t *testing.T) {
	t.Chdir(t.TempDir())
	_, _, err := cli(t, nil, "people", "list")
	if err == nil || !strings.Contains(err.Error(), "not in a Tower workspace") || !strings.Contains(err.Error(), "tower init") {
		t.Fatalf("got %v; want a plain 'not in a Tower workspace' error suggesting tower init", err)
	}
}

// TestWorkspaceEndToEnd builds a small demo bundle, imports it into a new
// workspace and reads it back through every list and show command.
func TestWorkspaceEndToEnd(t *testing.T) {
	bundle := filepath.Join(t.TempDir(), "bundle")
	mustCLI(t, nil, "demo", "--out", bundle, "--people", "1200", "--accounts", "120")
	for name, envFor := range backends(t) {
		t.Run(name, func(t *testing.T) {
			env := envFor(t)
			ws := filepath.Join(t.TempDir(), "acme")
			if out := mustCLI(t, env, "init", ws); !strings.Contains(out, "Created a Tower workspace") {
				t.Errorf("init printed %q", out)
			}
			env["TOWER_WORKSPACE"] = ws

			var status []store.Migration
			decode(t, mustCLI(t, env, "migrate", "status", "--json"), &status)
			if len(status) == 0 {
				t.Fatal("migrate status listed no migrations")
			}
			for _, m := range status {
				if !m.Applied {
					t.Errorf("migration %s not applied after init", m.Name)
				}
			}
			if out := mustCLI(t, env, "migrate", "up"); !strings.Contains(out, "up to date") {
				t.Errorf("second migrate up printed %q, want up to date", out)
			}

			out := mustCLI(t, env, "import", bundle)
			if !strings.Contains(out, "people.csv") || strings.Contains(out, "refused") {
				t.Errorf("import report:\n%s", out)
			}
			again := mustCLI(t, env, "import", "--json", bundle)
			var rep struct {
				Files []struct {
					File              string
					Written, Rejected int64
				}
			}
			decode(t, again, &rep)
			if len(rep.Files) < 10 {
				t.Errorf("re-import reported %d files, want every bundle file", len(rep.Files))
			}

			var people []store.PersonSummary
			decode(t, mustCLI(t, env, "people", "list", "--json", "--limit", "5"), &people)
			if len(people) != 5 {
				t.Fatalf("people list --limit 5 gave %d rows", len(people))
			}
			var withEmail *store.PersonSummary
			for i := range people {
				if people[i].Email != "" {
					withEmail = &people[i]
					break
				}
			}
			if withEmail == nil {
				t.Fatal("no person with an e-mail in the first five")
			}
			var detail store.PersonDetail
			decode(t, mustCLI(t, env, "people", "show", strings.ToUpper(withEmail.Email), "--json"), &detail)
			if detail.Person.ID != withEmail.ID || len(detail.Records) == 0 {
				t.Errorf("people show by e-mail: got person %d with %d records, want %d with records",
					detail.Person.ID, len(detail.Records), withEmail.ID)
			}
			if txt := mustCLI(t, env, "people", "show", jsonNum(withEmail.ID)); !strings.Contains(txt, "Consent history") {
				t.Errorf("people show text lacks consent history:\n%s", txt)
			}

			var accounts []struct{ ID string }
			decode(t, mustCLI(t, env, "accounts", "list", "--json", "--limit", "3"), &accounts)
			if len(accounts) != 3 {
				t.Fatalf("accounts list gave %d rows", len(accounts))
			}
			if txt := mustCLI(t, env, "accounts", "show", accounts[0].ID); !strings.Contains(txt, accounts[0].ID) {
				t.Errorf("accounts show:\n%s", txt)
			}

			var campaigns []store.CampaignSummary
			decode(t, mustCLI(t, env, "campaigns", "list", "--json", "--channel", "Email"), &campaigns)
			if len(campaigns) == 0 {
				t.Fatal("no e-mail campaigns listed")
			}
			for _, c := range campaigns {
				if c.Channel != "email" {
					t.Errorf("campaign %s has channel %s in an email-only list", c.ID, c.Channel)
				}
			}
			var cd store.CampaignDetail
			decode(t, mustCLI(t, env, "campaigns", "show", campaigns[0].ID, "--json"), &cd)
			if len(cd.Days) != campaigns[0].Days && campaigns[0].Days > 0 && len(cd.Days) < campaigns[0].Days {
				t.Errorf("campaign %s: show has %d day rows, list says %d days", campaigns[0].ID, len(cd.Days), campaigns[0].Days)
			}

			_, _, err := cli(t, env, "campaigns", "show", "NO-SUCH-CAMPAIGN")
			if !errors.Is(err, store.ErrNotFound) {
				t.Errorf("unknown campaign: got %v, want not found", err)
			}
			_, _, err = cli(t, env, "campaigns", "list", "--channel", "telepathy")
			if err == nil || !strings.Contains(err.Error(), "paid_search") {
				t.Errorf("bad --channel: got %v, want the list of channels", err)
			}
		})
	}
}

func TestImportBadRowsExitsOneAndWritesReport(t *testing.T) {
	ws := filepath.Join(t.TempDir(), "ws")
	env := map[string]string{"TOWER_WORKSPACE": ws}
	mustCLI(t, env, "init", ws)
	file := filepath.Join(t.TempDir(), "owners.csv")
	data := "id,name,email,team\nO1,Ana Silva,ana@example.com,sales\nO2,Bo Lee,bo@example.com,astronauts\n"
	if err := os.WriteFile(file, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err := cli(t, env, "import", "--kind", "owners", file)
	var ee exitError
	if !errors.As(err, &ee) || ee.code != 1 {
		t.Fatalf("import with a bad row: err %v, want exit code 1\n%s", err, out)
	}
	if !strings.Contains(out, "owners.csv:3") || !strings.Contains(out, "team") {
		t.Errorf("report does not name owners.csv:3 and the team column:\n%s", out)
	}
	report := filepath.Join(filepath.Dir(file), "import-errors.csv")
	if b, err := os.ReadFile(report); err != nil || !strings.Contains(string(b), "astronauts") {
		t.Errorf("errors report %s: %v\n%s", report, err, b)
	}
	var owners []struct{ ID string }
	decode(t, mustCLI(t, env, "people", "list", "--json"), &owners) // the workspace still answers
	_, _, err = cli(t, env, "import", file)
	if err == nil || !strings.Contains(err.Error(), "--kind") {
		t.Errorf("a file without --kind: got %v", err)
	}
	_, _, err = cli(t, env, "import", "--kind", "leads", file)
	if err == nil || !strings.Contains(err.Error(), "people") {
		t.Errorf("unknown kind: got %v, want the list of kinds", err)
	}
}

func TestDemoWorkspaceIsReused(t *testing.T) {
	t.Chdir(t.TempDir())
	args := []string{"demo", "--people", "800", "--accounts", "80", "--serve=false"}
	first := mustCLI(t, nil, args...)
	if !strings.Contains(first, "Built the demo workspace") || !strings.Contains(first, "planted") {
		t.Fatalf("first demo run:\n%s", first)
	}
	second := mustCLI(t, nil, args...)
	if !strings.Contains(second, "Reusing the demo workspace") {
		t.Fatalf("second demo run did not reuse:\n%s", second)
	}
	if _, err := os.Stat(filepath.Join("demo-workspace", "data", "truth.json")); err != nil {
		t.Errorf("truth.json missing: %v", err)
	}
}

func decode(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("output is not the expected JSON: %v\n%s", err, s)
	}
}

func jsonNum(n int64) string { b, _ := json.Marshal(n); return string(b) }
