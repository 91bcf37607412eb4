package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func (a *app) analyzeUpliftCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "uplift FILE.csv",
		Short: "Find who a campaign changes (uplift)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("not built yet")
		},
	}
}
