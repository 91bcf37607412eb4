package collect

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

// track returns n track events named name with ids prefix-0…prefix-(n-1).
func track(prefix, name string, n int) []foundation.Event {
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	out := make([]foundation.Event, n)
	for i := range out {
		out[i] = foundation.Event{MessageID: fmt.Sprintf("%s-%d", prefix, i), Type: "track", Event: name,
			AnonymousID: "anon-" + prefix, Timestamp: at, ReceivedAt: at, Source: "src_test"}
	}
	return out
}

// holdTrigger returns a TriggerFunc that blocks inside the committer's
// transaction while a "track:Hold" event is being stored, until release
// is closed, and records every signal list it saw. It stands for a slow
// database: whatever is submitted meanwhile must queue for the next group.
func holdTrigger(release <-chan struct{}, held chan<- struct{}) (TriggerFunc, func() [][]string) {
	var mu sync.Mutex
	var seen [][]string
	f := func(ctx context.Context, q store.Queries, signals []string) error {
		mu.Lock()
		seen = append(seen, slices.Clone(signals))
		mu.Unlock()
		if slices.Contains(signals, "track:Hold") {
			held <- struct{}{}
			<-release
		}
		if slices.Contains(signals, "track:Poison") {
			return errors.New("this request cannot be stored")
		}
		return nil
	}
	return f, func() [][]string { mu.Lock(); defer mu.Unlock(); return slices.Clone(seen) }
}

func startCommitter(t *testing.T, c *Committer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	go func() { _ = c.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-c.Done() })
}

func waitPending(t *testing.T, c *Committer, n int64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for c.Pending() != n {
		if time.Now().After(deadline) {
			t.Fatalf("pending events stayed at %d, want %d", c.Pending(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestGroupCommitSharesOneTransaction: requests that arrive while a commit
// is in progress are written together in the next one, and each gets the
// outcome of its own events, including duplicates across requests.
func TestGroupCommitSharesOneTransaction(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		release, held := make(chan struct{}), make(chan struct{}, 1)
		trig, seen := holdTrigger(release, held)
		c := NewCommitter(st, trig, 0, 0, nil)
		startCommitter(t, c)

		first := make(chan error, 1)
		go func() {
			_, err := c.Submit(ctx, track("hold", "Hold", 1))
			first <- err
		}()
		<-held // the first commit is inside its transaction now

		type answer struct {
			i   int
			res *store.EventsIngestResult
			err error
		}
		answers := make(chan answer, 10)
		for i := range 10 {
			go func() {
				// Request 9 resends request 0's events: within one group
				// the later copy is the duplicate.
				prefix := fmt.Sprintf("r%d", i)
				if i == 9 {
					prefix = "r0"
				}
				r, err := c.Submit(ctx, track(prefix, "Pricing Viewed", 3))
				answers <- answer{i, r, err}
			}()
		}
		waitPending(t, c, 1+30)
		close(release)
		if err := <-first; err != nil {
			t.Fatal(err)
		}
		stored, dups := 0, 0
		for range 10 {
			a := <-answers
			if a.err != nil {
				t.Fatalf("request %d: %v", a.i, a.err)
			}
			if len(a.res.Outcomes) != 3 || a.res.Stored+a.res.Duplicates != 3 {
				t.Fatalf("request %d: %+v, want 3 outcomes", a.i, a.res)
			}
			stored += a.res.Stored
			dups += a.res.Duplicates
		}
		if stored != 27 || dups != 3 {
			t.Errorf("stored %d, duplicates %d; want 27 and 3", stored, dups)
		}
		if n := c.Stats().Commits.Load(); n != 2 {
			t.Errorf("%d commits for 11 requests, want 2 (the held one, then all ten together)", n)
		}
		if s := seen(); len(s) != 2 || !slices.Equal(s[1], []string{"track", "track:Pricing Viewed"}) {
			t.Errorf("triggers saw %v", s)
		}
		evs, err := st.EventsList(ctx, &store.EventsListParams{Page: store.Page{Limit: 100}})
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 28 {
			t.Errorf("%d events stored, want 28", len(evs))
		}
		for _, e := range evs {
			if e.Source != "src_test" {
				t.Fatalf("event %s has source %q", e.MessageID, e.Source)
			}
		}
		// A resend after commit is a duplicate and triggers nothing.
		r, err := c.Submit(ctx, track("r3", "Pricing Viewed", 3))
		if err != nil || r.Duplicates != 3 || r.Stored != 0 {
			t.Fatalf("resend: %+v, %v", r, err)
		}
		if s := seen(); len(s) != 2 {
			t.Errorf("a resend of stored events called the triggers: %v", s[2:])
		}
	})
}

// TestBusyWhenTheStoreFallsBehind: past MaxPending, a request is refused
// at once with ErrBusy rather than queued, and is admitted again once the
// backlog is written.
func TestBusyWhenTheStoreFallsBehind(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		release, held := make(chan struct{}), make(chan struct{}, 1)
		trig, _ := holdTrigger(release, held)
		c := NewCommitter(st, trig, 0, 10, nil)
		startCommitter(t, c)

		first := make(chan error, 1)
		go func() {
			_, err := c.Submit(ctx, track("hold", "Hold", 8))
			first <- err
		}()
		<-held
		if _, err := c.Submit(ctx, track("more", "Pricing Viewed", 3)); !errors.Is(err, ErrBusy) {
			t.Fatalf("8 waiting + 3 more with a limit of 10: %v, want ErrBusy", err)
		}
		if d := c.RetryAfter(); d < time.Second || d > time.Minute {
			t.Errorf("RetryAfter %v, want between 1 s and 1 min", d)
		}
		if n := c.Stats().Busy.Load(); n != 1 {
			t.Errorf("busy count %d, want 1", n)
		}
		close(release)
		if err := <-first; err != nil {
			t.Fatal(err)
		}
		if r, err := c.Submit(ctx, track("more", "Pricing Viewed", 3)); err != nil || r.Stored != 3 {
			t.Fatalf("after the backlog cleared: %+v, %v", r, err)
		}
		// One request larger than the limit is still admitted when nothing
		// else waits: it could otherwise never be stored.
		if r, err := c.Submit(ctx, track("big", "Pricing Viewed", 25)); err != nil || r.Stored != 25 {
			t.Fatalf("a lone 25-event request with a limit of 10: %+v, %v", r, err)
		}
	})
}

// TestOneBadRequestDoesNotFailItsGroup: when a group's transaction fails,
// each request is retried alone, so only the one at fault gets an error
// and nothing of it is stored.
func TestOneBadRequestDoesNotFailItsGroup(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		release, held := make(chan struct{}), make(chan struct{}, 1)
		trig, _ := holdTrigger(release, held)
		c := NewCommitter(st, trig, 0, 0, nil)
		startCommitter(t, c)
		go func() { _, _ = c.Submit(ctx, track("hold", "Hold", 1)) }()
		<-held
		errs := make(chan error, 3)
		for _, ev := range []string{"Signed Up", "Poison", "Order Completed"} {
			go func() {
				_, err := c.Submit(ctx, track(ev, ev, 2))
				errs <- err
			}()
		}
		waitPending(t, c, 1+6)
		close(release)
		failed := 0
		for range 3 {
			if err := <-errs; err != nil {
				failed++
			}
		}
		if failed != 1 {
			t.Fatalf("%d requests failed, want only the poisoned one", failed)
		}
		evs, err := st.EventsList(ctx, &store.EventsListParams{Page: store.Page{Limit: 100}})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range evs {
			names = append(names, e.Event)
		}
		slices.Sort(names)
		want := []string{"Hold", "Order Completed", "Order Completed", "Signed Up", "Signed Up"}
		if !slices.Equal(names, want) {
			t.Errorf("stored %v, want %v", names, want)
		}
		if n := c.Stats().Failed.Load(); n != 1 {
			t.Errorf("failed count %d, want 1", n)
		}
	})
}

// TestShutdownCommitsWhatWasQueued: requests queued before the stop are
// committed and answered; after it, Submit says the server is stopping.
func TestShutdownCommitsWhatWasQueued(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		release, held := make(chan struct{}), make(chan struct{}, 1)
		trig, _ := holdTrigger(release, held)
		c := NewCommitter(st, trig, 0, 0, nil)
		runCtx, stop := context.WithCancel(ctx)
		go func() { _ = c.Run(runCtx) }()
		go func() { _, _ = c.Submit(ctx, track("hold", "Hold", 1)) }()
		<-held
		queued := make(chan error, 1)
		go func() {
			r, err := c.Submit(ctx, track("late", "Signed Up", 4))
			if err == nil && r.Stored != 4 {
				err = fmt.Errorf("stored %d of 4", r.Stored)
			}
			queued <- err
		}()
		waitPending(t, c, 5)
		stop()
		close(release)
		if err := <-queued; err != nil {
			t.Fatalf("a request queued before the stop: %v", err)
		}
		<-c.Done()
		if _, err := c.Submit(ctx, track("after", "Signed Up", 1)); !errors.Is(err, ErrStopped) {
			t.Fatalf("after the stop: %v, want ErrStopped", err)
		}
	})
}
