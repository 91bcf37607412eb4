package main

import "github.com/spf13/cobra"

// licensesCommand is filled in with the licenses capability.
func (a *app) licensesCommand() *cobra.Command {
	return &cobra.Command{Use: "licenses", Short: "not ready yet", Hidden: true}
}
