package main

import "github.com/spf13/cobra"

// policyCommands: tower policy list|check|test|explain (not written yet).
func (a *app) policyCommands() []*cobra.Command { return nil }
