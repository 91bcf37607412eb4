package main

import "github.com/spf13/cobra"

// cliActor is how changes made with the CLI appear in the audit log. The
// CLI acts with direct access to the database, as the operator of the
// installation, not as a Tower user.
const cliActor = "system"

// securityCommands are the commands for users, tokens and the audit log.
func (a *app) securityCommands() []*cobra.Command {
	return []*cobra.Command{a.usersCommand(), a.tokensCommand(), a.auditCommand()}
}
