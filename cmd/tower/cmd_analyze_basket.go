package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func (a *app) analyzeBasketCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "basket FILE.csv",
		Short: "Find products bought together (cross-sell rules)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("not built yet")
		},
	}
}
