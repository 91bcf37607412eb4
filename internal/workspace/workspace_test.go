package workspace

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func noEnv(string) (string, bool) { return "", false }

func TestInitThenFind(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "acme")
	ws, err := Init(dir, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	for _, sub := range Folders {
		if fi, err := os.Stat(filepath.Join(dir, sub)); err != nil || !fi.IsDir() {
			t.Errorf("folder %s not created: %v", sub, err)
		}
	}
	want := "sqlite:" + filepath.Join(ws.Dir, "tower.db")
	if ws.Config.Database.URL != want {
		t.Errorf("database url = %q, want %q", ws.Config.Database.URL, want)
	}
	if ws.Config.Server.Addr != "127.0.0.1:8080" || ws.Config.Name != "acme" {
		t.Errorf("defaults not applied: %+v", ws.Config)
	}
	if _, err := Init(dir, noEnv); err == nil || !strings.Contains(err.Error(), "already a Tower workspace") {
		t.Errorf("second init: got %v, want refusal", err)
	}
	found, err := Find(dir, noEnv)
	if err != nil || found.Dir != ws.Dir {
		t.Fatalf("Find(%s) = %v, %v", dir, found, err)
	}
}

func TestFindWalksUpFromSubfolder(t *testing.T) {
	dir := t.TempDir()
	if _, err := Init(dir, noEnv); err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join(dir, "knowledge"))
	ws, err := Find("", noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if ws.Dir != dir {
		t.Errorf("found %s, want %s", ws.Dir, dir)
	}
}

func TestFindOutsideWorkspaceSaysSo(t *testing.T) {
	t.Chdir(t.TempDir())
	_, err := Find("", noEnv)
	if !errors.Is(err, ErrNoWorkspace) || !strings.Contains(err.Error(), "tower init") {
		t.Fatalf("got %v, want ErrNoWorkspace mentioning tower init", err)
	}
	_, err = Find("", func(k string) (string, bool) { return "/nonexistent/ws", k == "TOWER_WORKSPACE" })
	if !errors.Is(err, ErrNoWorkspace) || !strings.Contains(err.Error(), "/nonexistent/ws") {
		t.Fatalf("TOWER_WORKSPACE to missing folder: got %v", err)
	}
}

func TestEnvironmentOverridesFile(t *testing.T) {
	dir := t.TempDir()
	if _, err := Init(dir, noEnv); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"TOWER_DATABASE_URL": "postgres://postgres@127.0.0.1:5432/tower",
		"TOWER_SERVER_ADDR":  "127.0.0.1:9999",
		"TOWER_WORKSPACE":    dir,
	}
	ws, err := Find("", func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	if ws.Config.Database.URL != env["TOWER_DATABASE_URL"] || ws.Config.Server.Addr != "127.0.0.1:9999" {
		t.Errorf("env not applied: %+v", ws.Config)
	}
}

func TestBadConfigIsPreciseError(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ConfigFile), []byte("[log]\nlevel = \"loud\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Find(dir, noEnv)
	if err == nil || !strings.Contains(err.Error(), "log.level") || !strings.Contains(err.Error(), "tower.toml") {
		t.Fatalf("got %v, want error naming tower.toml and log.level", err)
	}
	if err := os.WriteFile(filepath.Join(dir, ConfigFile), []byte("[database\nurl="), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Find(dir, noEnv); err == nil || !strings.Contains(err.Error(), "tower.toml") {
		t.Fatalf("malformed toml: got %v", err)
	}
}
