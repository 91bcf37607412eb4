package fleet

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/jobs"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
)

// ExecuteArgs is the job that executes one allowed or approved proposal.
type ExecuteArgs struct {
	ProposalID string `json:"proposal_id"`
}

// Kind names the job.
func (ExecuteArgs) Kind() string { return "tower.execute" }

// InsertOpts makes one execution job per proposal at a time.
func (ExecuteArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: oneAtATime}}
}

// RunSkillArgs is the job that runs a skill over its agents (all active
// ones, or the named ones).
type RunSkillArgs struct {
	Skill   string   `json:"skill"`
	Agents  []string `json:"agents,omitempty"`
	Trigger string   `json:"trigger"`
	Event   string   `json:"event,omitempty"`
	// DefaultScheduleOnly skips agents with a schedule of their own (they
	// have their own periodic job).
	DefaultScheduleOnly bool `json:"default_schedule_only,omitempty"`
}

// Kind names the job.
func (RunSkillArgs) Kind() string { return "tower.run_skill" }

// InsertOpts makes sure the same run never happens twice at once.
func (RunSkillArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: oneAtATime}}
}

// ExpireArgs is the periodic job that expires overdue proposals.
type ExpireArgs struct{}

// Kind names the job.
func (ExpireArgs) Kind() string { return "tower.expire_proposals" }

var oneAtATime = []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending,
	rivertype.JobStateRunning, rivertype.JobStateScheduled, rivertype.JobStateRetryable}

// JobEnqueuer enqueues executions on the job queue.
type JobEnqueuer struct{ Queue *jobs.Queue }

var _ Enqueuer = JobEnqueuer{}

// EnqueueExecute enqueues one execution job per proposal in q's
// transaction.
func (e JobEnqueuer) EnqueueExecute(ctx context.Context, q store.Queries, ids []string) error {
	params := make([]river.InsertManyParams, len(ids))
	for i, id := range ids {
		params[i] = river.InsertManyParams{Args: ExecuteArgs{ProposalID: id}}
	}
	_, err := e.Queue.InsertManyTx(ctx, q, params)
	return err
}

type executeWorker struct {
	river.WorkerDefaults[ExecuteArgs]
	lc  *Lifecycle
	log *slog.Logger
}

// How long an execution job waits before it looks again at a proposal
// that is held. Snoozing does not use up the job's attempts, so a pause
// of any length never fails a proposal. The kill switch is checked often
// so execution resumes within seconds of `tower resume --all`; a stopped
// agent rarely, because it may stay stopped for days (resetting or
// resuming it enqueues its proposals again).
const (
	pausedSnooze = 2 * time.Second
	heldSnooze   = 5 * time.Minute
)

// Work executes the proposal. On the last attempt a failure is recorded
// on the proposal (status failed, with the reason) instead of silently
// discarding the job. A proposal held by the kill switch or a stopped
// agent is not a failure: the job snoozes and tries again later.
func (w *executeWorker) Work(ctx context.Context, job *river.Job[ExecuteArgs]) error {
	_, err := w.lc.Execute(ctx, job.Args.ProposalID)
	if err == nil {
		return nil
	}
	switch {
	case errors.Is(err, governance.ErrExecutionPaused):
		w.log.InfoContext(ctx, "execution paused; proposal waits", "proposal", job.Args.ProposalID)
		return river.JobSnooze(pausedSnooze)
	case errors.Is(err, governance.ErrAgentHeld):
		w.log.InfoContext(ctx, "agent stopped; proposal waits", "proposal", job.Args.ProposalID)
		return river.JobSnooze(heldSnooze)
	}
	if job.Attempt >= job.MaxAttempts {
		w.log.ErrorContext(ctx, "execution failed for good", "proposal", job.Args.ProposalID, "attempts", job.Attempt, "err", err)
		if _, ferr := w.lc.Fail(ctx, job.Args.ProposalID, err.Error()); ferr != nil {
			return fmt.Errorf("%w (and recording the failure failed: %w)", err, ferr)
		}
		return nil
	}
	w.log.WarnContext(ctx, "execution failed; will retry", "proposal", job.Args.ProposalID, "attempt", job.Attempt, "err", err)
	return err
}

// NextRetry backs off 2^attempt seconds (2 s, 4 s, … about 17 minutes at
// the tenth), shorter than River's default so a flaky connector recovers
// within the hour.
func (w *executeWorker) NextRetry(job *river.Job[ExecuteArgs]) time.Time {
	return time.Now().Add(time.Duration(1<<min(job.Attempt, 10)) * time.Second)
}

type runSkillWorker struct {
	river.WorkerDefaults[RunSkillArgs]
	r *Runner
}

func (w *runSkillWorker) Work(ctx context.Context, job *river.Job[RunSkillArgs]) error {
	a := job.Args
	_, err := w.r.Run(ctx, RunRequest{Skill: a.Skill, Agents: a.Agents, Trigger: skill.Trigger{Kind: a.Trigger, Event: a.Event},
		DefaultScheduleOnly: a.DefaultScheduleOnly})
	return err
}

type expireWorker struct {
	river.WorkerDefaults[ExpireArgs]
	lc *Lifecycle
}

func (w *expireWorker) Work(ctx context.Context, _ *river.Job[ExpireArgs]) error {
	_, err := w.lc.Expire(ctx)
	return err
}

// Workers registers the fleet's job workers.
func Workers(r *Runner, lc *Lifecycle) *river.Workers {
	ws := river.NewWorkers()
	log := r.logger()
	river.AddWorker(ws, &executeWorker{lc: lc, log: log})
	river.AddWorker(ws, &runSkillWorker{r: r})
	river.AddWorker(ws, &expireWorker{lc: lc})
	return ws
}

// Periodic returns the periodic jobs: each skill on its schedule, each
// agent with a schedule of its own on that one, and the hourly expiry
// sweep. Only the elected leader enqueues them.
func Periodic(ctx context.Context, st store.Store) ([]*river.PeriodicJob, error) {
	out := []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return ExpireArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true, ID: "expire-proposals"})}
	for _, s := range skill.All() {
		m := s.Manifest()
		if m.Triggers.Schedule == "" {
			continue
		}
		sched, err := skill.ParseSchedule(m.Triggers.Schedule)
		if err != nil {
			return nil, err
		}
		name := m.Name
		out = append(out, river.NewPeriodicJob(sched, func() (river.JobArgs, *river.InsertOpts) {
			return RunSkillArgs{Skill: name, Trigger: "schedule", DefaultScheduleOnly: true}, nil
		}, &river.PeriodicJobOpts{ID: "skill:" + name}))
	}
	after := ""
	for {
		agents, err := st.AgentsList(ctx, &store.AgentsListParams{After: after, Limit: 1000})
		if err != nil {
			return nil, err
		}
		for _, a := range agents {
			if a.Schedule == "" {
				continue
			}
			sched, err := skill.ParseSchedule(a.Schedule)
			if err != nil {
				return nil, fmt.Errorf("agent %s: %w", a.Name, err)
			}
			ag := a
			out = append(out, river.NewPeriodicJob(sched, func() (river.JobArgs, *river.InsertOpts) {
				return RunSkillArgs{Skill: ag.Skill, Agents: []string{ag.Name}, Trigger: "schedule"}, nil
			}, &river.PeriodicJobOpts{ID: "agent:" + ag.Name}))
		}
		if len(agents) < 1000 {
			return out, nil
		}
		after = agents[len(agents)-1].Name
	}
}

// EventTrigger returns the collector's hook: inside the transaction that
// stores new events it enqueues a run of every skill that declares one of
// their signals ("identify", "track", "track:Order Completed", …), so a
// run exists if and only if its events were committed. Runs are unique
// while pending, so a stream of events queues one run per skill, not one
// per event.
func EventTrigger(q *jobs.Queue) func(ctx context.Context, sq store.Queries, signals []string) error {
	return func(ctx context.Context, sq store.Queries, signals []string) error {
		want := make(map[string]bool, len(signals))
		for _, s := range signals {
			want[s] = true
		}
		for _, s := range skill.All() {
			m := s.Manifest()
			for _, e := range m.Triggers.Events {
				if !want[e] {
					continue
				}
				if _, err := q.InsertTx(ctx, sq, RunSkillArgs{Skill: m.Name, Trigger: "event", Event: e}, nil); err != nil {
					return err
				}
				break // one run per skill, whichever of its signals came
			}
		}
		return nil
	}
}

// ImportTrigger returns a hook for the importer: inside the import's
// transaction it enqueues a run of every skill that declares the event
// "import:KIND", so the runs exist if and only if the data commits. Runs
// are unique while pending, so a bundle of many files, or several imports
// in a row, queue one run per skill, not one per file.
func ImportTrigger(q *jobs.Queue) func(ctx context.Context, sq store.Queries, kind string, written int64) error {
	trigger := EventTrigger(q)
	return func(ctx context.Context, sq store.Queries, kind string, written int64) error {
		return trigger(ctx, sq, []string{"import:" + kind})
	}
}
