package main

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/towerops/tower/internal/auth"
	"github.com/towerops/tower/internal/fleet"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
)

// demoAdmin is the user the demo signs in to the console with.
const demoAdmin = "demo-admin"

// demoConsole runs the demo's agents once (so the inbox has something to
// decide), gives the demo admin a fresh password and, with serve, serves
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

// printRunLine prints one skill run in a line.
func printRunLine(a *app, r runJSON) {
	waiting := r.ByStatus["pending_approval"]
	fmt.Fprintf(a.stdout, "  %-16s %4d new proposals, %4d waiting for approval, %3d executed on their own",
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
