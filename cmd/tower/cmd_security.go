package main

import "github.com/spf13/cobra"

// securityCommands are the commands for users, tokens and the audit log.
func (a *app) securityCommands() []*cobra.Command { return nil }
