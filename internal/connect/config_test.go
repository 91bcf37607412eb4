package connect

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseRefusesPrecisely(t *testing.T) {
	for _, c := range []struct {
		file, body, want string
	}{
		{"crm.toml", "system = \"crm\"\n", "kind: missing"},
		{"crm.toml", "kind = \"hubspot\"\ntimeout = \"soon\"\n", "crm.toml:2"},
		{"crm.toml", "kind = \"hubspot\"\n\napi_key = \"x\"\n", "crm.toml:3: api_key: unknown setting"},
		{"crm.toml", "kind = \"hubspot\"\nmax_attempts = -1\n", "max_attempts: -1 is negative"},
		{"My CRM.toml", "kind = \"hubspot\"\n", "must be lower-case"},
	} {
		_, err := Parse(c.file, []byte(c.body))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want an error containing %q", c.body, err, c.want)
		}
	}
	cfg, err := Parse("connectors/esp-hook.toml", []byte("kind = \"webhook\"\ntimeout = \"5s\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Name != "esp-hook" || cfg.System != "esp-hook" || time.Duration(cfg.Timeout) != 5*time.Second || cfg.MaxAttempts != DefaultMaxAttempts {
		t.Errorf("defaults: %+v", cfg)
	}
}

func TestLoadKeepsGoodFilesAndReportsEveryBadOne(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{"a.toml": "kind = \"csvdir\"\n", "b.toml": "kind = 3\n", "c.toml": "nope = 1\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfgs, err := Load(dir)
	if len(cfgs) != 1 || cfgs[0].Name != "a" {
		t.Errorf("good files: %+v", cfgs)
	}
	if err == nil || !strings.Contains(err.Error(), "b.toml") || !strings.Contains(err.Error(), "c.toml") {
		t.Errorf("want both bad files named, got %v", err)
	}
	if cfgs, err := Load(filepath.Join(dir, "missing")); err != nil || len(cfgs) != 0 {
		t.Errorf("a missing folder: %v, %v", cfgs, err)
	}
}

func TestSecretNamesTheVariableNeverTheValue(t *testing.T) {
	cfg := Config{Kind: "hubspot", TokenEnv: "HUBSPOT_TOKEN"}
	if _, err := cfg.Secret(Env{Getenv: func(string) string { return "" }}); err == nil || !strings.Contains(err.Error(), "HUBSPOT_TOKEN is not set") {
		t.Errorf("unset: %v", err)
	}
	v, err := cfg.Secret(Env{Getenv: func(k string) string { return map[string]string{"HUBSPOT_TOKEN": "pat-1"}[k] }})
	if err != nil || v != "pat-1" {
		t.Errorf("set: %q, %v", v, err)
	}
}

func TestBackoffDoublesWithJitterAndHonoursRetryAfter(t *testing.T) {
	b := Backoff{Base: 30 * time.Second, Max: time.Hour}
	r := rand.New(rand.NewPCG(1, 2))
	for n, full := range map[int]time.Duration{1: 30 * time.Second, 2: time.Minute, 3: 2 * time.Minute, 20: time.Hour} {
		for range 50 {
			d := b.Delay(n, 0, r)
			if d < full/2 || d > full {
				t.Fatalf("attempt %d: %v outside [%v, %v]", n, d, full/2, full)
			}
		}
	}
	if d := b.Delay(1, 10*time.Minute, r); d != 10*time.Minute {
		t.Errorf("Retry-After 10m gave %v", d)
	}
}
