package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/auth"
	"github.com/towerops/tower/internal/store"
)

func (a *app) usersCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "users", Short: "Manage the people who may use Tower, and their roles"}

	var (
		role, email string
		pwStdin     bool
	)
	create := &cobra.Command{
		Use:   "create NAME",
		Short: "Create a user with a role (admin, architect, approver, marketer, viewer)",
		Long: `Create a user with a role. Roles, from most to least powerful:
admin (everything, including users and tokens), architect (agents, policies,
autonomy, connectors), approver (decide on proposals), marketer (run agents,
read everything), viewer (read only).

Works on a fresh workspace: create the first admin, then a token for it
with tower tokens create.`,
		Example: `  tower users create ana --role admin --email ana@example.com
  printf '%s\n' "$PASSWORD" | tower users create bo --role approver --password-stdin`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := auth.ParseRole(role)
			if err != nil {
				return err
			}
			var pw string
			if pwStdin {
				if pw, err = readPasswordLine(cmd); err != nil {
					return err
				}
			}
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			u, err := auth.CreateUser(cmd.Context(), st, cliActor, auth.NewUser{Name: args[0], Email: email, Role: r, Password: pw})
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Created user %s (%s).\n", u.Name, u.Role)
			return nil
		},
	}
	create.Flags().StringVar(&role, "role", "", "the user's role: admin, architect, approver, marketer or viewer (required)")
	create.Flags().StringVar(&email, "email", "", "the user's e-mail address")
	create.Flags().BoolVar(&pwStdin, "password-stdin", false, "read a password (first line) from standard input")
	_ = create.MarkFlagRequired("role")

	var (
		asJSON bool
		page   store.Page
	)
	list := &cobra.Command{
		Use:   "list",
		Short: "List users",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			us, err := st.UsersList(cmd.Context(), &store.UsersListParams{Page: page})
			if err != nil {
				return fmt.Errorf("listing users: %w", err)
			}
			out := make([]auth.UserInfo, len(us))
			for i, u := range us {
				out[i] = auth.UserInfoOf(u)
			}
			if asJSON {
				return printJSON(a.stdout, out)
			}
			t := newTable(a.stdout, "NAME", "ROLE", "EMAIL", "PASSWORD", "STATUS", "CREATED")
			for _, u := range out {
				status := "active"
				if u.Disabled {
					status = "disabled"
				}
				t.row(u.Name, string(u.Role), u.Email, yesNo(u.HasPassword), status, u.CreatedAt)
			}
			return t.flush()
		},
	}
	pageFlags(list, &page)
	list.Flags().BoolVar(&asJSON, "json", false, "print as JSON")

	disable := &cobra.Command{
		Use:   "disable NAME",
		Short: "Disable a user: its tokens and password stop working at once",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			if err := auth.DisableUser(cmd.Context(), st, cliActor, args[0]); err != nil {
				if errors.Is(err, store.ErrNotFound) {
					return fmt.Errorf("there is no user named %s (see tower users list)", args[0])
				}
				return err
			}
			fmt.Fprintf(a.stdout, "Disabled user %s.\n", args[0])
			return nil
		},
	}
	cmd.AddCommand(create, list, disable, a.usersPasswordCommand())
	return cmd
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
