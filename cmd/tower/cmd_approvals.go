package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/fleet"
	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// approvalCommands: tower inbox, tower delegate, tower delegations.
func (a *app) approvalCommands() []*cobra.Command {
	return []*cobra.Command{a.inboxCommand(), a.delegateCommand(), a.delegationsCommand()}
}

// proposalsApprovalCommands: tower proposals edit.
func (a *app) proposalsApprovalCommands() []*cobra.Command {
	return []*cobra.Command{a.proposalsEditCommand()}
}

func (a *app) inboxCommand() *cobra.Command {
	var (
		as     string
		limit  int
		asJSON bool
	)
	cmd := &cobra.Command{
		Use: "inbox", Short: "Proposals waiting for your decision, most valuable first", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			user := as
			if user == "" {
				user = a.actor()
			}
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			items, err := governance.Inbox(cmd.Context(), st, user, time.Now().UTC(), limit)
			if err != nil {
				return fmt.Errorf("reading %s's inbox: %w", user, err)
			}
			if asJSON {
				return printJSON(a.stdout, nonNil(items))
			}
			if len(items) == 0 {
				fmt.Fprintf(a.stdout, "Nothing waits for %s's decision.\n", user)
				return nil
			}
			t := newTable(a.stdout, "ID", "TITLE", "AGENT", "VALUE $", "DECIDE BY", "APPROVALS", "STILL NEEDS", "FOR")
			for _, it := range items {
				v := it.Proposal.ExpectedValue
				t.row(it.Proposal.ID, it.Proposal.Title, it.Proposal.Agent, fmt.Sprintf("%.0f", v.PipelineUSD+v.SavingsUSD),
					it.DueAt.Format("2006-01-02 15:04"), fmt.Sprintf("%d of %d", countApproved(it.Approvals), it.Required),
					it.Missing, it.OnBehalfOf)
			}
			return t.flush()
		},
	}
	cmd.Flags().StringVar(&as, "as", "", "whose inbox (default: you, from TOWER_USER or USER)")
	cmd.Flags().IntVar(&limit, "limit", 50, "show at most this many")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}

func countApproved(as []proposal.Approval) int {
	n := 0
	for _, a := range as {
		if a.Verdict == "approved" {
			n++
		}
	}
	return n
}

func (a *app) delegateCommand() *cobra.Command {
	var (
		from, to, until string
		clear           bool
	)
	cmd := &cobra.Command{
		Use:   "delegate",
		Short: "Let someone approve in your place while you are away (or --clear to stop)",
		Example: "  tower delegate --to dana --until 2026-12-24\n  tower delegate --to dana --until 5d\n" +
			"  tower delegate --clear",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if from == "" {
				from = a.actor()
			}
			now := time.Now().UTC()
			p := store.DelegationSetParams{From: from, At: now}
			switch {
			case clear:
				if to != "" || until != "" {
					return errors.New("--clear takes neither --to nor --until")
				}
			case to == "" || until == "":
				return errors.New("say who approves in your place and until when: --to USER --until DATE (or a duration such as 5d), or --clear")
			default:
				u, err := parseUntil(until, now)
				if err != nil {
					return err
				}
				p.To, p.Until = to, u
			}
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			err = st.InTx(cmd.Context(), func(ctx context.Context, q store.Queries) error {
				return governance.Delegate(ctx, q, from, p.To, p.Until, now, "user:"+a.actor())
			})
			if err != nil {
				return err
			}
			if clear {
				fmt.Fprintf(a.stdout, "%s approves in person again: no delegate.\n", from)
				return nil
			}
			fmt.Fprintf(a.stdout, "Until %s, %s may approve in %s's place.\n", p.Until.Format("2006-01-02 15:04 MST"), to, from)
			return nil
		},
	}
	cmd.Flags().StringVar(&to, "to", "", "who approves in your place")
	cmd.Flags().StringVar(&until, "until", "", "until this date (2026-12-24, through the end of that day UTC), time (RFC 3339) or for this long (5d, 36h)")
	cmd.Flags().StringVar(&from, "from", "", "whose approvals are delegated (default: you)")
	cmd.Flags().BoolVar(&clear, "clear", false, "stop delegating")
	return cmd
}

// parseUntil reads --until: a date (through the end of that day, UTC), a
// time, or a duration from now (with "d" for days).
func parseUntil(s string, now time.Time) (time.Time, error) {
	var u time.Time
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		u = d.Add(24 * time.Hour)
	} else if t, err := time.Parse(time.RFC3339, s); err == nil {
		u = t.UTC()
	} else if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil {
			return time.Time{}, fmt.Errorf("--until %q: write a date such as 2026-12-24, or a duration such as 5d or 36h", s)
		}
		u = now.Add(time.Duration(n) * 24 * time.Hour)
	} else if d, err := time.ParseDuration(s); err == nil {
		u = now.Add(d)
	} else {
		return time.Time{}, fmt.Errorf("--until %q: write a date such as 2026-12-24, or a duration such as 5d or 36h", s)
	}
	if !u.After(now) {
		return time.Time{}, fmt.Errorf("--until %q is already past", s)
	}
	return u, nil
}

func (a *app) delegationsCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use: "delegations", Short: "Who approves in whose place right now", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			ds, err := st.DelegationsList(cmd.Context(), &store.DelegationsListParams{At: time.Now().UTC()})
			if err != nil {
				return fmt.Errorf("listing delegations: %w", err)
			}
			if asJSON {
				type row struct {
					From  string    `json:"from"`
					To    string    `json:"to"`
					Until time.Time `json:"until"`
				}
				out := []row{}
				for _, d := range ds {
					out = append(out, row{d.From, d.To, d.Until})
				}
				return printJSON(a.stdout, out)
			}
			if len(ds) == 0 {
				fmt.Fprintln(a.stdout, "Nobody delegates approvals right now.")
				return nil
			}
			t := newTable(a.stdout, "FROM", "APPROVED BY", "UNTIL")
			for _, d := range ds {
				t.row(d.From, d.To, d.Until.Format("2006-01-02 15:04 MST"))
			}
			return t.flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}

func (a *app) proposalsEditCommand() *cobra.Command {
	var (
		drops, sets []string
		reason      string
		asJSON      bool
	)
	cmd := &cobra.Command{
		Use:   "edit ID",
		Short: "Change a proposal waiting for approval: a new revision, decided again",
		Long: "Edit makes a new revision of a proposal that waits for approval: drop targets, or change an\n" +
			"action's parameters. The revision is checked and governed again (it may need other approvers,\n" +
			"or none); the old one is superseded and its approvals do not carry over.",
		Example: "  tower proposals edit p_01h... --drop-target person:42\n" +
			"  tower proposals edit p_01h... --set-param 1.tag=gold --reason \"gold, not vip\"",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(drops) == 0 && len(sets) == 0 {
				return errors.New("nothing to change: use --drop-target TYPE:ID or --set-param ACTION.NAME=VALUE")
			}
			change, err := editChange(drops, sets)
			if err != nil {
				return err
			}
			st, err := a.fleetStore(cmd.Context())
			if err != nil {
				return err
			}
			lc := a.lifecycle(st)
			p, err := lc.Edit(cmd.Context(), args[0], a.actor(), change, reason)
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(a.stdout, p)
			}
			fmt.Fprintf(a.stdout, "Proposal %s is superseded by revision %d: %s, which is %s.\n", p.Revises, p.Revision, p.ID, p.Status)
			if msg, err := lc.ApprovalProgress(cmd.Context(), p); err == nil && msg != "" {
				fmt.Fprintf(a.stdout, "It needs approval: %s.\n", msg)
			}
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&drops, "drop-target", nil, "leave this target out, e.g. person:42 or record:crm:123 (repeatable)")
	cmd.Flags().StringArrayVar(&sets, "set-param", nil, "set a parameter of action N (as numbered by 'tower proposals show'), e.g. 1.tag=gold (repeatable)")
	cmd.Flags().StringVar(&reason, "reason", "", "why you changed it (kept in the audit log)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the new revision as JSON")
	return cmd
}

// editChange turns --drop-target and --set-param into the edit.
func editChange(drops, sets []string) (func(*proposal.Proposal) error, error) {
	spec := fleet.EditSpec{DropTargets: drops}
	for _, s := range sets {
		key, raw, ok := strings.Cut(s, "=")
		idx, name, ok2 := strings.Cut(key, ".")
		n, err := strconv.Atoi(idx)
		if !ok || !ok2 || err != nil || n < 1 || name == "" {
			return nil, fmt.Errorf("--set-param %q: write ACTION.NAME=VALUE, e.g. 1.tag=gold", s)
		}
		var v any = raw
		if json.Valid([]byte(raw)) {
			_ = json.Unmarshal([]byte(raw), &v)
		}
		spec.SetParams = append(spec.SetParams, fleet.ParamSet{Action: n, Name: name, Value: v})
	}
	return spec.Change, nil
}
