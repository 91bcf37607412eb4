package main

import "github.com/spf13/cobra"

// runtimeCommands are the agent runtime's commands: skills, agents,
// proposals, simulate.
func (a *app) runtimeCommands() []*cobra.Command { return nil }
