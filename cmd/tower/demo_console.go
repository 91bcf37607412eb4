package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"time"

	"github.com/towerops/tower/internal/auth"
	"github.com/towerops/tower/internal/demo/replay"
	"github.com/towerops/tower/internal/fleet"
	"github.com/towerops/tower/internal/measure"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
)

// demoAdmin is the user the demo signs in to the console with.
const demoAdmin = "demo-admin"

// demoConsole runs the demo's agents once (so the inbox has something to
// decide), prints the morning briefing, gives the demo admin a fresh password and, with serve, serves
// the console until interrupted: the whole loop — proposals, decisions,
// execution, audit — is then in the browser.
func (a *app) demoConsole(ctx context.Context, serve bool, addr string) error {
	st, err := a.fleetStore(ctx)
	if err != nil {
		return err
	}
	skills, err := skillsOfFleet(ctx, st)
	if err != nil {
		return err
	}
	var reqs []fleet.RunRequest
	for _, s := range skills {
		reqs = append(reqs, fleet.RunRequest{Skill: s, Trigger: skill.Trigger{Kind: "manual"}})
	}
	fmt.Fprintf(a.stdout, "\nRunning the demo's agents under the policies in policies/:\n")
	runs, err := a.runFleet(ctx, st, reqs, true)
	if err != nil {
		return err
	}
	for _, r := range runs {
		printRunLine(a, r)
	}
	// The demo ends with the briefing: what the team's lead finds this
	// morning, including what the run just proposed.
	if err := a.demoBriefing(ctx); err != nil {
		return err
	}
	pw, err := demoAdminPassword(ctx, st)
	if err != nil {
		return err
	}
	if !serve {
		fmt.Fprintf(a.stdout, "\nStart the console with `tower serve` and sign in as %s with the password %s\n", demoAdmin, pw)
		return nil
	}
	return a.serve(ctx, addr, 2, func(bound net.Addr) {
		fmt.Fprintf(a.stdout, "\nThe console is at http://%s/\nSign in as %s with the password %s\n(a new password each time the demo starts; Ctrl-C stops the console)\n",
			bound, demoAdmin, pw)
	})
}

// demoHistory gives a newly imported demo workspace its past: the
// agents run over the days days before today while the demo's team
// decides (internal/demo/replay), one line a week, then the totals. The
// demo marker records it, so a reused workspace never replays it again.
func (a *app) demoHistory(ctx context.Context, seed int64, days int) error {
	st, err := a.fleetStore(ctx)
	if err != nil {
		return err
	}
	start := time.Now()
	end := start.UTC()
	fmt.Fprintf(a.stdout, "\nReplaying the last %d days: the demo's agents run on their schedules and the marketing-ops team\n(%s) decides on what they propose:\n",
		days, teamNames())
	var week replay.Totals
	var weekStart time.Time
	l, err := replay.Replay(ctx, st, a.runner(st), a.lifecycle(st), replay.Config{Days: days, End: end, Seed: seed, Logger: a.log(),
		Progress: func(d replay.Day, n, of int) {
			if weekStart.IsZero() {
				weekStart = d.Date
			}
			week.Add(d.Totals)
			if n%7 == 0 || n == of {
				fmt.Fprintf(a.stdout, "  %s to %s  %4d proposals, %4d decisions, %4d executed, %3d undone, %3d expired\n",
					weekStart.Format("Jan 02"), d.Date.Format("Jan 02"), week.Proposed, week.Decisions(), week.Executed, week.Undone, week.Expired)
				week, weekStart = replay.Totals{}, time.Time{}
			}
		}})
	if err != nil {
		return fmt.Errorf("replaying the demo's history: %w", err)
	}
	t := l.Totals()
	fmt.Fprintf(a.stdout, "History: %d decisions made (%d approved as proposed, %d edited, %d rejected); %d executed (%d on their own); %d undone; %d expired. (%s)\n",
		t.Decisions(), t.Approved, t.Edited, t.Rejected, t.Executed, t.OnTheirOwn, t.Undone, t.Expired, time.Since(start).Round(time.Second))
	if err := a.demoScorecards(ctx, st, l.Start, l.End); err != nil {
		return err
	}
	path := filepath.Join(a.ws.Dir, demoMarkerFile)
	m, _ := readMarker(path)
	m.History = &demoHistoryMark{Days: days, End: l.End}
	return writeMarker(path, m)
}

// demoScorecards prints the agents' scorecards over the replayed days,
// in short: the figures that say whether each agent earns its autonomy.
func (a *app) demoScorecards(ctx context.Context, st store.Store, since, until time.Time) error {
	h, err := measure.Load(ctx, st, measure.Filter{Since: since, Until: until})
	if err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, "\nThe agents' scorecards over those days (tower scorecards; the console's Scorecards and Value pages):")
	tb := newTable(a.stdout, "  AGENT", "PROPOSED", "ACCEPT %", "EDITED", "ON OWN", "P50 H", "UNDO %", "EXPECTED", "REALISED")
	for _, c := range measure.Scorecards(h, measure.Options{By: measure.ByAgent}) {
		tb.row("  "+c.Key, c.Proposals, pct(c.AcceptRate), c.Edited, c.Autonomous, c.DecisionP50, pct(c.UndoRate),
			valueShort(c.Expected), valueShort(c.Realised))
	}
	return tb.flush()
}

func teamNames() string {
	var out string
	for i, m := range replay.Team {
		if i > 0 {
			out += ", "
		}
		out += m.Name
	}
	return out
}

// printRunLine prints one skill run in a line.
func printRunLine(a *app, r runJSON) {
	waiting := r.ByStatus["pending_approval"]
	fmt.Fprintf(a.stdout, "  %-18s %4d new proposals, %4d waiting for approval, %3d executed on their own",
		r.Skill, len(r.Proposals), waiting, r.Executed)
	if r.Skipped > 0 {
		fmt.Fprintf(a.stdout, " (%d already open)", r.Skipped)
	}
	fmt.Fprintln(a.stdout)
}

// demoAdminPassword creates the demo admin on first use and sets a new
// generated password every time, so no fixed password ships with Tower.
func demoAdminPassword(ctx context.Context, st store.Store) (string, error) {
	if _, err := st.UserGet(ctx, &store.UserGetParams{Name: demoAdmin}); errors.Is(err, store.ErrNotFound) {
		if _, err := auth.CreateUser(ctx, st, cliActor, auth.NewUser{Name: demoAdmin, Role: store.RoleAdmin,
			Email: "demo-admin@tallyfield.io"}); err != nil {
			return "", err
		}
	} else if err != nil {
		return "", err
	}
	pw, err := auth.GeneratePassword()
	if err != nil {
		return "", err
	}
	if err := auth.SetPassword(ctx, st, cliActor, demoAdmin, pw); err != nil {
		return "", err
	}
	return pw, nil
}
