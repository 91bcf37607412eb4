// Package jobs is Tower's durable job queue: River (riverqueue.com) on the
// workspace database, SQLite or PostgreSQL, behind one API that hides
// River's per-driver transaction type.
//
// # Use
//
// Register workers, make River's tables exist once (the CLI does it right
// after the store's own migrations), open a Queue on the store and start
// it:
//
//	workers := river.NewWorkers()
//	river.AddWorker(workers, &SkillRunWorker{...})
//	if err := jobs.Migrate(ctx, st); err != nil { ... }
//	q, err := jobs.Open(ctx, st, jobs.Config{Workers: workers})
//	if err := q.Start(ctx); err != nil { ... }
//	defer q.Stop(shutdownCtx)
//
// A command that only enqueues (the CLI) opens the Queue with InsertOnly
// and never starts it.
//
// # Enqueue with the data that needs the job
//
// Design invariant 4: a job is enqueued in the same transaction as the
// state that needs it. Inside store.InTx, pass the Queries that InTx gave
// to InsertTx; the job then exists if and only if the transaction commits:
//
//	err := st.InTx(ctx, func(ctx context.Context, sq store.Queries) error {
//		if err := sq.SomeWrite(ctx, ...); err != nil {
//			return err
//		}
//		_, err := q.InsertTx(ctx, sq, ExecuteArgs{ProposalID: id}, nil)
//		return err
//	})
//
// InsertTx returns ErrNotInTx for Queries that are not inside InTx (the
// Store itself, say), rather than silently enqueueing outside it.
//
// Never call Insert (without Tx) inside InTx. On PostgreSQL it would
// enqueue in a separate transaction, so the job could outlive a rollback.
// On SQLite it deadlocks: the store has exactly one write connection, InTx
// holds it, and Insert waits for it forever. Insert logs a warning after
// 15 seconds of waiting on SQLite to point at this mistake; it cannot be
// detected for certain without the store's help.
//
// # Jobs run at least once
//
// A job whose node dies mid-run stays "running" until the elected leader
// notices it has run longer than RescueStuckJobsAfter (default one
// minute, against River's hour) and schedules it again, so the same job
// can run twice. Workers must be idempotent; actions carry idempotency
// keys for exactly this. A failed attempt is retried with River's backoff
// (attempt⁴ seconds) up to MaxAttempts (default 10, about four hours),
// or as the worker's NextRetry method says.
//
// # Uniqueness
//
// InsertOpts.UniqueOpts makes River skip an insert when a job with the same
// kind (and args, with ByArgs; queue, with ByQueue; period, with ByPeriod)
// already exists in one of the ByState states; the result then has
// UniqueSkippedAsDuplicate set and the existing job. ByState must include
// available, pending, running and scheduled; listing exactly those means
// "one at a time": a second insert while one is waiting or running is
// skipped, and a new one may be inserted once it completed. What River
// guarantees is a database unique index over (unique_key, state in
// ByState), on both backends: at most one such row at a time. What it does
// not guarantee: that a skipped insert's work is done (the existing job
// may have started before the data the new insert saw, so enqueue again
// after it completes if that matters); uniqueness against completed or
// discarded jobs once River's cleaner deleted them (24 hours / 7 days);
// and, with retryable left out of ByState, a duplicate may be inserted
// while the first waits to retry, in which case River discards the
// retrying one when it comes due rather than run both.
//
// # Several nodes (PostgreSQL)
//
// Every `tower serve` node sharing a database opens its own Queue on the
// same schema. Jobs are fetched with FOR UPDATE SKIP LOCKED, so each runs
// on one node at a time and the work spreads over all of them. One node is
// elected leader; only it enqueues periodic jobs (Config.Periodic) and runs
// River's maintenance (rescuing stuck jobs, cleaning old ones). River's
// tables, advisory locks and LISTEN channels live in the store's current
// schema (the first of the URL's search_path), so two workspaces in one
// database never share a queue. A working Queue holds one connection of
// the store's pool for LISTEN; size pool_max_conns accordingly.
//
// # SQLite
//
// River's SQLite driver is young (River calls it "early testing"); on
// this backend:
//
//   - River shares the store's write pool (sqlite.Store.DB), as its driver
//     asks for a pool of one connection. River's polling, fetching,
//     completing and leader election queue behind Tower's writes in Go,
//     never fighting over SQLite's write lock.
//   - So long write transactions stall the queue. River gives each of its
//     operations about 10 seconds; an InTx held longer makes River log
//     errors and retry, and one held longer than about 40 seconds can make
//     River give up recording that a job finished, so that job runs again
//     after RescueStuckJobsAfter. Keep transactions short (a big import
//     commits in batches) and workers idempotent.
//   - There is no LISTEN/NOTIFY: River emulates it with a river_notification
//     table that each working Queue polls every 50 ms, and the queue also
//     polls for jobs every FetchPollInterval (100 ms by default here).
//   - Times are stored to the millisecond; JobList cannot filter by
//     metadata; River's schema setting is unused (tables live in the main
//     database beside Tower's).
//   - Migrate applies River's migrations in one BEGIN IMMEDIATE
//     transaction, so two processes opening a new workspace at once are
//     safe.
//   - Only one process should run a working Queue on a file; several
//     would share it correctly but slowly. The CLI's queues are
//     InsertOnly.
package jobs
