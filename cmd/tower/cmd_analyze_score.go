package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func (a *app) analyzeScoreCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "score",
		Short: "Score how likely each row is to convert (propensity)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("not built yet")
		},
	}
}
