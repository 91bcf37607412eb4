package main

import "github.com/spf13/cobra"

// lintCommand is filled in with the lint capability.
func (a *app) lintCommand() *cobra.Command {
	return &cobra.Command{Use: "lint", Short: "not ready yet", Hidden: true}
}
