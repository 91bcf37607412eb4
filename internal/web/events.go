package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// Live updates are server-sent events: one long GET per open page. Each
// connection polls the store (the same on SQLite and PostgreSQL, and on
// every node of a cluster, with no broker to run) and sends only what
// changed:
//
//	event: inbox     data: {"count": N}            on connect and when the count changes
//	event: proposal  data: {"id": "p_…", "status": "executed"}
//	                 for each watched proposal (?watch=ID, repeatable) whose status changed
//
// A comment line every eventsKeepalive keeps proxies from closing an idle
// stream. A stream ends when the browser goes away, when the session ends
// (signed out, revoked or expired), or after eventsMaxLife, after which
// EventSource reconnects by itself — so a server shutting down never
// waits long for its streams.
var (
	eventsPoll      = 2500 * time.Millisecond
	eventsKeepalive = 15 * time.Second
	eventsMaxLife   = 10 * time.Minute
)

// eventsMaxWatch caps the proposals one stream watches (an inbox page).
const eventsMaxWatch = 100

func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	rc := http.NewResponseController(w)
	var watch []string
	for _, id := range r.URL.Query()["watch"] {
		if strings.HasPrefix(id, "p_") && len(id) < 64 && len(watch) < eventsMaxWatch {
			watch = append(watch, id)
		}
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // no buffering in nginx in front of Tower
	w.WriteHeader(http.StatusOK)
	if _, err := fmt.Fprint(w, "retry: 5000\n\n"); err != nil {
		return
	}
	_ = rc.Flush()

	st := &streamState{count: -1, status: map[string]proposal.Status{}}
	tick := time.NewTicker(eventsPoll)
	defer tick.Stop()
	keep := time.NewTicker(eventsKeepalive)
	defer keep.Stop()
	end := time.NewTimer(eventsMaxLife)
	defer end.Stop()
	for {
		if err := s.pushChanges(ctx, w, r, st, watch); err != nil {
			if ctx.Err() == nil && !errors.Is(err, errStreamEnded) {
				s.Logger.WarnContext(ctx, "live updates stopped", "err", err)
			}
			return
		}
		if err := rc.Flush(); err != nil {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-end.C:
			return
		case <-keep.C:
			if _, err := fmt.Fprint(w, ": keepalive\n\n"); err != nil {
				return
			}
		case <-tick.C:
		}
	}
}

// streamState is what one stream last sent.
type streamState struct {
	count  int
	status map[string]proposal.Status
}

var errStreamEnded = errors.New("the session ended")

// pushChanges sends what changed since the last look.
func (s *Server) pushChanges(ctx context.Context, w http.ResponseWriter, r *http.Request, st *streamState, watch []string) error {
	se, err := s.currentSession(r)
	if err != nil {
		return err
	}
	if se == nil {
		_, _ = fmt.Fprint(w, "event: signedout\ndata: {}\n\n")
		return errStreamEnded
	}
	items, err := governance.Inbox(ctx, s.Store, se.Principal.User.Name, s.now(), inboxScan)
	if err != nil {
		return err
	}
	if len(items) != st.count {
		st.count = len(items)
		if err := sendEvent(w, "inbox", map[string]any{"count": st.count}); err != nil {
			return err
		}
	}
	for _, id := range watch {
		p, err := s.Store.ProposalGet(ctx, &store.ProposalGetParams{ID: id})
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		was, seen := st.status[id]
		st.status[id] = p.Status
		if seen && was != p.Status {
			if err := sendEvent(w, "proposal", map[string]any{"id": id, "status": p.Status, "words": statusWords(p.Status)}); err != nil {
				return err
			}
		}
	}
	return nil
}

// sendEvent writes one event with JSON data.
func sendEvent(w http.ResponseWriter, name string, data any) error {
	b, err := json.Marshal(data)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "event: %s\ndata: %s\n\n", name, b)
	return err
}
