package main

import "github.com/spf13/cobra"

// analyzeCommand runs Tower's engines on any CSV export, without a
// workspace, so a team can try them on its own data before wiring them in.
func (a *app) analyzeCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "analyze",
		Short: "Run Tower's analyses on any CSV export (no workspace needed)",
	}
	cmd.AddCommand(a.analyzeDedupeCommand())
	cmd.AddCommand(a.analyzeAnomaliesCommand())
	cmd.AddCommand(a.analyzeScoreCommand())
	cmd.AddCommand(a.analyzeSegmentsCommand())
	cmd.AddCommand(a.analyzeBasketCommand())
	cmd.AddCommand(a.analyzeUpliftCommand())
	return cmd
}
