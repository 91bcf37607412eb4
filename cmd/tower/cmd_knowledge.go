package main

import "github.com/spf13/cobra"

// knowledgeCommand is filled in with the knowledge capability.
func (a *app) knowledgeCommand() *cobra.Command {
	return &cobra.Command{Use: "knowledge", Short: "not ready yet", Hidden: true}
}
