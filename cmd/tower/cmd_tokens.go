package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/auth"
	"github.com/towerops/tower/internal/store"
)

func (a *app) tokensCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "tokens", Short: "Manage API tokens (secrets are shown once, when created)"}

	var user, name, role, ttl string
	create := &cobra.Command{
		Use:     "create",
		Short:   "Create an API token for a user and print its secret once",
		Example: `  tower tokens create --user ana --name ci --role viewer --ttl 90d`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := auth.ParseTTL(ttl)
			if err != nil {
				return err
			}
			var r store.Role
			if role != "" {
				if r, err = auth.ParseRole(role); err != nil {
					return err
				}
			}
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			secret, tok, err := auth.CreateToken(cmd.Context(), st, cliActor, auth.NewToken{User: user, Name: name, Role: r, TTL: d})
			if errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("there is no user named %s: create it first with tower users create %s --role ROLE", user, user)
			}
			if err != nil {
				return err
			}
			expires := "never"
			if !tok.ExpiresAt.IsZero() {
				expires = tok.ExpiresAt.Format("2006-01-02 15:04 MST")
			}
			fmt.Fprintf(a.stdout, "Created token %s for %s (role %s, expires %s).\n\n%s\n\n", tok.ID, tok.User, tok.Role, expires, secret)
			fmt.Fprintln(a.stdout, "Copy the secret now: it will not be shown again. Send it as 'Authorization: Bearer <secret>'.")
			return nil
		},
	}
	create.Flags().StringVar(&user, "user", "", "the user the token acts for (required)")
	create.Flags().StringVar(&name, "name", "", "what the token is for, e.g. ci or laptop (required)")
	create.Flags().StringVar(&role, "role", "", "the token's role, at most the user's (default: the user's role)")
	create.Flags().StringVar(&ttl, "ttl", "90d", "how long the token works: 90d, 12h; 0 for no expiry")
	_ = create.MarkFlagRequired("user")
	_ = create.MarkFlagRequired("name")

	var (
		asJSON   bool
		page     store.Page
		listUser string
	)
	list := &cobra.Command{
		Use:   "list",
		Short: "List API tokens (never their secrets or hashes)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			ts, err := st.TokensList(cmd.Context(), &store.TokensListParams{Page: page, User: listUser})
			if err != nil {
				return fmt.Errorf("listing tokens: %w", err)
			}
			out := make([]auth.TokenInfo, len(ts))
			for i, t := range ts {
				out[i] = auth.TokenInfoOf(t)
			}
			if asJSON {
				return printJSON(a.stdout, out)
			}
			now := time.Now()
			tbl := newTable(a.stdout, "ID", "NAME", "USER", "ROLE", "STATUS", "CREATED", "EXPIRES", "LAST USED")
			for _, t := range out {
				tbl.row(t.ID, t.Name, t.User, string(t.Role), t.Status(now), t.CreatedAt, timeOrNone(t.ExpiresAt), timeOrNone(t.LastUsedAt))
			}
			return tbl.flush()
		},
	}
	pageFlags(list, &page)
	list.Flags().StringVar(&listUser, "user", "", "only this user's tokens")
	list.Flags().BoolVar(&asJSON, "json", false, "print as JSON")

	revoke := &cobra.Command{
		Use:   "revoke ID",
		Short: "Revoke a token for good",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			if err := auth.RevokeToken(cmd.Context(), st, cliActor, args[0]); err != nil {
				if errors.Is(err, store.ErrNotFound) {
					return fmt.Errorf("there is no token %s (see tower tokens list)", args[0])
				}
				return err
			}
			fmt.Fprintf(a.stdout, "Revoked token %s.\n", args[0])
			return nil
		},
	}
	cmd.AddCommand(create, list, revoke)
	return cmd
}

func timeOrNone(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}
