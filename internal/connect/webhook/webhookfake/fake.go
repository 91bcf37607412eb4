// Package webhookfake is a receiver of Tower's webhook, written the way
// docs/connectors.md tells a customer to write one: it verifies the
// signature (401 otherwise), dedupes by change key (a key seen before is
// ok and changes nothing), and keeps per-record state — consent per
// channel, fields, merges — that tests can read. It also fails on cue for
// the connector suite.
package webhookfake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"

	"github.com/towerops/tower/internal/connect"
	"github.com/towerops/tower/internal/connect/connecttest"
	"github.com/towerops/tower/internal/connect/webhook"
	"github.com/towerops/tower/internal/foundation"
)

var _ connecttest.Fake = (*Server)(nil)

// Server is the fake receiver.
type Server struct {
	mu     sync.Mutex
	clock  *connecttest.Clock
	srv    *httptest.Server
	secret string

	nextID    int
	records   map[string]*record
	seen      map[string]bool // change keys done
	rejected  map[string]bool
	mutations int
	requests  int
	unsigned  int // requests refused for their signature
	batches   []webhook.Payload
	*connecttest.Faults
}

// record is one record's state. A suppression keeps its reason, as most
// systems do: suppressing again for another reason changes the record.
type record struct {
	suppressed map[foundation.Channel]suppression
	fields     map[string]string
	mergedInto string
}

type suppression struct {
	status foundation.ConsentStatus
	reason string
}

// New starts a receiver that verifies with secret on clock's time.
func New(clock *connecttest.Clock, secret string) *Server {
	s := &Server{clock: clock, Faults: connecttest.NewFaults(clock), secret: secret, records: map[string]*record{}, seen: map[string]bool{}, rejected: map[string]bool{}}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.serve(w, r, http.HandlerFunc(s.receive))
	}))
	return s
}

// URL is where the receiver listens.
func (s *Server) URL() string { return s.srv.URL + "/tower" }

// Client is an HTTP client for the receiver.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// Close stops the receiver.
func (s *Server) Close() { s.srv.Close() }

// Seed creates records with ids w1, w2, …
func (s *Server) Seed(recs []connecttest.Seed) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, len(recs))
	for i, r := range recs {
		s.nextID++
		id := fmt.Sprintf("w%d", s.nextID)
		rec := &record{suppressed: map[foundation.Channel]suppression{},
			fields: map[string]string{"email": r.Email, "first_name": r.FirstName, "last_name": r.LastName}}
		if r.Suppressed {
			rec.suppressed[foundation.ChannelEmail] = suppression{foundation.StatusUnsubscribed, "seeded"}
		}
		s.records[id] = rec
		ids[i] = id
	}
	return ids
}

// Sendable reports whether the record is not suppressed on ch.
func (s *Server) Sendable(id string, ch foundation.Channel) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.records[id]
	if r == nil {
		return false
	}
	_, off := r.suppressed[ch]
	return !off
}

// Field returns a field of the record.
func (s *Server) Field(id, field string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.records[id]; r != nil {
		return r.fields[field]
	}
	return ""
}

// MergedInto returns the record id was merged into.
func (s *Server) MergedInto(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.records[id]; r != nil {
		return r.mergedInto
	}
	return ""
}

// Mutations counts changes that changed a record.
func (s *Server) Mutations() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mutations
}

// Requests counts requests received.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// Unsigned counts requests refused for a missing, wrong or stale signature.
func (s *Server) Unsigned() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.unsigned
}

// Batches returns the payloads received with a good signature, in order.
func (s *Server) Batches() []webhook.Payload {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]webhook.Payload(nil), s.batches...)
}

// Reject makes every change to record id fail with retry false.
func (s *Server) Reject(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejected[id] = true
}

// receive handles one batch; s.mu is held by serve.
func (s *Server) receive(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeError(w, http.StatusBadRequest, "could not read the body")
		return
	}
	if err := webhook.Verify(s.secret, r.Header, body, s.clock.Now(), 0); err != nil {
		s.unsigned++
		writeError(w, http.StatusUnauthorized, err.Error())
		return
	}
	var p webhook.Payload
	if err := json.Unmarshal(body, &p); err != nil {
		writeError(w, http.StatusBadRequest, "the body is not a batch of changes: "+err.Error())
		return
	}
	s.batches = append(s.batches, p)
	var ans webhook.Answer
	for _, ch := range p.Changes {
		switch {
		case s.rejected[ch.SystemID]:
			ans.Results = append(ans.Results, webhook.Result{Key: ch.Key, Status: "error", Error: "record " + ch.SystemID + " is locked"})
		case s.seen[ch.Key]:
			ans.Results = append(ans.Results, webhook.Result{Key: ch.Key, Status: "ok"})
		default:
			if msg := s.apply(ch); msg != "" {
				ans.Results = append(ans.Results, webhook.Result{Key: ch.Key, Status: "error", Error: msg})
				continue
			}
			s.seen[ch.Key] = true
			// Done changes are left out of the answer: missing means ok.
		}
	}
	writeJSON(w, http.StatusOK, ans)
}

// apply makes one change; "" when it was done (or changed nothing).
func (s *Server) apply(ch webhook.Change) string {
	r := s.records[ch.SystemID]
	if r == nil {
		return "no record " + ch.SystemID
	}
	changed := false
	switch connect.Op(ch.Op) {
	case connect.OpSuppress:
		st := foundation.ConsentStatus(ch.Status)
		if st == "" {
			st = foundation.StatusDoNotContact
		}
		c, want := foundation.Channel(ch.Channel), suppression{st, ch.Reason}
		changed = r.suppressed[c] != want
		r.suppressed[c] = want
	case connect.OpUnsuppress:
		c := foundation.Channel(ch.Channel)
		_, changed = r.suppressed[c]
		delete(r.suppressed, c)
	case connect.OpUpdateField:
		if ch.Field == "" {
			return "field is empty"
		}
		changed = r.fields[ch.Field] != ch.Value
		r.fields[ch.Field] = ch.Value
	case connect.OpMerge:
		if s.records[ch.IntoID] == nil {
			return "no record " + ch.IntoID + " to merge into"
		}
		changed = r.mergedInto != ch.IntoID
		r.mergedInto = ch.IntoID
	case connect.OpUnmerge:
		changed = r.mergedInto != ""
		r.mergedInto = ""
	default:
		return "unknown op " + ch.Op
	}
	if changed {
		s.mutations++
	}
	return ""
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// serve runs h under the suite's faults, answered in webhook's error shape;
// s.mu is held throughout, so the fake handles one request at a time.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, h http.Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests++
	s.Faults.Serve(w, r, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
	}), func(w http.ResponseWriter, status int) {
		switch status {
		case http.StatusServiceUnavailable:
			writeError(w, status, "the receiver is down for maintenance")
		case http.StatusTooManyRequests:
			writeError(w, status, "too many requests")
		default:
			writeError(w, status, "receiver failed")
		}
	})
}
