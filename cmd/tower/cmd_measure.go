package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/measure"
	"github.com/towerops/tower/internal/proposal"
)

// measureCommands are scorecards and the value report.
func (a *app) measureCommands() []*cobra.Command {
	return []*cobra.Command{a.scorecardsCommand(), a.valueCommand()}
}

func (a *app) scorecardsCommand() *cobra.Command {
	var (
		by, trend, agent, skillName, since, until string
		days                                      int
		asJSON                                    bool
	)
	cmd := &cobra.Command{
		Use:   "scorecards [--by agent|skill|kind|owner|team|fleet] [--agent A] [--since DATE]",
		Short: "Show whether each agent is worth its autonomy: acceptance, autonomy, handoffs, speed, undo and error rates, value",
		Long: `Scores agents from their history: the proposals they made in the period and
what became of them.

  accepted   a person approved it as the agent proposed it
  edited     a person changed it before it ran (or was rejected)
  rejected, expired, denied (by policy), waiting
  on own     executed without a person, under the agent's autonomy
  accept %   approved (as proposed or edited) of everything people decided
  to people  proposals the agent passed to a person for approval
  to agent   proposals from runs a person started; promotions and demotions
             are action kinds handed to the agent to do on its own, or taken back
  p50, p90   hours from proposal to a person's verdict
  undo %     undone of executed; error % failed of executed and failed
  value      expected by the agents, and realised: measured after execution
             (tower value report explains how)

The period is --since to --until (dates, UTC; --until is the last day included,\ntoday by default), or the last --days days up to --until.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var f measure.Filter
			var o measure.Options
			var err error
			if o.By, err = measure.ParseBy(by, measure.Groupings); err != nil {
				return flagError(err)
			}
			if o.Trend, err = measure.ParseTrend(trend); err != nil {
				return flagError(err)
			}
			if f.Since, f.Until, err = measure.ParsePeriod(since, until, days, time.Now()); err != nil {
				return flagError(err)
			}
			f.Agent, f.Skill = agent, skillName
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			h, err := measure.Load(cmd.Context(), st, f)
			if err != nil {
				return err
			}
			cards := measure.Scorecards(h, o)
			if asJSON {
				return printJSON(a.stdout, cards)
			}
			return a.printCards(cards, f, o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&by, "by", string(measure.ByAgent), "one card per agent, skill, kind (of action), owner, team, or one for the fleet")
	fl.StringVar(&agent, "agent", "", "only this agent")
	fl.StringVar(&skillName, "skill", "", "only this skill's agents")
	fl.StringVar(&since, "since", "", "first day of the period (YYYY-MM-DD)")
	fl.StringVar(&until, "until", "", "last day of the period (YYYY-MM-DD, default today)")
	fl.IntVar(&days, "days", 30, "the period is the last N days (when --since is not given)")
	fl.StringVar(&trend, "trend", "", "also score each day or week of the period (day or week; shown with --json)")
	fl.BoolVar(&asJSON, "json", false, "print the scorecards as JSON")
	return cmd
}

// flagError names the flag measure refused: "--since: since "5 Jan" is
// not a date: ...".
func flagError(err error) error {
	var ie *measure.InputError
	if errors.As(err, &ie) {
		return fmt.Errorf("--%s: %s", ie.Field, ie.Reason)
	}
	return err
}

// printCards prints one row per card.
func (a *app) printCards(cards []measure.Card, f measure.Filter, o measure.Options) error {
	fmt.Fprintf(a.stdout, "Scorecards by %s, proposals made %s to %s (UTC)\n\n", o.By,
		f.Since.Format("2006-01-02 15:04"), f.Until.Format("2006-01-02 15:04"))
	if len(cards) == 0 || (len(cards) == 1 && cards[0].Proposals == 0) {
		fmt.Fprintln(a.stdout, "No proposals in this period.")
		return nil
	}
	tb := newTable(a.stdout, strings.ToUpper(string(o.By)), "PROPOSED", "ACCEPTED", "EDITED", "REJECTED", "EXPIRED", "ON OWN",
		"ACCEPT %", "AUTO %", "TO PEOPLE", "TO AGENT", "PROMOTED", "P50 H", "P90 H", "UNDO %", "ERROR %",
		"EXPECTED", "REALISED", "REALISED/PROMISED")
	for _, c := range cards {
		key := c.Key
		if key == "" {
			key = "(all)"
		}
		tb.row(key, c.Proposals, c.Accepted, c.Edited, c.Rejected, c.Expired, c.Autonomous,
			pct(c.AcceptRate), pct(c.AutonomousShare), c.Handoffs.ToPeople, c.Handoffs.ToAgent,
			fmt.Sprintf("%d/-%d", c.Handoffs.Promotions, c.Handoffs.Demotions), c.DecisionP50, c.DecisionP90,
			pct(c.UndoRate), pct(c.ErrorRate), valueShort(c.Expected), valueShort(c.Realised), realisedText(c))
	}
	return tb.flush()
}

func pct(r float64) string { return fmt.Sprintf("%.0f%%", r*100) }

// valueShort writes a value as dollars and hours: "$1,200 + 3.5 h".
func valueShort(v proposal.Value) string {
	var parts []string
	if usd := v.SavingsUSD + v.PipelineUSD; usd != 0 {
		parts = append(parts, proposal.Dollars(usd))
	}
	if v.HoursSaved != 0 {
		parts = append(parts, fmt.Sprintf("%.1f h", v.HoursSaved))
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, " + ")
}

func realisedText(c measure.Card) string {
	if c.Measured == 0 {
		if c.Pending > 0 {
			return fmt.Sprintf("not measured yet (%d)", c.Pending)
		}
		return "-"
	}
	return fmt.Sprintf("%s of %d measured", pct(c.RealisedRatio), c.Measured)
}
