package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func (a *app) analyzeSegmentsCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "segments FILE.csv",
		Short: "Find groups that convert far above the rest",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("not built yet")
		},
	}
}
