package main

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/workspace"
)

func (a *app) initCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "init [DIR]",
		Short: "Create a workspace (tower.toml and folders) in DIR or the current folder",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			ws, err := workspace.Init(dir, a.environ)
			if err != nil {
				return err
			}
			a.ws = ws
			if err := writeDefaultPolicies(ws.Dir); err != nil {
				return err
			}
			if _, err := a.store(cmd.Context()); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Created a Tower workspace in %s\n", ws.Dir)
			fmt.Fprintf(a.stdout, "Wrote the default guardrails to %s (check them with `tower policy test`).\n", filepath.Join(ws.Dir, "policies"))
			fmt.Fprintf(a.stdout, "Next: put your CSV exports in %s/data and run `tower import %s/data`.\n", ws.Dir, ws.Dir)
			return nil
		},
	}
}
