package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/ingest/collect"
	"github.com/towerops/tower/internal/store"
)

func (a *app) sourcesCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sources",
		Short: "Manage the websites and apps that send events (write keys are shown once, when created)",
		Long: `A source is a website, app or server that sends events to Tower with the
Segment tracking spec. Point an existing Segment, RudderStack or Jitsu SDK at
Tower's address with the source's write key; nothing else changes.`,
	}

	var createJSON bool
	create := &cobra.Command{
		Use:     "create NAME",
		Short:   "Create a source and print its write key once",
		Example: "  tower sources create website\n  tower sources create ios-app --json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			key, src, err := collect.CreateSource(cmd.Context(), st, cliActor, args[0])
			if err != nil {
				return err
			}
			if createJSON {
				return printJSON(a.stdout, struct {
					collect.SourceInfo
					WriteKey string `json:"write_key"`
				}{collect.SourceInfoOf(src), key})
			}
			addr := a.ws.Config.Server.Addr
			fmt.Fprintf(a.stdout, "Created source %s (%s).\n\nWrite key: %s\n\n", src.Name, src.ID, key)
			fmt.Fprintln(a.stdout, "Copy the write key now: it will not be shown again.")
			fmt.Fprintf(a.stdout, "Send events to http://%s/v1/batch (or /v1/track, /v1/identify, …) with the key\n", addr)
			fmt.Fprintln(a.stdout, "as the HTTP Basic user name and an empty password — what Segment's SDKs do when")
			fmt.Fprintf(a.stdout, "you set their host to http://%s.\n", addr)
			return nil
		},
	}
	create.Flags().BoolVar(&createJSON, "json", false, "print the source and its write key as JSON")

	var (
		asJSON bool
		all    bool
		page   store.Page
	)
	list := &cobra.Command{
		Use:   "list",
		Short: "List sources (never their write keys)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			ss, err := st.SourcesList(cmd.Context(), &store.SourcesListParams{Page: page, IncludeRevoked: all})
			if err != nil {
				return fmt.Errorf("listing sources: %w", err)
			}
			out := make([]collect.SourceInfo, len(ss))
			for i, s := range ss {
				out[i] = collect.SourceInfoOf(s)
			}
			if asJSON {
				return printJSON(a.stdout, out)
			}
			if len(out) == 0 {
				fmt.Fprintln(a.stdout, "No sources yet. Create one with: tower sources create website")
				return nil
			}
			tbl := newTable(a.stdout, "ID", "NAME", "KEY", "STATUS", "CREATED", "LAST EVENT")
			for _, s := range out {
				tbl.row(s.ID, s.Name, s.KeyHint, s.Status, s.CreatedAt, timeOrNone(s.LastUsedAt))
			}
			return tbl.flush()
		},
	}
	pageFlags(list, &page)
	list.Flags().BoolVar(&all, "all", false, "include revoked sources")
	list.Flags().BoolVar(&asJSON, "json", false, "print as JSON")

	revoke := &cobra.Command{
		Use:   "revoke ID|NAME",
		Short: "Stop a source's write key for good (its events stay)",
		Long: `Stop a source's write key for good. Events it already sent stay. A running
server refuses the key within a few seconds. To rotate a key, revoke the
source and create a new one with the same name.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			src, err := collect.RevokeSource(cmd.Context(), st, cliActor, args[0])
			if errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("there is no active source named or numbered %s (see tower sources list --all)", args[0])
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Revoked source %s (%s); its write key %s no longer works.\n", src.Name, src.ID, src.KeyHint)
			return nil
		},
	}
	cmd.AddCommand(create, list, revoke)
	return cmd
}
