// Package mauticfake is a Mautic REST API on loopback, built from Mautic's
// published shapes (contacts list keyed by id, do-not-contact add/remove,
// batch edit with per-entry status codes, errors as
// {"errors":[{"code","message","details"}]}), with the faults the
// connector suite asks for.
package mauticfake

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"time"

	"github.com/towerops/tower/internal/connect/connecttest"
	"github.com/towerops/tower/internal/connect/mautic"
	"github.com/towerops/tower/internal/foundation"
)

var _ connecttest.Fake = (*Server)(nil)

// Server is a fake Mautic holding contacts in memory.
type Server struct {
	mu             sync.Mutex
	clock          *connecttest.Clock
	srv            *httptest.Server
	user, password string

	nextID    int64
	contacts  map[int64]*contact
	rejected  map[int64]bool
	mutations int
	requests  int
	*connecttest.Faults
}

type contact struct {
	fields   map[string]string
	dnc      map[string]dnc // by channel
	added    time.Time
	modified time.Time
}

type dnc struct {
	id       int64
	reason   int
	comments string
}

// New starts a fake Mautic that accepts basic auth user:password.
func New(clock *connecttest.Clock, user, password string) *Server {
	s := &Server{clock: clock, Faults: connecttest.NewFaults(clock), user: user, password: password, contacts: map[int64]*contact{}, rejected: map[int64]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/contacts", s.list)
	mux.HandleFunc("POST /api/contacts/{id}/dnc/{channel}/add", s.dncAdd)
	mux.HandleFunc("POST /api/contacts/{id}/dnc/{channel}/remove", s.dncRemove)
	mux.HandleFunc("PATCH /api/contacts/batch/edit", s.batchEdit)
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.serve(w, r, mux) }))
	return s
}

// URL is the fake's base URL.
func (s *Server) URL() string { return s.srv.URL }

// Client is an HTTP client for the fake.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// Close stops the fake.
func (s *Server) Close() { s.srv.Close() }

// Seed creates contacts; a suppressed one gets an e-mail do-not-contact
// entry with reason 1 (unsubscribed).
func (s *Server) Seed(recs []connecttest.Seed) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now().Add(-24 * time.Hour)
	ids := make([]string, len(recs))
	for i, r := range recs {
		s.nextID++
		c := &contact{fields: map[string]string{"email": r.Email, "firstname": r.FirstName, "lastname": r.LastName},
			dnc: map[string]dnc{}, added: now, modified: now}
		if r.Suppressed {
			c.dnc["email"] = dnc{id: s.nextID, reason: mautic.ReasonUnsubscribed, comments: "seeded"}
		}
		s.contacts[s.nextID] = c
		ids[i] = strconv.FormatInt(s.nextID, 10)
	}
	return ids
}

// SetDNC puts a do-not-contact entry on a contact as Mautic's own UI would.
func (s *Server) SetDNC(id, channel string, reason int, comments string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.contacts[atoi(id)]; c != nil {
		c.dnc[channel] = dnc{id: atoi(id), reason: reason, comments: comments}
	}
}

// DNC returns a contact's entry on channel (reason -1 when it has none).
func (s *Server) DNC(id, channel string) (reason int, comments string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.contacts[atoi(id)]
	if c == nil {
		return -1, ""
	}
	d, ok := c.dnc[channel]
	if !ok {
		return -1, ""
	}
	return d.reason, d.comments
}

// Sendable reports whether the contact has no blocking entry on ch.
func (s *Server) Sendable(id string, ch foundation.Channel) bool {
	r, _ := s.DNC(id, string(ch))
	return r == -1 || r == mautic.ReasonContactable
}

// Field returns a Tower field of a contact as Mautic holds it.
func (s *Server) Field(id, field string) string {
	alias, err := mautic.Alias(field)
	if err != nil {
		return ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.contacts[atoi(id)]; c != nil {
		return c.fields[alias]
	}
	return ""
}

// MergedInto is always "": Mautic's API cannot merge.
func (s *Server) MergedInto(id string) string { return "" }

// Mutations counts changes that changed a contact.
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

// Reject makes every change to contact id fail with 403, as Mautic
// answers for a contact the API user may not edit.
func (s *Server) Reject(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejected[atoi(id)] = true
}

func atoi(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, mautic.ErrorBody{Errors: []mautic.ErrorItem{{Code: status, Message: msg, Details: json.RawMessage("[]")}}})
}

// serve runs h under the suite's faults, answered in Mautic's error shape;
// s.mu is held throughout, so the fake handles one request at a time.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, h http.Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests++
	s.Faults.Serve(w, r, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != s.user || p != s.password {
			writeError(w, http.StatusUnauthorized, "API authorization denied.")
			return
		}
		h.ServeHTTP(w, r)
	}), func(w http.ResponseWriter, status int) {
		switch status {
		case http.StatusServiceUnavailable:
			writeError(w, status, "Mautic is down for maintenance.")
		case http.StatusTooManyRequests:
			writeError(w, status, "API rate limit exceeded.")
		default:
			writeError(w, status, "Looks like I encountered an error (error code: "+strconv.Itoa(status)+").")
		}
	})
}
