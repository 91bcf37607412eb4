package main

import "github.com/spf13/cobra"

// approvalCommands: tower inbox, tower delegate (not written yet).
func (a *app) approvalCommands() []*cobra.Command { return nil }

// proposalsApprovalCommands: tower proposals edit (not written yet).
func (a *app) proposalsApprovalCommands() []*cobra.Command { return nil }
