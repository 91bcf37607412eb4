package main

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"time"

	"github.com/riverqueue/river"
	"github.com/spf13/cobra"

	"github.com/towerops/tower/internal/api"
	"github.com/towerops/tower/internal/fleet"
	"github.com/towerops/tower/internal/ingest/collect"
	"github.com/towerops/tower/internal/jobs"
	"github.com/towerops/tower/internal/web"
)

func (a *app) serveCommand() *cobra.Command {
	var (
		addr    string
		workers int
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the Tower server: the API, and the workers that run agents and execute proposals",
		Long: `Run the Tower server until interrupted (Ctrl-C or SIGTERM).

It serves the API and runs the agent fleet: skills on their schedules,
executions of allowed and approved proposals (retried with backoff),
approval escalations when an approver does not answer in time, and the
hourly expiry of overdue proposals. On PostgreSQL several servers can
share one database: they share the work, and scheduled runs happen once.

It also collects events from websites and apps that use the Segment tracking
spec: point a Segment, RudderStack or Jitsu SDK at this address with a
source's write key (tower sources create NAME). An event is acknowledged
only once it is stored; when the database falls behind, senders are asked
to retry (503 with Retry-After) instead of events piling up in memory.

Endpoints: /healthz (the process is up), /readyz (the database answers),
/metrics (Prometheus), /api/v1/... (token required), /v1/batch, /v1/track,
/v1/identify, /v1/page, /v1/screen, /v1/group, /v1/alias (write key required).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			a.quiet = false
			return a.serve(cmd.Context(), addr, workers, func(bound net.Addr) {
				fmt.Fprintf(a.stdout, "Tower is listening on http://%s (Ctrl-C to stop)\n", bound)
				fmt.Fprintf(a.stdout, "Console: http://%s/ (sign in with a user that has a password: tower users password NAME)\n", bound)
			})
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "", "HOST:PORT to listen on (default from tower.toml, 127.0.0.1:8080)")
	cmd.Flags().IntVar(&workers, "workers", 4, "how many jobs this server runs at once (0: API only, no workers)")
	return cmd
}

// serve runs the API, the console, event collection and (workers > 0)
// the fleet's workers on addr until ctx ends; ready is called with the
// bound address once the listener is open.
func (a *app) serve(ctx context.Context, addr string, workers int, ready func(net.Addr)) error {
	st, err := a.fleetStore(ctx)
	if err != nil {
		return err
	}
	if addr == "" {
		addr = a.ws.Config.Server.Addr
	}
	pack, err := a.pack()
	if err != nil {
		return err
	}
	runner := &fleet.Runner{Store: st, Pack: pack, Logger: a.log(), Knowledge: a.knowledgeFunc()}
	lc := &fleet.Lifecycle{Store: st, Pack: pack, Runner: runner, Outbox: a.outbox()}
	var triggers collect.TriggerFunc
	if workers > 0 {
		periodic, err := fleet.Periodic(ctx, st)
		if err != nil {
			return err
		}
		q, err := jobs.Open(ctx, st, jobs.Config{Workers: fleet.Workers(runner, lc), Periodic: periodic, Logger: a.log(),
			Queues: map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: workers}}})
		if err != nil {
			return err
		}
		runner.Enqueuer = fleet.JobEnqueuer{Queue: q}
		lc.Enqueuer = runner.Enqueuer
		triggers = fleet.EventTrigger(q)
		if err := q.Start(ctx); err != nil {
			return fmt.Errorf("starting the workers: %w", err)
		}
		defer func() {
			stop, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
			defer cancel()
			if err := q.Stop(stop); err != nil {
				a.log().Warn("stopping the workers", "err", err)
			}
		}()
	}
	if workers > 0 {
		stopEscalator := a.startEscalator(ctx, st, pack)
		defer stopEscalator()
		stopMeasurer := a.startMeasurer(ctx, st)
		defer stopMeasurer()
		defer a.startBriefer(ctx, st)()
		defer a.startSegmenter(ctx, st)()
		stopDeliverer, err := a.startDeliverer(ctx, st)
		if err != nil {
			return err
		}
		defer stopDeliverer()
	}
	srv := api.New(st, a.log(), versionString())
	srv.Fleet = &api.Fleet{Runner: runner, Lifecycle: lc}
	ing := a.ws.Config.Ingest
	committer := collect.NewCommitter(st, triggers, ing.MaxGroup, ing.MaxPending, a.log())
	srv.Collector = collect.New(st, committer, collect.Options{Logger: a.log()})
	srv.Committer = committer
	// The committer outlives the HTTP server: handlers still
	// waiting for their commit at shutdown get their answer.
	commitCtx, stopCommits := context.WithCancel(context.WithoutCancel(ctx))
	go func() {
		if err := committer.Run(commitCtx); err != nil {
			a.log().Error("the event committer stopped", "err", err)
		}
	}()
	defer func() {
		stopCommits()
		<-committer.Done()
		srv.Collector.Close() // its last "source used" writes, before the store closes
	}()
	console, err := web.New(st, runner, lc, pack, a.log(), versionString())
	if err != nil {
		return err
	}
	if ws, err := a.workspace(); err == nil {
		console.WithPolicyDir(filepath.Join(ws.Dir, "policies"))
	}
	srv.Console = console
	return api.ListenAndServe(ctx, addr, srv.Handler(), func(bound net.Addr) {
		a.log().InfoContext(ctx, "tower serving", "addr", bound.String(), "database", st.Backend(), "workers", workers)
		if ready != nil {
			ready(bound)
		}
	})
}
