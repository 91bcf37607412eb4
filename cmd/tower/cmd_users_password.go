package main

import (
	"bufio"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/auth"
)

// usersPasswordCommand sets the password a person signs in to the
// console with.
func (a *app) usersPasswordCommand() *cobra.Command {
	var pwStdin bool
	cmd := &cobra.Command{
		Use:   "password NAME",
		Short: "Set the password a user signs in to the console with",
		Long: `Set the password a user signs in to the console with.

With --password-stdin the password is read from the first line of standard
input (at least 12 characters); without it Tower generates one and prints
it once. Sessions already open stay open; disable the user to end them.`,
		Example: `  tower users password ana
  printf '%s\n' "$PASSWORD" | tower users password ana --password-stdin`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var pw string
			if pwStdin {
				var err error
				if pw, err = readPasswordLine(cmd); err != nil {
					return err
				}
			} else {
				var err error
				if pw, err = auth.GeneratePassword(); err != nil {
					return err
				}
			}
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			if err := auth.SetPassword(cmd.Context(), st, cliActor, args[0], pw); err != nil {
				return err
			}
			if pwStdin {
				fmt.Fprintf(a.stdout, "Set the password of %s.\n", args[0])
			} else {
				fmt.Fprintf(a.stdout, "Set the password of %s to: %s\n(shown once; Tower keeps only a hash)\n", args[0], pw)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&pwStdin, "password-stdin", false, "read the password (first line) from standard input instead of generating one")
	return cmd
}

// readPasswordLine reads a password from the first line of standard
// input (for --password-stdin), so it never appears in shell history or
// the process list.
func readPasswordLine(cmd *cobra.Command) (string, error) {
	line, err := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
	if err != nil && line == "" {
		return "", errors.New("--password-stdin: no password on standard input")
	}
	return strings.TrimRight(line, "\r\n"), nil
}
