package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/towerops/tower/internal/demo"
	"github.com/towerops/tower/internal/ingest"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/postgres"
)

// Config says what to measure against.
type Config struct {
	// Rows is the size of the generated people.csv for ImportPeople.
	// Default 1,000,000, the size the import target is stated for.
	Rows int
	// DatabaseURL is a PostgreSQL server to measure on; each run gets a new
	// schema there, dropped afterwards. Empty measures SQLite, in a file in
	// a temporary folder.
	DatabaseURL string
	// Demo sizes the demo for Demo; zero is the default demo.
	Demo demo.Config
	// Progress, when set, is told which step is running.
	Progress func(step string)
}

// Step is one timed part of a run.
type Step struct {
	Name     string        `json:"name"`
	Rows     int64         `json:"rows,omitempty"`
	Duration time.Duration `json:"duration_ns"`
	Seconds  float64       `json:"seconds"`
}

// Result is one measurement.
type Result struct {
	Name       string  `json:"name"`
	Backend    string  `json:"backend"`
	Rows       int64   `json:"rows"`
	Seconds    float64 `json:"seconds"`
	RowsPerSec float64 `json:"rows_per_second"`
	Steps      []Step  `json:"steps"`
}

// ImportPeople writes a people.csv of cfg.Rows rows, then imports it into a
// fresh, migrated database and reports the import alone (writing the file
// is shown as its own step).
func ImportPeople(ctx context.Context, cfg Config) (*Result, error) {
	if cfg.Rows <= 0 {
		cfg.Rows = 1_000_000
	}
	tmp, err := os.MkdirTemp("", "tower-bench-")
	if err != nil {
		return nil, fmt.Errorf("bench folder: %w", err)
	}
	defer os.RemoveAll(tmp)
	res := &Result{Name: fmt.Sprintf("import %d people rows", cfg.Rows)}

	cfg.step("writing people.csv")
	path := filepath.Join(tmp, "people.csv")
	start := time.Now()
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("bench people.csv: %w", err)
	}
	if err := demo.WritePeopleCSV(f, cfg.Rows); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("bench people.csv: %w", err)
	}
	res.add("write people.csv", int64(cfg.Rows), time.Since(start))

	st, cleanup, err := freshStore(ctx, cfg.DatabaseURL, tmp)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	res.Backend = st.Backend()

	cfg.step("importing people.csv")
	rep, err := ingest.ImportFile(ctx, st, ingest.KindPeople, path, ingest.Options{ErrorsReport: ingest.ErrorsReportNone})
	if err != nil {
		return nil, fmt.Errorf("bench import: %w", err)
	}
	if rep.Failed() {
		return nil, fmt.Errorf("bench import refused rows: %d problems, first: %v", rep.ErrorCount, rep.Errors)
	}
	_, written, _, _ := rep.Totals()
	res.add("import people.csv", written, rep.Duration)
	res.finish(written, rep.Duration)
	return res, nil
}

// Demo generates the demo bundle and imports it into a fresh database:
// what `tower demo` makes a newcomer wait for.
func Demo(ctx context.Context, cfg Config) (*Result, error) {
	tmp, err := os.MkdirTemp("", "tower-bench-")
	if err != nil {
		return nil, fmt.Errorf("bench folder: %w", err)
	}
	defer os.RemoveAll(tmp)
	res := &Result{Name: "demo: generate and import"}

	cfg.step("generating the demo bundle")
	start := time.Now()
	bundle := filepath.Join(tmp, "bundle")
	if _, err := demo.Generate(ctx, bundle, cfg.Demo); err != nil {
		return nil, fmt.Errorf("bench demo: %w", err)
	}
	generated := time.Since(start)
	res.add("generate", 0, generated)

	st, cleanup, err := freshStore(ctx, cfg.DatabaseURL, tmp)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	res.Backend = st.Backend()

	cfg.step("importing the demo bundle")
	rep, err := ingest.ImportBundle(ctx, st, bundle, ingest.Options{ErrorsReport: ingest.ErrorsReportNone})
	if err != nil {
		return nil, fmt.Errorf("bench demo import: %w", err)
	}
	if rep.Failed() {
		return nil, fmt.Errorf("bench demo import refused rows: %d problems, first: %v", rep.ErrorCount, rep.Errors)
	}
	for _, f := range rep.Files {
		res.add("import "+f.File, f.Written, f.Duration)
	}
	_, written, _, _ := rep.Totals()
	res.finish(written, generated+rep.Duration)
	return res, nil
}

// freshStore opens an empty, migrated database: a SQLite file in dir, or a
// new schema on the PostgreSQL server at url.
func freshStore(ctx context.Context, url, dir string) (store.Store, func(), error) {
	var drop func(context.Context) error
	if url == "" {
		url = "sqlite:" + filepath.Join(dir, "bench.db")
	} else if strings.HasPrefix(url, "postgres") {
		var err error
		url, drop, err = postgres.ScratchSchema(ctx, url, "bench")
		if err != nil {
			return nil, nil, err
		}
	}
	st, err := store.Open(ctx, url)
	if err != nil {
		if drop != nil {
			_ = drop(ctx)
		}
		return nil, nil, fmt.Errorf("bench database: %w", err)
	}
	cleanup := func() {
		st.Close()
		if drop != nil {
			_ = drop(context.WithoutCancel(ctx))
		}
	}
	if _, err := st.MigrateUp(ctx); err != nil {
		cleanup()
		return nil, nil, fmt.Errorf("bench database: %w", err)
	}
	return st, cleanup, nil
}

func (c Config) step(s string) {
	if c.Progress != nil {
		c.Progress(s)
	}
}

func (r *Result) add(name string, rows int64, d time.Duration) {
	r.Steps = append(r.Steps, Step{Name: name, Rows: rows, Duration: d, Seconds: d.Seconds()})
}

func (r *Result) finish(rows int64, d time.Duration) {
	r.Rows, r.Seconds = rows, d.Seconds()
	if d > 0 {
		r.RowsPerSec = float64(rows) / d.Seconds()
	}
}
