package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/demo"
	"github.com/towerops/tower/internal/demo/replay"
	"github.com/towerops/tower/internal/ingest"
	"github.com/towerops/tower/internal/workspace"
)

// demoMarker records which demo a workspace holds, so `tower demo` run
// again reuses it instead of importing the same data twice.
type demoMarker struct {
	Seed       int64     `json:"seed"`
	People     int       `json:"people"`
	Accounts   int       `json:"accounts"`
	ImportedAt time.Time `json:"imported_at"`
	// History is the simulated history replayed after the import; nil
	// when none was (a reused workspace never replays it again).
	History *demoHistoryMark `json:"history,omitempty"`
}

// demoHistoryMark records the replayed history.
type demoHistoryMark struct {
	Days int       `json:"days"`
	End  time.Time `json:"end"`
}

const demoMarkerFile = ".tower-demo.json"

func (a *app) demoCommand() *cobra.Command {
	var (
		dir, out, addr string
		fresh, serve   bool
		historyDays    int
		cfg            demo.Config
	)
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Build and import a demo workspace of a believable B2B SaaS company",
		Long: `Build a demo workspace: a B2B SaaS company with ~50,000 people recorded in a
CRM, a marketing-automation platform and an ESP, 5,000 accounts, 120 campaigns
with daily metrics, six months of events, martech licences and e-mail
templates. Problems are planted in it on purpose (suppression out of sync,
unpropagated bounces, duplicates, failing campaigns, idle seats, broken
templates); data/truth.json lists every one.

Then it gives the workspace a history: the demo's agents run over the past
--history-days simulated days while a simulated marketing-operations team
approves, edits, rejects and sometimes undoes what they propose, so the
scorecards have weeks of decisions to show. Then it runs the agents once
more today under the policies in policies/, and
serves the console (http://127.0.0.1:8080/) with a sign-in for the demo
admin, so you can decide on what the agents propose, watch it execute and
check the audit log. Ctrl-C stops it.

Run it again and it reuses the workspace; --fresh rebuilds it.
With --out DIR it only writes the import bundle, to look at the formats.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out != "" {
				return a.demoBundleOnly(cmd, out, cfg)
			}
			imported, err := a.demoWorkspace(cmd, dir, fresh, cfg)
			if err != nil {
				return err
			}
			if imported && historyDays > 0 {
				if err := a.demoHistory(cmd.Context(), cfg.Seed, historyDays); err != nil {
					return err
				}
			}
			return a.demoConsole(cmd.Context(), serve, addr)
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "demo-workspace", "workspace folder to create or reuse")
	cmd.Flags().StringVar(&out, "out", "", "only write the import bundle into this folder")
	cmd.Flags().BoolVar(&fresh, "fresh", false, "throw away an existing demo workspace's data and rebuild it")
	cmd.Flags().BoolVar(&serve, "serve", true, "end by serving the console (--serve=false: stop after building the workspace)")
	cmd.Flags().StringVar(&addr, "addr", "", "HOST:PORT for the console (default from tower.toml, 127.0.0.1:8080)")
	cmd.Flags().IntVar(&historyDays, "history-days", replay.DefaultDays, "days of simulated history to give a new demo workspace (0: none)")
	cmd.Flags().Int64Var(&cfg.Seed, "seed", 1, "which company to generate (same seed, same data)")
	cmd.Flags().IntVar(&cfg.People, "people", 50000, "how many people")
	cmd.Flags().IntVar(&cfg.Accounts, "accounts", 5000, "how many accounts")
	return cmd
}

func (a *app) demoBundleOnly(cmd *cobra.Command, out string, cfg demo.Config) error {
	start := time.Now()
	prog := a.newProgress()
	cfg.Progress = func(step string, done, total int) { prog.update("generating: "+step, int64(done), int64(total), false) }
	truth, err := demo.Generate(cmd.Context(), out, cfg)
	prog.finish()
	if err != nil {
		return fmt.Errorf("generating the demo bundle: %w", err)
	}
	fmt.Fprintf(a.stdout, "Wrote the demo bundle to %s in %s (%d planted facts in truth.json).\n",
		out, time.Since(start).Round(time.Millisecond), len(truth.Facts))
	fmt.Fprintf(a.stdout, "Import it into a workspace with `tower import %s`.\n", out)
	return nil
}

// demoWorkspace builds or reuses the demo workspace; imported says it was
// built now (and so has no history yet).
func (a *app) demoWorkspace(cmd *cobra.Command, dir string, fresh bool, cfg demo.Config) (bool, error) {
	ctx := cmd.Context()
	ws, err := workspace.Find(dir, a.environ)
	if errors.Is(err, workspace.ErrNoWorkspace) {
		ws, err = workspace.Init(dir, a.environ)
	}
	if err != nil {
		return false, err
	}
	a.ws = ws
	if err := writeDefaultPolicies(ws.Dir); err != nil {
		return false, err
	}
	if err := demo.WriteAgents(ws.Dir); err != nil {
		return false, err
	}
	if err := demo.WriteKnowledge(filepath.Join(ws.Dir, "knowledge")); err != nil {
		return false, fmt.Errorf("writing the demo's knowledge folder: %w", err)
	}
	bundle := filepath.Join(ws.Dir, "data")
	markerPath := filepath.Join(ws.Dir, demoMarkerFile)
	want := demoMarker{Seed: cfg.Seed, People: cfg.People, Accounts: cfg.Accounts}

	if fresh {
		if err := a.clearDemo(ws, markerPath); err != nil {
			return false, err
		}
	}
	if have, ok := readMarker(markerPath); ok && have.Seed == want.Seed && have.People == want.People && have.Accounts == want.Accounts {
		st, err := a.store(ctx)
		if err != nil {
			return false, err
		}
		n, err := st.Counts(ctx)
		if err != nil {
			return false, fmt.Errorf("reading the demo workspace: %w", err)
		}
		if n.People > 0 {
			fmt.Fprintf(a.stdout, "Reusing the demo workspace in %s (imported %s; --fresh rebuilds it).\n\n",
				ws.Dir, have.ImportedAt.Local().Format("2006-01-02 15:04"))
			return false, a.demoSummary(cmd, ws, nil)
		}
	}

	start := time.Now()
	prog := a.newProgress()
	cfg.Progress = func(step string, done, total int) { prog.update("generating: "+step, int64(done), int64(total), false) }
	truth, err := demo.Generate(ctx, bundle, cfg)
	prog.finish()
	if err != nil {
		return false, fmt.Errorf("generating the demo bundle: %w", err)
	}
	generated := time.Since(start)

	st, err := a.store(ctx)
	if err != nil {
		return false, err
	}
	importStart := time.Now()
	rep, err := ingest.ImportBundle(ctx, st, bundle, ingest.Options{
		Logger:   a.log(),
		Progress: func(kind string, done, total int64) { prog.update("importing "+kind, done, total, true) },
	})
	prog.finish()
	if err != nil {
		return false, fmt.Errorf("importing the demo bundle: %w", err)
	}
	imported := time.Since(importStart)
	if rep.Failed() {
		printImportReport(a.stdout, rep)
		return false, exitError{code: 1, msg: "the demo bundle had rows Tower could not import; this is a bug in the demo generator"}
	}
	want.ImportedAt = time.Now().UTC()
	if err := writeMarker(markerPath, want); err != nil {
		return false, err
	}
	fmt.Fprintf(a.stdout, "Built the demo workspace in %s: generated in %s, imported in %s.\n\n",
		ws.Dir, generated.Round(time.Millisecond), imported.Round(time.Millisecond))
	return true, a.demoSummary(cmd, ws, truth)
}

// demoSummary prints what the workspace holds and what to try next.
func (a *app) demoSummary(cmd *cobra.Command, ws *workspace.Workspace, truth *demo.Truth) error {
	st, err := a.store(cmd.Context())
	if err != nil {
		return err
	}
	n, err := st.Counts(cmd.Context())
	if err != nil {
		return fmt.Errorf("counting the demo workspace: %w", err)
	}
	if err := printCounts(a.stdout, n); err != nil {
		return err
	}
	if truth == nil {
		truth, _ = demo.LoadTruth(filepath.Join(ws.Dir, "data", "truth.json"))
	}
	if truth != nil {
		fmt.Fprintf(a.stdout, "\n%d problems are planted in this company for Tower's agents to find; data/truth.json lists them.\n", len(truth.Facts))
	}
	rel, err := filepath.Rel(mustGetwd(), ws.Dir)
	if err != nil || strings.HasPrefix(rel, "..") {
		rel = ws.Dir
	}
	self := "tower"
	if strings.Contains(os.Args[0], "go-build") {
		self = "go run ./cmd/tower" // started with go run from the source folder
	}
	fmt.Fprintf(a.stdout, "\nTry:\n")
	for _, c := range []string{"people list --search smith", "campaigns list --channel email",
		"lint templates", "licenses audit", "proposals list --status pending_approval", "audit verify"} {
		fmt.Fprintf(a.stdout, "  %s -w %s %s\n", self, rel, c)
	}
	return nil
}

func (a *app) clearDemo(ws *workspace.Workspace, markerPath string) error {
	if _, ok := readMarker(markerPath); !ok {
		if _, err := os.Stat(filepath.Join(ws.Dir, "tower.db")); err == nil {
			return fmt.Errorf("%s is not a demo workspace; --fresh only rebuilds workspaces made by `tower demo`", ws.Dir)
		}
	}
	for _, name := range []string{demoMarkerFile, "tower.db", "tower.db-wal", "tower.db-shm"} {
		if err := os.Remove(filepath.Join(ws.Dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("removing the old demo: %w", err)
		}
	}
	if err := os.RemoveAll(filepath.Join(ws.Dir, "data")); err != nil {
		return fmt.Errorf("removing the old demo bundle: %w", err)
	}
	return nil
}

func readMarker(path string) (demoMarker, bool) {
	var m demoMarker
	b, err := os.ReadFile(path)
	if err != nil || json.Unmarshal(b, &m) != nil {
		return m, false
	}
	return m, true
}

func writeMarker(path string, m demoMarker) error {
	b, _ := json.MarshalIndent(m, "", "  ")
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("recording the demo: %w", err)
	}
	return nil
}

func mustGetwd() string {
	wd, _ := os.Getwd()
	return wd
}
