package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/skill"
)

// skillJSON is the stable JSON form of a skill's manifest.
type skillJSON struct {
	Name        string      `json:"name"`
	Team        string      `json:"team"`
	Description string      `json:"description"`
	Schedule    string      `json:"schedule,omitempty"`
	Events      []string    `json:"events,omitempty"`
	Actions     []string    `json:"actions"`
	Scopes      []string    `json:"scopes"`
	Knowledge   []string    `json:"knowledge,omitempty"`
	Params      []paramJSON `json:"params"`
}

type paramJSON struct {
	Name        string   `json:"name"`
	Type        string   `json:"type"`
	Default     any      `json:"default"`
	Min         *float64 `json:"min,omitempty"`
	Max         *float64 `json:"max,omitempty"`
	Enum        []string `json:"enum,omitempty"`
	Description string   `json:"description,omitempty"`
}

func toSkillJSON(m skill.Manifest) skillJSON {
	out := skillJSON{Name: m.Name, Team: m.Team, Description: m.Description, Schedule: m.Triggers.Schedule,
		Events: m.Triggers.Events, Knowledge: m.Knowledge, Scopes: append([]string{"all"}, m.Scopes...), Params: []paramJSON{}}
	for _, k := range m.Actions {
		out.Actions = append(out.Actions, string(k))
	}
	for _, p := range m.Params {
		out.Params = append(out.Params, paramJSON{Name: p.Name, Type: string(p.Type), Default: p.Default,
			Min: p.Min, Max: p.Max, Enum: p.Enum, Description: p.Description})
	}
	return out
}

func (a *app) skillsCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "skills", Short: "The skills agents are made from"}
	var asJSON bool
	list := &cobra.Command{
		Use: "list", Short: "List the built-in skills", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var rows []skillJSON
			for _, s := range skill.All() {
				rows = append(rows, toSkillJSON(s.Manifest()))
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
			j := toSkillJSON(s.Manifest())
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
