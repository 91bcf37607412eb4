package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/connect"
	"github.com/towerops/tower/internal/fleet"
	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/jobs"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/workspace"
)

// app is what every command shares: the workspace flag, where to print,
// and lazily the workspace, logger and store.
type app struct {
	workspaceFlag string
	verbose       bool
	// quiet lowers info logging to warnings for one-shot commands, which
	// print their own results; `tower serve` turns it off.
	quiet   bool
	stdout  io.Writer
	stderr  io.Writer
	environ func(string) (string, bool)

	ws     *workspace.Workspace
	logger *slog.Logger
	st     store.Store
	// synced is set once the workspace's agent files were synced.
	synced bool
	// enqueuer enqueues proposal executions; nil until the job queue is open.
	enqueuer fleet.Enqueuer
	queue    *jobs.Queue
	// govPack is the workspace's governance, loaded once by pack().
	govPack *governance.Pack
	// know is the workspace's knowledge folder, loaded on first use.
	know *knowledgeLoader
	// conns are the workspace's connector files, read once.
	conns []connect.Config
}

func newRoot() *cobra.Command {
	a := &app{stdout: os.Stdout, stderr: os.Stderr, environ: os.LookupEnv, quiet: true}
	return a.rootCommand()
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "tower",
		Short: "Tower: a control tower for your marketing team's AI agents",
		Long: `Tower watches your marketing data (CRM, marketing automation, ESP, events,
campaigns, licences), lets agents propose fixes with evidence, and lets your
team decide what runs on its own and what needs approval.

Commands act on the workspace in the current folder (its tower.toml), or on
the one named by --workspace DIR or TOWER_WORKSPACE.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPostRunE: func(cmd *cobra.Command, args []string) error {
			return a.close()
		},
	}
	root.PersistentFlags().StringVarP(&a.workspaceFlag, "workspace", "w", "", "workspace folder (default: current folder or TOWER_WORKSPACE)")
	root.PersistentFlags().BoolVarP(&a.verbose, "verbose", "v", false, "log what Tower does, step by step")
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.AddCommand(
		a.initCommand(), a.importCommand(), a.demoCommand(), a.serveCommand(),
		a.peopleCommand(), a.accountsCommand(), a.campaignsCommand(),
		a.migrateCommand(), a.benchCommand(), a.versionCommand(), a.sourcesCommand(),
		a.knowledgeCommand(), a.licensesCommand(), a.lintCommand(),
	)
	root.AddCommand(a.runtimeCommands()...)
	root.AddCommand(a.securityCommands()...)
	root.AddCommand(a.governanceCommands()...)
	root.AddCommand(a.measureCommands()...)
	root.AddCommand(a.analyzeCommand())
	root.AddCommand(a.segmentsCommand())
	root.AddCommand(a.hygieneCommands()...)
	root.AddCommand(a.briefingCommand())
	return root
}

// workspace finds the workspace once.
func (a *app) workspace() (*workspace.Workspace, error) {
	if a.ws != nil {
		return a.ws, nil
	}
	ws, err := workspace.Find(a.workspaceFlag, a.environ)
	if err != nil {
		return nil, err
	}
	a.ws = ws
	return ws, nil
}

// log returns the workspace logger (stderr, level and format from config).
func (a *app) log() *slog.Logger {
	if a.logger != nil {
		return a.logger
	}
	level, format := slog.LevelInfo, "text"
	if a.ws != nil {
		_ = level.UnmarshalText([]byte(a.ws.Config.Log.Level))
		format = a.ws.Config.Log.Format
	}
	if a.verbose && level > slog.LevelInfo {
		level = slog.LevelInfo
	} else if a.quiet && !a.verbose && level == slog.LevelInfo {
		level = slog.LevelWarn
	}
	opts := &slog.HandlerOptions{Level: level}
	if format == "json" {
		a.logger = slog.New(slog.NewJSONHandler(a.stderr, opts))
	} else {
		a.logger = slog.New(slog.NewTextHandler(a.stderr, opts))
	}
	return a.logger
}

// store opens the workspace database and brings its schema up to date, so
// no command ever runs against an old schema.
func (a *app) store(ctx context.Context) (store.Store, error) {
	if a.st != nil {
		return a.st, nil
	}
	ws, err := a.workspace()
	if err != nil {
		return nil, err
	}
	if _, err := a.connectorConfigs(); err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, ws.Config.Database.URL)
	if err != nil {
		return nil, fmt.Errorf("opening the database %s: %w", store.Redact(ws.Config.Database.URL), err)
	}
	applied, err := st.MigrateUp(ctx)
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("updating the database schema: %w", err)
	}
	for _, m := range applied {
		a.log().InfoContext(ctx, "applied migration", "version", m.Version, "name", m.Name)
	}
	if err := jobs.Migrate(ctx, st); err != nil {
		st.Close()
		return nil, fmt.Errorf("updating the database schema: %w", err)
	}
	a.st = st
	return st, nil
}

func (a *app) close() error {
	if a.st == nil {
		return nil
	}
	err := a.st.Close()
	a.st = nil
	return err
}
