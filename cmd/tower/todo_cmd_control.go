package main

import "github.com/spf13/cobra"

// controlCommands: tower pause --all, tower resume --all, tower autonomy
// (not written yet).
func (a *app) controlCommands() []*cobra.Command { return nil }

// agentsControlCommands: tower agents reset|incident (not written yet).
func (a *app) agentsControlCommands() []*cobra.Command { return nil }
