package demo

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// readTree returns every file under dir by relative path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		out[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGenerateIsByteIdentical(t *testing.T) {
	cfg := Config{Seed: 7, People: 1500, Accounts: 150}
	a, b := t.TempDir(), t.TempDir()
	if _, err := Generate(context.Background(), a, cfg); err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(context.Background(), b, cfg); err != nil {
		t.Fatal(err)
	}
	fa, fb := readTree(t, a), readTree(t, b)
	if len(fa) != len(fb) || len(fa) < 32 {
		t.Fatalf("file counts differ or too few: %d vs %d", len(fa), len(fb))
	}
	for name, want := range fa {
		if got, ok := fb[name]; !ok || !bytes.Equal(got, want) {
			t.Errorf("%s differs between two runs with the same config", name)
		}
	}
}

func TestSeedChangesTheCompany(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if _, err := Generate(context.Background(), a, Config{Seed: 1, People: 500, Accounts: 60}); err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(context.Background(), b, Config{Seed: 2, People: 500, Accounts: 60}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"people.csv", "accounts.csv", "events.ndjson", "campaign_days.csv"} {
		x, _ := os.ReadFile(filepath.Join(a, name))
		y, _ := os.ReadFile(filepath.Join(b, name))
		if bytes.Equal(x, y) {
			t.Errorf("%s is the same for seeds 1 and 2", name)
		}
	}
}

func TestLoadTruthRoundTrips(t *testing.T) {
	dir, want := bundle(t)
	got, err := LoadTruth(filepath.Join(dir, "truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatal("truth.json does not load back to the Truth Generate returned")
	}
	if _, err := LoadTruth(filepath.Join(dir, "missing.json")); err == nil {
		t.Fatal("loading a missing truth file succeeded")
	}
}

func TestGenerateStopsOnCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Generate(ctx, t.TempDir(), Config{People: 100, Accounts: 10}); err == nil {
		t.Fatal("Generate ran with a cancelled context")
	}
}

func TestProgressReportsEveryStep(t *testing.T) {
	var steps []string
	last := -1
	cfg := Config{People: 300, Accounts: 30, Progress: func(step string, done, total int) {
		if done < last || done > total {
			t.Errorf("progress went from %d to %d of %d", last, done, total)
		}
		last = done
		steps = append(steps, step)
	}}
	if _, err := Generate(context.Background(), t.TempDir(), cfg); err != nil {
		t.Fatal(err)
	}
	if len(steps) < 5 || steps[len(steps)-1] != "done" {
		t.Fatalf("progress steps = %v", steps)
	}
}
