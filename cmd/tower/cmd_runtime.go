package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/fleet"
	"github.com/towerops/tower/internal/store"

	_ "github.com/towerops/tower/internal/skills/staleconsent" // built-in skill
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

// fleetStore opens the store and brings the workspace's agents/ folder in
// sync, so every runtime command sees the fleet as declared in git.
func (a *app) fleetStore(ctx context.Context) (store.Store, error) {
	st, err := a.store(ctx)
	if err != nil {
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
	return &fleet.Lifecycle{Store: st, Enqueuer: a.enqueuer}
}

func (a *app) runner(st store.Store) *fleet.Runner {
	return &fleet.Runner{Store: st, Enqueuer: a.enqueuer, Logger: a.log()}
}
