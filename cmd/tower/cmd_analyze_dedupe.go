package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// analyzeDedupeCommand finds the same person entered twice in a CSV export.
func (a *app) analyzeDedupeCommand() *cobra.Command {
	return &cobra.Command{
		Use:    "dedupe FILE.csv",
		Short:  "Find records that are the same person in a CSV export",
		Hidden: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("analyze dedupe is not built yet")
		},
	}
}
