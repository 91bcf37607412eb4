package main

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/towerops/tower/internal/demo"
)

// TestSegmentsCommands creates, previews, refreshes and exports the
// demo's planted segment through the CLI on both backends.
func TestSegmentsCommands(t *testing.T) {
	bundle := filepath.Join(t.TempDir(), "bundle")
	truth, err := demo.Generate(context.Background(), bundle, demo.Config{Seed: 3, People: 600, Accounts: 80})
	if err != nil {
		t.Fatal(err)
	}
	const rule = `account.industry == "Logistics" && person.title.contains("Operations") && events.count("Pricing Viewed") >= 2`
	for name, envFor := range backends(t) {
		t.Run(name, func(t *testing.T) {
			env := envFor(t)
			ws := filepath.Join(t.TempDir(), "acme")
			mustCLI(t, env, "init", ws)
			env["TOWER_WORKSPACE"] = ws
			if out := mustCLI(t, env, "segments", "refresh"); !strings.Contains(out, "no segments yet") {
				t.Errorf("empty workspace: %q", out)
			}
			_, _, _ = cli(t, env, "import", bundle)
			asOf := []string{"--as-of", truth.Now}

			var prev struct {
				Size int64 `json:"size"`
			}
			decode(t, mustCLI(t, env, append([]string{"segments", "preview", rule, "--json"}, asOf...)...), &prev)
			if prev.Size == 0 {
				t.Fatal("the planted segment's rule matches nobody")
			}
			var created segmentJSON
			decode(t, mustCLI(t, env, append([]string{"segments", "create", "logistics-ops", "--rule", rule, "--name", "Logistics ops", "--json"}, asOf...)...), &created)
			if created.Size != prev.Size || created.Refresh == nil || !created.Refresh.Full || created.Refresh.Added != prev.Size {
				t.Fatalf("create: %+v (preview said %d)", created, prev.Size)
			}
			var refreshed []segmentJSON
			decode(t, mustCLI(t, env, append([]string{"segments", "refresh", "--json"}, asOf...)...), &refreshed)
			if len(refreshed) != 1 || refreshed[0].Refresh.Full || refreshed[0].Refresh.Added != 0 || refreshed[0].Size != prev.Size {
				t.Fatalf("incremental refresh with nothing new: %+v", refreshed)
			}
			var listed []segmentJSON
			decode(t, mustCLI(t, env, "segments", "list", "--json"), &listed)
			if len(listed) != 1 || listed[0].ID != "logistics-ops" || listed[0].CreatedBy == "" {
				t.Fatalf("list: %+v", listed)
			}
			if out := mustCLI(t, env, "segments", "show", "logistics-ops"); !strings.Contains(out, "Logistics ops") || !strings.Contains(out, "First") {
				t.Errorf("show: %s", out)
			}
			file := filepath.Join(t.TempDir(), "members.csv")
			mustCLI(t, env, "segments", "export", "logistics-ops", "--out", file)
			f, err := os.Open(file)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(f).ReadAll()
			f.Close()
			if err != nil || int64(len(rows)-1) != prev.Size || rows[0][1] != "email" {
				t.Fatalf("export: %d rows, %v", len(rows), err)
			}

			// An import refreshes every segment (fully here: it wrote accounts).
			out, _, _ := cli(t, env, "import", bundle)
			if !strings.Contains(out, "logistics-ops:") || !strings.Contains(out, "full refresh") {
				t.Errorf("an import did not refresh the segment:\n%s", out)
			}

			_, _, err = cli(t, env, "segments", "create", "logistics-ops", "--rule", `person.country == "DE"`)
			if err == nil || !strings.Contains(err.Error(), "--replace") {
				t.Errorf("create over an existing segment: %v", err)
			}
			_, _, err = cli(t, env, "segments", "preview", `person.titel == "x"`)
			if err == nil || !strings.Contains(err.Error(), "line 1, column") || !strings.Contains(err.Error(), "titel") {
				t.Errorf("misspelt field: %v", err)
			}
			_, _, err = cli(t, env, "segments", "show", "nope")
			if err == nil || !strings.Contains(err.Error(), "no segment nope") {
				t.Errorf("unknown segment: %v", err)
			}
			if out := mustCLI(t, env, "audit", "export"); !strings.Contains(out, "segment.saved") {
				t.Errorf("the new segment is not in the audit log")
			}
		})
	}
}
