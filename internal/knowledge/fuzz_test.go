package knowledge

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzLoad writes arbitrary text as each layer's file and loads the
// folder: Load never panics, and either succeeds or names, for every
// problem, a file of the folder.
func FuzzLoad(f *testing.F) {
	for _, name := range []string{"brand.toml", "utm.toml", "products.toml"} {
		b, err := os.ReadFile(filepath.Join("testdata", "good", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(name, string(b))
	}
	f.Add("offers.toml", "owner = \"growth\"\nupdated = 2026-10-01\n[[offer]]\nid = \"x\"\nstarts = 2026-01-02\nends = 2025-01-01\n")
	f.Add("utm.toml", "owner = 'x'\nupdated = 2026-10-01\ncampaign_pattern = '(['\n")
	f.Fuzz(func(t *testing.T, name, text string) {
		switch name {
		case "brand.toml", "utm.toml", "products.toml", "offers.toml", "messaging.toml":
		default:
			name = "brand.toml"
		}
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		set, err := LoadAt(dir, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
		var le *LoadError
		switch {
		case err == nil:
			if set == nil || set.Brand == nil || set.UTM == nil {
				t.Fatalf("a folder that loads must have brand and utm layers: %+v", set)
			}
		case errors.As(err, &le):
			if len(le.Problems) == 0 {
				t.Fatal("a LoadError without problems")
			}
			for _, p := range le.Problems {
				if p.File != name || p.Reason == "" {
					t.Fatalf("problem %+v does not name the file %s and a reason", p, name)
				}
			}
		default:
			t.Fatalf("not a LoadError: %v", err)
		}
	})
}
