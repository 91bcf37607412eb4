package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/fleet"
	"github.com/towerops/tower/internal/ingest"
	"github.com/towerops/tower/internal/jobs"
	"github.com/towerops/tower/internal/store"

	// Built-in skills register themselves.
	_ "github.com/towerops/tower/internal/skills/bouncehygiene"
	_ "github.com/towerops/tower/internal/skills/campaignwatch"
	_ "github.com/towerops/tower/internal/skills/crosssell"
	_ "github.com/towerops/tower/internal/skills/dedupe"
	_ "github.com/towerops/tower/internal/skills/experimentanalyst"
	_ "github.com/towerops/tower/internal/skills/licenseauditor"
	_ "github.com/towerops/tower/internal/skills/linkaudit"
	_ "github.com/towerops/tower/internal/skills/nextbestaction"
	_ "github.com/towerops/tower/internal/skills/segmentscout"
	_ "github.com/towerops/tower/internal/skills/signalrouter"
	_ "github.com/towerops/tower/internal/skills/staleconsent"
	_ "github.com/towerops/tower/internal/skills/suppressionsync"
	_ "github.com/towerops/tower/internal/skills/templatereview"
)

// runtimeCommands are the agent runtime's commands: skills, agents,
// proposals, simulate.
func (a *app) runtimeCommands() []*cobra.Command {
	return []*cobra.Command{a.skillsCommand(), a.agentsCommand(), a.proposalsCommand(), a.simulateCommand()}
}

// actor is who the command acts as in the audit log: the operating-system
// user at the terminal, or TOWER_USER when set.
func (a *app) actor() string {
	if u, ok := a.environ("TOWER_USER"); ok && u != "" {
		return u
	}
	if u, ok := a.environ("USER"); ok && u != "" {
		return u
	}
	return "cli"
}

// jobQueue opens an insert-only job queue on the workspace database once:
// the CLI enqueues work (executions, triggered runs) in the same
// transactions as the data that needs it, and `tower serve` works it.
func (a *app) jobQueue(ctx context.Context) (*jobs.Queue, error) {
	if a.queue != nil {
		return a.queue, nil
	}
	st, err := a.store(ctx)
	if err != nil {
		return nil, err
	}
	q, err := jobs.Open(ctx, st, jobs.Config{InsertOnly: true, Logger: a.log()})
	if err != nil {
		return nil, err
	}
	a.queue = q
	a.enqueuer = fleet.JobEnqueuer{Queue: q}
	return q, nil
}

// importTrigger is the importer's hook that enqueues the skill runs new
// data triggers.
func (a *app) importTrigger(ctx context.Context) (func(context.Context, store.Queries, ingest.Kind, int64) error, error) {
	q, err := a.jobQueue(ctx)
	if err != nil {
		return nil, err
	}
	hook := fleet.ImportTrigger(q)
	return func(ctx context.Context, sq store.Queries, kind ingest.Kind, n int64) error {
		return hook(ctx, sq, string(kind), n)
	}, nil
}

// fleetStore opens the store and brings the workspace's agents/ folder in
// sync, so every runtime command sees the fleet as declared in git.
func (a *app) fleetStore(ctx context.Context) (store.Store, error) {
	st, err := a.store(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := a.jobQueue(ctx); err != nil {
		return nil, err
	}
	// A policy file with a mistake stops every fleet command with the
	// file, line and reason: agents never run under guardrails that did
	// not load.
	if _, err := a.pack(); err != nil {
		return nil, err
	}
	if a.synced {
		return st, nil
	}
	ws, err := a.workspace()
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(ws.Dir, "agents")
	if _, err := os.Stat(dir); err != nil {
		a.synced = true
		return st, nil
	}
	res, err := fleet.SyncAgents(ctx, st, dir, "user:"+a.actor())
	if err != nil {
		return nil, err
	}
	for _, p := range res.Problems {
		fmt.Fprintf(a.stderr, "warning: %s (that agent is left as it was)\n", p.Error())
	}
	a.synced = true
	return st, nil
}

func (a *app) lifecycle(st store.Store) *fleet.Lifecycle {
	return &fleet.Lifecycle{Store: st, Enqueuer: a.enqueuer, Pack: a.govPack, Runner: a.runner(st), Outbox: a.outbox()}
}

func (a *app) runner(st store.Store) *fleet.Runner {
	return &fleet.Runner{Store: st, Pack: a.govPack, Enqueuer: a.enqueuer, Logger: a.log(), Knowledge: a.knowledgeFunc()}
}
