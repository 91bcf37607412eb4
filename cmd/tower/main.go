// Command tower is the control tower for a marketing team's AI agents.
//
// Commands are thin: they parse flags, call a package, and print. See
// `tower --help`.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newRoot().ExecuteContext(ctx)
	stop()
	if err != nil {
		var ee exitError
		if errors.As(err, &ee) {
			if ee.msg != "" {
				fmt.Fprintln(os.Stderr, ee.msg)
			}
			os.Exit(ee.code)
		}
		fmt.Fprintln(os.Stderr, "tower:", err)
		os.Exit(1)
	}
}

// exitError ends the command with a code after it has already told the
// user what happened (for example an import with rejected rows, which
// printed its report and must still exit 1 so scripts notice).
type exitError struct {
	code int
	msg  string
}

func (e exitError) Error() string { return fmt.Sprintf("exit %d: %s", e.code, e.msg) }
