package main

import (
	"fmt"
	"net"

	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/api"
)

func (a *app) serveCommand() *cobra.Command {
	var addr string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the Tower server (health, readiness and metrics endpoints)",
		Long: `Run the Tower server until interrupted (Ctrl-C or SIGTERM).

Endpoints: /healthz (the process is up), /readyz (the database answers),
/metrics (Prometheus).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			a.quiet = false
			st, err := a.store(ctx)
			if err != nil {
				return err
			}
			if addr == "" {
				addr = a.ws.Config.Server.Addr
			}
			srv := api.New(st, a.log(), versionString())
			return api.ListenAndServe(ctx, addr, srv.Handler(), func(bound net.Addr) {
				a.log().InfoContext(ctx, "tower serving", "addr", bound.String(), "database", st.Backend())
				fmt.Fprintf(a.stdout, "Tower is listening on http://%s (Ctrl-C to stop)\n", bound)
			})
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "", "HOST:PORT to listen on (default from tower.toml, 127.0.0.1:8080)")
	return cmd
}
