package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/governance"
)

// governanceCommands are the top-level governance commands: policies, the
// approval inbox, delegation, the kill switch and autonomy.
func (a *app) governanceCommands() []*cobra.Command {
	var out []*cobra.Command
	out = append(out, a.policyCommands()...)
	out = append(out, a.approvalCommands()...)
	out = append(out, a.controlCommands()...)
	return out
}

// proposalsGovernanceCommands are `tower proposals` subcommands added by
// governance (edit).
func (a *app) proposalsGovernanceCommands() []*cobra.Command {
	return a.proposalsApprovalCommands()
}

// agentsGovernanceCommands are `tower agents` subcommands added by
// governance (reset, incident).
func (a *app) agentsGovernanceCommands() []*cobra.Command {
	return a.agentsControlCommands()
}

// pack loads the workspace's governance from its policies/ folder once
// (the built-in default pack when there is none).
func (a *app) pack() (*governance.Pack, error) {
	if a.govPack != nil {
		return a.govPack, nil
	}
	ws, err := a.workspace()
	if err != nil {
		return nil, err
	}
	p, err := governance.LoadPack(filepath.Join(ws.Dir, "policies"))
	if err != nil {
		return nil, err
	}
	a.govPack = p
	return p, nil
}

// writeDefaultPolicies writes the default policy pack into the
// workspace's policies/ folder, leaving files a team already has alone:
// the pack is theirs to change once written.
func writeDefaultPolicies(wsDir string) error {
	for name, body := range governance.DefaultPackFiles() {
		path := filepath.Join(wsDir, "policies", filepath.FromSlash(name))
		if _, err := os.Stat(path); err == nil {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("creating %s: %w", filepath.Dir(path), err)
		}
		if err := os.WriteFile(path, body, 0o644); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
	}
	return nil
}
