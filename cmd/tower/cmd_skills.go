package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/skill"
)

func (a *app) skillsCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "skills", Short: "The skills agents are made from"}
	var asJSON bool
	list := &cobra.Command{
		Use: "list", Short: "List the built-in skills", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var rows []skill.Description
			for _, s := range skill.All() {
				rows = append(rows, skill.Describe(s.Manifest()))
			}
			if asJSON {
				return printJSON(a.stdout, nonNil(rows))
			}
			t := newTable(a.stdout, "SKILL", "TEAM", "SCHEDULE", "PROPOSES", "DESCRIPTION")
			for _, r := range rows {
				t.row(r.Name, r.Team, r.Schedule, strings.Join(r.Actions, ","), r.Description)
			}
			return t.flush()
		},
	}
	list.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	var showJSON bool
	show := &cobra.Command{
		Use: "show SKILL", Short: "Show a skill: triggers, what it may propose, its parameters", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := skill.Lookup(args[0])
			if err != nil {
				return err
			}
			j := skill.Describe(s.Manifest())
			if showJSON {
				return printJSON(a.stdout, j)
			}
			if err := keyValues(a.stdout, "Skill", j.Name, "Team", j.Team, "Description", j.Description,
				"Schedule (UTC cron)", j.Schedule, "Runs on events", strings.Join(j.Events, ", "),
				"May propose", strings.Join(j.Actions, ", "), "Agents can be scoped by", strings.Join(j.Scopes, ", ")); err != nil {
				return err
			}
			fmt.Fprintln(a.stdout, "\nParameters")
			t := newTable(a.stdout, "NAME", "TYPE", "DEFAULT", "MEANING")
			for _, p := range j.Params {
				t.row(p.Name, p.Type, fmt.Sprint(p.Default), p.Description)
			}
			return t.flush()
		},
	}
	show.Flags().BoolVar(&showJSON, "json", false, "print as JSON")
	cmd.AddCommand(list, show)
	return cmd
}
