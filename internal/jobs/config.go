package jobs

import (
	"log/slog"
	"time"

	"github.com/riverqueue/river"
)

// Defaults applied by Open to a zero Config field.
const (
	// DefaultJobTimeout bounds one attempt of a job: its context is
	// cancelled after this long. Tower's jobs are short (a skill run over a
	// batch of agents, one executor call); a job that needs longer sets its
	// own through the worker's Timeout method.
	DefaultJobTimeout = 30 * time.Second

	// DefaultRescueStuckJobsAfter is how long a job may stay "running"
	// before the elected leader decides its node died and schedules it
	// again. River's own default is an hour, which would leave the work of
	// a crashed `tower serve` (or a laptop closed mid-run) undone for an
	// hour; a minute is twice the default job timeout, so a healthy job is
	// never taken over while it still runs. Jobs must be idempotent anyway
	// (an action's idempotency key makes a second run a no-op).
	DefaultRescueStuckJobsAfter = time.Minute

	// DefaultMaxAttempts is how many times a failing job runs before River
	// discards it. With River's backoff (attempt⁴ seconds, ±10% jitter)
	// ten attempts spread over about four hours: long enough to ride out a
	// connector's outage, short enough that a marketing action is not
	// retried after it stopped making sense. River's default is 25 (three
	// weeks).
	DefaultMaxAttempts = 10

	// DefaultSQLiteFetchPollInterval is how often a SQLite queue looks for
	// new jobs. River's SQLite driver emulates LISTEN/NOTIFY by polling an
	// outbox table, so jobs usually start sooner; this is the fallback.
	DefaultSQLiteFetchPollInterval = 100 * time.Millisecond
)

// Config configures a Queue. The zero value (plus Workers) is a working
// queue with one "default" queue of four workers.
type Config struct {
	// Workers are the job kinds this node can work, registered with
	// river.AddWorker. Required unless InsertOnly; with InsertOnly it is
	// optional and, when given, lets Insert refuse a kind nobody works.
	Workers *river.Workers

	// Queues maps queue names to their settings.
	// Defaults to {"default": {MaxWorkers: 4}}.
	Queues map[string]river.QueueConfig

	// Periodic jobs are enqueued by the elected leader only, so a cluster
	// of nodes runs each once per period, not once per node.
	Periodic []*river.PeriodicJob

	// Logger receives River's logs. Defaults to slog.Default().
	Logger *slog.Logger

	// RescueStuckJobsAfter is how long a job may run silent before another
	// node (or this one after a restart) takes it over. It must be longer
	// than JobTimeout. Defaults to DefaultRescueStuckJobsAfter, or
	// JobTimeout plus 30 seconds when that is longer.
	RescueStuckJobsAfter time.Duration

	// FetchPollInterval is how often the queue polls for new jobs when no
	// notification arrived. Defaults to River's (one second) on PostgreSQL,
	// where LISTEN/NOTIFY wakes workers at once, and to
	// DefaultSQLiteFetchPollInterval on SQLite.
	FetchPollInterval time.Duration

	// JobTimeout bounds one attempt. Defaults to DefaultJobTimeout; -1
	// means no timeout.
	JobTimeout time.Duration

	// MaxAttempts is how many times a job runs before it is discarded,
	// unless its InsertOpts say otherwise. Defaults to DefaultMaxAttempts.
	MaxAttempts int

	// InsertOnly makes a queue that enqueues but never works jobs (the
	// CLI): no workers, no leader election, no maintenance.
	InsertOnly bool

	// testOnly turns off River's start-up jitter so tests start quickly.
	testOnly bool
}

// riverConfig builds River's configuration for a backend ("sqlite" or
// "postgres") and schema ("" on SQLite).
func (c Config) riverConfig(backend, schema string) *river.Config {
	rc := &river.Config{
		Logger:      c.Logger,
		JobTimeout:  c.JobTimeout,
		MaxAttempts: c.MaxAttempts,
		Schema:      schema,
		TestOnly:    c.testOnly,
		Workers:     c.Workers,
	}
	if rc.Logger == nil {
		rc.Logger = slog.Default()
	}
	if rc.JobTimeout == 0 {
		rc.JobTimeout = DefaultJobTimeout
	}
	if rc.MaxAttempts == 0 {
		rc.MaxAttempts = DefaultMaxAttempts
	}
	if c.InsertOnly {
		return rc
	}
	rc.Queues = c.Queues
	if len(rc.Queues) == 0 {
		rc.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 4}}
	}
	rc.PeriodicJobs = c.Periodic
	rc.RescueStuckJobsAfter = c.RescueStuckJobsAfter
	if rc.RescueStuckJobsAfter == 0 {
		rc.RescueStuckJobsAfter = max(DefaultRescueStuckJobsAfter, rc.JobTimeout+30*time.Second)
	}
	rc.FetchPollInterval = c.FetchPollInterval
	if rc.FetchPollInterval == 0 && backend == "sqlite" {
		rc.FetchPollInterval = DefaultSQLiteFetchPollInterval
	}
	if rc.FetchPollInterval > 0 && rc.FetchPollInterval < river.FetchCooldownDefault {
		// River refuses a poll interval shorter than the fetch cooldown.
		rc.FetchCooldown = rc.FetchPollInterval
	}
	return rc
}
