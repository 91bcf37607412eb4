package collect

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// ErrBusy is returned by Submit when more events wait for the store than
// Options.MaxPending allows: the caller answers 503 and the client retries.
var ErrBusy = errors.New("Tower is storing events more slowly than they arrive")

// ErrStopped is returned by Submit once the committer has shut down.
var ErrStopped = errors.New("Tower is shutting down")

// TriggerFunc enqueues the skill runs that newly stored events call for,
// inside the transaction that stores them, so a run exists if and only if
// its events were committed. signals are the distinct signal kinds of the
// stored events: the message type ("identify", "page", …) and, for track,
// also "track:" + the event name.
type TriggerFunc func(ctx context.Context, q store.Queries, signals []string) error

// Committer writes submitted events in group commits: one transaction
// holds every request that queued while the previous one was committing,
// so concurrent requests share the cost of a commit and each still gets
// its answer only after its events are durable.
type Committer struct {
	st       store.Store
	triggers TriggerFunc
	log      *slog.Logger
	maxGroup int
	maxWait  int64

	mu      sync.Mutex
	queue   []*submission
	stopped bool
	wake    chan struct{}
	done    chan struct{}

	pending atomic.Int64 // events submitted and not yet answered
	rate    atomic.Int64 // events per second of the last commits (for Retry-After)

	stats Stats
}

// Stats are running totals since the committer started.
type Stats struct {
	Commits    atomic.Int64
	Stored     atomic.Int64
	Duplicates atomic.Int64
	Busy       atomic.Int64 // submissions refused with ErrBusy
	Failed     atomic.Int64 // submissions answered with an error
}

type submission struct {
	events []foundation.Event
	done   chan result // buffered: the committer never blocks on a gone client
}

type result struct {
	res *store.EventsIngestResult // counts of this submission only
	err error
}

// NewCommitter makes a committer for st; call Run to start it. maxGroup
// bounds the events in one transaction (latency), maxPending the events
// waiting (memory); zero picks the defaults of Options.
func NewCommitter(st store.Store, triggers TriggerFunc, maxGroup, maxPending int, log *slog.Logger) *Committer {
	if maxGroup <= 0 {
		maxGroup = DefaultMaxGroup
	}
	if maxPending <= 0 {
		maxPending = DefaultMaxPending
	}
	if log == nil {
		log = slog.Default()
	}
	return &Committer{st: st, triggers: triggers, log: log, maxGroup: maxGroup, maxWait: int64(maxPending),
		wake: make(chan struct{}, 1), done: make(chan struct{})}
}

// Stats returns the running totals.
func (c *Committer) Stats() *Stats { return &c.stats }

// Pending is the number of events waiting for their commit.
func (c *Committer) Pending() int64 { return c.pending.Load() }

// RetryAfter estimates how long a refused client should wait: the time
// the store needs to drain what is waiting, at least one second.
func (c *Committer) RetryAfter() time.Duration {
	rate := c.rate.Load()
	if rate <= 0 {
		return time.Second
	}
	secs := math.Ceil(float64(c.pending.Load()) / float64(rate))
	return time.Duration(max(1, min(secs, 60))) * time.Second
}

// Submit queues events for the next group commit and waits for it. It
// returns ErrBusy at once when too much is waiting, and ctx's error when
// the caller gives up first (the events may still be committed; a client
// that retries finds them as duplicates).
func (c *Committer) Submit(ctx context.Context, events []foundation.Event) (*store.EventsIngestResult, error) {
	if len(events) == 0 {
		return &store.EventsIngestResult{Outcomes: []store.EventOutcome{}}, nil
	}
	n := int64(len(events))
	if c.pending.Add(n) > c.maxWait && c.pending.Load() != n {
		// Always admit a submission when nothing else waits, so one large
		// batch can never be refused forever.
		c.pending.Add(-n)
		c.stats.Busy.Add(1)
		return nil, ErrBusy
	}
	s := &submission{events: events, done: make(chan result, 1)}
	c.mu.Lock()
	if c.stopped {
		c.mu.Unlock()
		c.pending.Add(-n)
		return nil, ErrStopped
	}
	c.queue = append(c.queue, s)
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
	select {
	case r := <-s.done:
		return r.res, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Run commits queued events until ctx is cancelled, then commits what is
// still queued and refuses new submissions. Cancel it only after the HTTP
// server has stopped, so no handler waits for a commit that never comes.
func (c *Committer) Run(ctx context.Context) error {
	defer close(c.done)
	// ctx only says when to stop: a commit under way is never abandoned
	// half-way, and whatever was queued before the stop is still written,
	// because its clients are waiting for an answer.
	work := context.WithoutCancel(ctx)
	for {
		select {
		case <-ctx.Done():
			c.mu.Lock()
			c.stopped = true
			c.mu.Unlock()
			for c.commitNext(work) {
			}
			return nil
		case <-c.wake:
			for c.commitNext(work) {
			}
		}
	}
}

// Done is closed when Run has returned.
func (c *Committer) Done() <-chan struct{} { return c.done }

// commitNext commits one group from the queue; false when it was empty.
func (c *Committer) commitNext(ctx context.Context) bool {
	c.mu.Lock()
	var group []*submission
	events := 0
	for len(c.queue) > 0 {
		s := c.queue[0]
		if len(group) > 0 && events+len(s.events) > c.maxGroup {
			break
		}
		group = append(group, s)
		events += len(s.events)
		c.queue[0] = nil
		c.queue = c.queue[1:]
	}
	if len(c.queue) == 0 {
		c.queue = nil // let the backing array go
	}
	c.mu.Unlock()
	if len(group) == 0 {
		return false
	}
	start := time.Now()
	results, err := c.commit(ctx, group)
	if err != nil && len(group) > 1 {
		// One request's events must not fail everyone else's: commit each
		// alone, so only the one that cannot be stored gets the error.
		c.log.WarnContext(ctx, "a group commit failed; committing its requests one by one", "requests", len(group), "err", err)
		for _, s := range group {
			rs, err := c.commit(ctx, []*submission{s})
			var r *store.EventsIngestResult
			if err == nil {
				r = rs[0]
			}
			c.answer(s, r, err)
		}
	} else {
		for i, s := range group {
			var r *store.EventsIngestResult
			if err == nil {
				r = results[i]
			}
			c.answer(s, r, err)
		}
	}
	if secs := time.Since(start).Seconds(); err == nil && secs > 0 {
		c.rate.Store(int64(float64(events) / secs))
	}
	return true
}

func (c *Committer) answer(s *submission, r *store.EventsIngestResult, err error) {
	c.pending.Add(-int64(len(s.events)))
	if err != nil {
		c.stats.Failed.Add(1)
		c.log.Error("storing events failed", "events", len(s.events), "err", err)
		s.done <- result{err: err}
		return
	}
	c.stats.Stored.Add(int64(r.Stored))
	c.stats.Duplicates.Add(int64(r.Duplicates))
	s.done <- result{res: r}
}

// commit stores the events of group in one transaction, with the skill
// runs they trigger, and splits the result per submission.
func (c *Committer) commit(ctx context.Context, group []*submission) ([]*store.EventsIngestResult, error) {
	var all []foundation.Event
	if len(group) == 1 {
		all = group[0].events
	} else {
		n := 0
		for _, s := range group {
			n += len(s.events)
		}
		all = make([]foundation.Event, 0, n)
		for _, s := range group {
			all = append(all, s.events...)
		}
	}
	var res *store.EventsIngestResult
	err := c.st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		var err error
		if res, err = q.EventsIngest(ctx, &store.EventsIngestParams{Events: all}); err != nil {
			return err
		}
		if len(res.Outcomes) != len(all) {
			return fmt.Errorf("the store answered for %d of %d events", len(res.Outcomes), len(all))
		}
		if c.triggers == nil {
			return nil
		}
		if sig := signals(all, res.Outcomes); len(sig) > 0 {
			return c.triggers(ctx, q, sig)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("storing %d events: %w", len(all), err)
	}
	c.stats.Commits.Add(1)
	out := make([]*store.EventsIngestResult, len(group))
	at := 0
	for i, s := range group {
		oc := res.Outcomes[at : at+len(s.events)]
		at += len(s.events)
		r := &store.EventsIngestResult{Outcomes: oc}
		for _, o := range oc {
			switch o {
			case store.EventStored:
				r.Stored++
			case store.EventDuplicate:
				r.Duplicates++
			}
		}
		out[i] = r
	}
	return out, nil
}

// signals lists the distinct signal kinds of the newly stored events.
func signals(events []foundation.Event, outcomes []store.EventOutcome) []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for i, e := range events {
		if outcomes[i] != store.EventStored {
			continue
		}
		add(string(e.Type))
		if e.Type == "track" && e.Event != "" {
			add("track:" + e.Event)
		}
	}
	return out
}
