package web

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/store"
)

// sseEvent is one server-sent event.
type sseEvent struct {
	Name string
	Data map[string]any
}

// openEvents opens the live-update stream as b and returns its events.
func (b *browser) openEvents(ctx context.Context, query string) (<-chan sseEvent, *http.Response) {
	b.t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, b.w.srv.URL+"/events"+query, nil)
	c := *b.client
	c.Timeout = 0 // a stream; the context ends it
	resp, err := c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	out := make(chan sseEvent, 16)
	go func() {
		defer close(out)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				ev.Name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				_ = json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &ev.Data)
			case line == "" && ev.Name != "":
				out <- ev
				ev = sseEvent{}
			}
		}
	}()
	return out, resp
}

// next waits for the next event named name.
func next(t *testing.T, events <-chan sseEvent, name string, within time.Duration) sseEvent {
	t.Helper()
	deadline := time.After(within)
	for {
		select {
		case ev, ok := <-events:
			if !ok {
				t.Fatalf("the stream ended before a %s event", name)
			}
			if ev.Name == name {
				return ev
			}
		case <-deadline:
			t.Fatalf("no %s event within %s", name, within)
		}
	}
}

// TestEventsFollowDecisions: the stream sends the inbox count on
// connect; a decision made elsewhere lowers it, and the watched proposal
// reports its new status.
func TestEventsFollowDecisions(t *testing.T) {
	w := newWorld(t)
	b := w.signIn(store.RoleApprover)
	p := w.pending("approver", "stale-consent", 1)[0]
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	events, resp := b.openEvents(ctx, "?watch="+p.ID)
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" || resp.Header.Get("Content-Security-Policy") == "" {
		t.Fatalf("stream: Content-Type %q, CSP %q", ct, resp.Header.Get("Content-Security-Policy"))
	}
	first := next(t, events, "inbox", 5*time.Second)
	n := int(first.Data["count"].(float64))
	items, err := governance.Inbox(ctx, w.st, "approver", time.Now(), inboxScan)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(items) {
		t.Fatalf("inbox event on connect: %d, governance lists %d", n, len(items))
	}

	other := w.signIn(store.RoleApprover) // the same person in another tab
	if code, _, _ := other.post("/proposals/"+p.ID+"/approve", url.Values{"csrf": {other.csrf()}}); code != http.StatusSeeOther {
		t.Fatalf("approve: %d", code)
	}
	ev := next(t, events, "inbox", 4*eventsPoll)
	if got := int(ev.Data["count"].(float64)); got != n-1 {
		t.Fatalf("inbox after one decision: %d, want %d", got, n-1)
	}
	ev = next(t, events, "proposal", 4*eventsPoll)
	if ev.Data["id"] != p.ID || ev.Data["status"] != "executed" {
		t.Fatalf("proposal event: %v, want %s executed", ev.Data, p.ID)
	}

	// Signing out ends the stream.
	if code, _, _ := b.post("/signout", url.Values{"csrf": {b.csrf()}}); code != http.StatusSeeOther {
		t.Fatalf("sign out: %d", code)
	}
	next(t, events, "signedout", 4*eventsPoll)
}

// TestEventsNeedSession: without a session the stream is not opened.
func TestEventsNeedSession(t *testing.T) {
	w := newWorld(t)
	code, _, loc := w.newBrowser().get("/events")
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/signin") {
		t.Fatalf("events without a session: %d → %q", code, loc)
	}
}
