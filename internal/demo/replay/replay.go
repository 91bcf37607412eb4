package replay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/towerops/tower/internal/fleet"
	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/measure"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
)

// DefaultDays is how many days of history the demo gets: four weeks, so
// a "last 30 days" view is full and weekly skills run four times.
const DefaultDays = 28

// Config says what history to make.
type Config struct {
	// Days is how many simulated days; 0: DefaultDays.
	Days int
	// End is the day the history leads up to: the simulated days are the
	// Days days before it, so the history stops at End's midnight (UTC)
	// and End itself is left to the live demo. Zero: today.
	End time.Time
	// Seed chooses the team's decisions; the same seed on the same data
	// gives the same history.
	Seed int64
	// Progress, when set, is called after each simulated day with its
	// counts, the day's number (1-based) and how many days there are.
	Progress func(day Day, n, of int)
	// Logger receives the skill runs' logs; nil: discarded.
	Logger *slog.Logger
}

// Replay runs the demo's fleet over cfg.Days simulated days with a
// simulated team deciding, through runner and lc (copies of them are
// used, on the simulated clock and without enqueuing jobs: the replay
// executes what governance allowed itself, at the simulated time). Each
// day: every skill that has agents runs when its schedule fires that day;
// what governance allowed executes; the team decides waiting proposals
// after a delay (see Habits); approved proposals execute; a few executed
// ones are undone a day or two later; the approval chain escalates and
// times out undecided proposals (hourly, as `tower serve` would); at the
// end of the day expired proposals lapse and measure.Realise measures
// what is due. It returns the Log of everything it did.
func Replay(ctx context.Context, st store.Store, runner *fleet.Runner, lc *fleet.Lifecycle, cfg Config) (*Log, error) {
	if cfg.Days <= 0 {
		cfg.Days = DefaultDays
	}
	if cfg.End.IsZero() {
		cfg.End = time.Now()
	}
	end := midnight(cfg.End)
	start := end.AddDate(0, 0, -cfg.Days)
	if err := EnsureTeam(ctx, st); err != nil {
		return nil, err
	}
	s := &sim{st: st, cfg: cfg, clock: start, log: &Log{Start: start, End: end, Entries: []Entry{}},
		open: map[string]*proposal.Proposal{}, undoDay: map[string]time.Time{}}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	r := *runner
	r.Enqueuer, r.Logger = nil, logger
	l := *lc
	l.Enqueuer, l.Runner, l.AfterExecute = nil, &r, nil
	l.Now = s.now
	if l.Pack == nil {
		l.Pack = r.Pack
	}
	s.runner, s.lc = &r, &l
	s.esc = &governance.Escalator{Store: st, Pack: l.Pack, Now: s.now, Logger: logger}
	skills, err := s.schedules(ctx)
	if err != nil {
		return nil, err
	}
	for d := 0; d < cfg.Days; d++ {
		if err := ctx.Err(); err != nil {
			return s.log, err
		}
		day := start.AddDate(0, 0, d)
		if err := s.day(ctx, day, skills); err != nil {
			return s.log, fmt.Errorf("simulating %s: %w", day.Format(time.DateOnly), err)
		}
		if cfg.Progress != nil {
			cfg.Progress(s.log.Days[len(s.log.Days)-1], d+1, cfg.Days)
		}
	}
	return s.log, nil
}

func midnight(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// sim is one replay in progress.
type sim struct {
	st     store.Store
	cfg    Config
	runner *fleet.Runner
	lc     *fleet.Lifecycle
	esc    *governance.Escalator
	clock  time.Time
	queue  queue
	seq    int
	log    *Log
	today  *Day
	// open are the proposals waiting for a person, by id.
	open map[string]*proposal.Proposal
	// undoDay is the day of each agent's last undo.
	undoDay map[string]time.Time
}

func (s *sim) now() time.Time { return s.clock }

// schedule is a skill with agents and its parsed schedule.
type schedule struct {
	skill string
	cron  skill.Schedule
}

// schedules lists the skills that have agents, with their schedules, in
// name order (skill.All's order).
func (s *sim) schedules(ctx context.Context) ([]schedule, error) {
	var out []schedule
	for _, sk := range skill.All() {
		m := sk.Manifest()
		if m.Triggers.Schedule == "" {
			continue
		}
		n, err := s.st.AgentsCount(ctx, &store.AgentsListParams{Skill: m.Name})
		if err != nil {
			return nil, err
		}
		if n == 0 {
			continue
		}
		c, err := skill.ParseSchedule(m.Triggers.Schedule)
		if err != nil {
			return nil, fmt.Errorf("skill %s: %w", m.Name, err)
		}
		out = append(out, schedule{skill: m.Name, cron: c})
	}
	return out, nil
}

// day simulates one day from its midnight to the next.
func (s *sim) day(ctx context.Context, day time.Time, skills []schedule) error {
	next := day.AddDate(0, 0, 1)
	s.log.Days = append(s.log.Days, Day{Date: day})
	s.today = &s.log.Days[len(s.log.Days)-1]
	for _, sc := range skills {
		for t := sc.cron.Next(day.Add(-time.Minute)); !t.IsZero() && t.Before(next); t = sc.cron.Next(t) {
			s.push(event{at: t, kind: evRun, skill: sc.skill})
		}
	}
	for h := 1; h <= 24; h++ {
		s.push(event{at: day.Add(time.Duration(h) * time.Hour), kind: evTick})
	}
	for s.queue.Len() > 0 && s.queue.peek().at.Before(next) {
		ev := s.pop()
		s.clock = ev.at
		if err := s.handle(ctx, ev); err != nil {
			return err
		}
	}
	s.clock = next
	n, err := s.lc.Expire(ctx)
	if err != nil {
		return fmt.Errorf("expiring proposals: %w", err)
	}
	if n > 0 {
		if err := s.lapsed(ctx); err != nil {
			return err
		}
	}
	if _, err := measure.Realise(ctx, s.st, next); err != nil {
		return fmt.Errorf("measuring outcomes: %w", err)
	}
	return nil
}

func (s *sim) handle(ctx context.Context, ev event) error {
	switch ev.kind {
	case evRun:
		return s.run(ctx, ev.skill)
	case evTick:
		fired, err := s.esc.Tick(ctx)
		if err != nil {
			return fmt.Errorf("approval deadlines: %w", err)
		}
		if fired > 0 {
			return s.lapsed(ctx)
		}
		return nil
	case evDecide:
		return s.decide(ctx, ev)
	case evUndo:
		return s.undo(ctx, ev)
	}
	return nil
}

// record logs a step and counts it for the day.
func (s *sim) record(e Entry) {
	e.At = s.clock
	s.log.Entries = append(s.log.Entries, e)
	s.today.add(e)
}

func entryOf(what What, p *proposal.Proposal) Entry {
	return Entry{What: what, Proposal: p.ID, Revises: p.Revises, Skill: p.Skill, Agent: p.Agent, Key: p.Key, Status: string(p.Status)}
}

// run runs a skill's agents at the simulated time, executes what
// governance allowed and plans the team's decision on what waits.
func (s *sim) run(ctx context.Context, name string) error {
	res, err := s.runner.Run(ctx, fleet.RunRequest{Skill: name, Trigger: skill.Trigger{Kind: "schedule"}, Now: s.clock, DefaultScheduleOnly: true})
	if err != nil {
		return fmt.Errorf("running %s: %w", name, err)
	}
	for i := range res.Proposals {
		p := &res.Proposals[i]
		s.record(entryOf(Proposed, p))
		switch p.Status {
		case proposal.StatusAllowed:
			if err := s.execute(ctx, p.ID); err != nil {
				return err
			}
		case proposal.StatusPendingApproval:
			s.plan(p)
		}
	}
	return nil
}

// lapsed logs the waiting proposals that the approval chain or their own
// expiry closed without a decision.
func (s *sim) lapsed(ctx context.Context) error {
	for _, q := range s.openInOrder() {
		id := q.ID
		p, err := s.st.ProposalGet(ctx, &store.ProposalGetParams{ID: id})
		if err != nil {
			return err
		}
		if p.Status == proposal.StatusPendingApproval {
			continue
		}
		delete(s.open, id)
		if p.Status == proposal.StatusExpired || p.Status == proposal.StatusDenied {
			s.record(entryOf(Expired, p))
		}
	}
	return nil
}

// execute applies an allowed or approved proposal now and logs it; a
// failure is logged (the proposal is marked failed) and the replay goes
// on; a proposal held by the kill switch or a stopped agent is left.
func (s *sim) execute(ctx context.Context, id string) error {
	p, err := s.lc.ExecuteOnce(ctx, id)
	switch {
	case fleet.Waiting(err):
		return nil
	case err != nil:
		q, gerr := s.st.ProposalGet(ctx, &store.ProposalGetParams{ID: id})
		if gerr != nil {
			return fmt.Errorf("%w (and reading the proposal failed: %w)", err, gerr)
		}
		e := entryOf(Failed, q)
		e.Reason = err.Error()
		s.record(e)
		return nil
	}
	e := entryOf(Executed, p)
	e.By = fleet.ActorOf(p)
	s.record(e)
	s.planUndo(p)
	return nil
}

// errSkip marks a decision the state of the proposal no longer allows
// (it lapsed, or was decided meanwhile): the team member moves on.
func skippable(err error) bool {
	return errors.Is(err, proposal.ErrIllegalTransition) || errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound)
}
