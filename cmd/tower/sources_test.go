package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestSourcesLifecycle creates, lists and revokes sources through the CLI:
// the write key is printed once and never listed, names are unique among
// active sources, a revoked name can be reused, and both changes are in
// the audit log without the key.
func TestSourcesLifecycle(t *testing.T) {
	for name, envFor := range backends(t) {
		t.Run(name, func(t *testing.T) {
			env := envFor(t)
			ws := filepath.Join(t.TempDir(), "acme")
			mustCLI(t, env, "init", ws)
			env["TOWER_WORKSPACE"] = ws

			if out := mustCLI(t, env, "sources", "list"); !strings.Contains(out, "No sources yet") {
				t.Errorf("empty list printed %q", out)
			}
			var created struct {
				ID, Name, Status string
				WriteKey         string `json:"write_key"`
				KeyHint          string `json:"key_hint"`
			}
			decode(t, mustCLI(t, env, "sources", "create", "website", "--json"), &created)
			if !strings.HasPrefix(created.ID, "src_") || created.Name != "website" || created.Status != "active" ||
				!strings.HasPrefix(created.WriteKey, "twk_") || len(created.WriteKey) < 40 ||
				!strings.HasPrefix(created.WriteKey, strings.TrimSuffix(created.KeyHint, "…")) {
				t.Fatalf("create printed %+v", created)
			}
			text := mustCLI(t, env, "sources", "create", "ios-app")
			if !strings.Contains(text, "Write key: twk_") || !strings.Contains(text, "will not be shown again") {
				t.Errorf("create printed %q", text)
			}
			if _, _, err := cli(t, env, "sources", "create", "website"); err == nil || !strings.Contains(err.Error(), "already exists") {
				t.Errorf("a second active source named website: %v", err)
			}
			if _, _, err := cli(t, env, "sources", "create", "my site"); err == nil || !strings.Contains(err.Error(), "letters, digits") {
				t.Errorf("a name with a space: %v", err)
			}

			listed := mustCLI(t, env, "sources", "list", "--json")
			if strings.Contains(listed, created.WriteKey) || strings.Contains(listed, "hash") {
				t.Fatalf("the list shows a key or its hash:\n%s", listed)
			}
			var sources []struct{ ID, Name, Status string }
			decode(t, listed, &sources)
			if len(sources) != 2 || sources[0].Name != "ios-app" || sources[1].Name != "website" {
				t.Fatalf("list: %+v", sources)
			}

			if out := mustCLI(t, env, "sources", "revoke", "website"); !strings.Contains(out, "Revoked source website") {
				t.Errorf("revoke printed %q", out)
			}
			if _, _, err := cli(t, env, "sources", "revoke", "nosuch"); err == nil || !strings.Contains(err.Error(), "no active source") {
				t.Errorf("revoking an unknown source: %v", err)
			}
			decode(t, mustCLI(t, env, "sources", "list", "--json"), &sources)
			if len(sources) != 1 || sources[0].Name != "ios-app" {
				t.Fatalf("after revoking website, list: %+v", sources)
			}
			decode(t, mustCLI(t, env, "sources", "list", "--all", "--json"), &sources)
			if len(sources) != 2 || sources[1].Status != "revoked" || sources[1].ID != created.ID {
				t.Fatalf("list --all: %+v", sources)
			}
			// The name is free again once revoked: that is how a key is rotated.
			mustCLI(t, env, "sources", "create", "website")

			log := mustCLI(t, env, "audit", "export")
			if strings.Count(log, `"source.created"`) != 3 || strings.Count(log, `"source.revoked"`) != 1 {
				t.Errorf("audit log:\n%s", log)
			}
			if strings.Contains(log, created.WriteKey) {
				t.Error("the audit log contains a write key")
			}
		})
	}
}
