// Package hubspotfake is a HubSpot API on loopback for tests: the CRM v3
// contacts endpoints (list, batch update, merge, read one) and the
// communication-preferences v4 endpoints (definitions, batch read,
// batch unsubscribe-all, batch write), with HubSpot's paths, JSON shapes,
// paging, batch limit, bearer-token check and error bodies. It keeps time
// by a connecttest.Clock and fails on cue as connecttest.Fake describes.
package hubspotfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/towerops/tower/internal/connect/connecttest"
)

// Token is the private-app token the fake accepts.
const Token = "pat-na1-fake-0000-hubspot-secret"

// BatchLimit is HubSpot's limit on inputs per batch call.
const BatchLimit = 100

// MarketingSubscription is the id of the fake portal's default marketing
// e-mail subscription (HubSpot's "Marketing Information").
const MarketingSubscription = 1001

var _ connecttest.Fake = (*Fake)(nil)

// Fake is one fake HubSpot portal.
type Fake struct {
	srv   *httptest.Server
	clock *connecttest.Clock

	mu       sync.Mutex
	nextID   int
	contacts map[string]*contact // by id, merged ones included
	order    []string            // ids in creation order
	// optOut is the e-mail opt-out of all (the v4 "wide" status), by
	// lower-cased address; subs the per-subscription statuses.
	optOut    map[string]bool
	subs      map[string]map[int64]string
	rejected  map[string]bool
	mutations int
	requests  int

	*connecttest.Faults
}

type contact struct {
	id         string
	props      map[string]string
	created    time.Time
	updated    time.Time
	mergedInto string
	mergedIDs  []string
}

// New starts a fake portal on loopback.
func New(clock *connecttest.Clock) *Fake {
	f := &Fake{clock: clock, Faults: connecttest.NewFaults(clock), nextID: 101, contacts: map[string]*contact{}, optOut: map[string]bool{},
		subs: map[string]map[int64]string{}, rejected: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /crm/v3/objects/contacts", f.list)
	mux.HandleFunc("GET /crm/v3/objects/contacts/{id}", f.get)
	mux.HandleFunc("POST /crm/v3/objects/contacts/batch/update", f.batchUpdate)
	mux.HandleFunc("POST /crm/v3/objects/contacts/merge", f.merge)
	mux.HandleFunc("GET /communication-preferences/v4/definitions", f.definitions)
	mux.HandleFunc("POST /communication-preferences/v4/statuses/batch/unsubscribe-all", f.unsubscribeAll)
	mux.HandleFunc("POST /communication-preferences/v4/statuses/batch/write", f.batchWrite)
	mux.HandleFunc("POST /communication-preferences/v4/statuses/batch/read", f.batchRead)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "OBJECT_NOT_FOUND", fmt.Sprintf("no endpoint %s %s", r.Method, r.URL.Path))
	})
	f.srv = httptest.NewServer(f.serve(mux))
	return f
}

// serve checks the token, then plays the fault queued for this request.
func (f *Fake) serve(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.requests++
		f.mu.Unlock()
		if r.Header.Get("Authorization") != "Bearer "+Token {
			writeError(w, http.StatusUnauthorized, "INVALID_AUTHENTICATION",
				"Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview")
			return
		}
		f.Faults.Serve(w, r, next, func(w http.ResponseWriter, status int) {
			if status == http.StatusTooManyRequests {
				writeJSON(w, status, map[string]any{"status": "error", "message": "You have reached your ten_secondly_rolling limit.",
					"errorType": "RATE_LIMIT", "correlationId": correlationID(), "policyName": "TEN_SECONDLY_ROLLING"})
				return
			}
			writeError(w, status, "INTERNAL_ERROR", "internal error")
		})
	})
}

var corr struct {
	sync.Mutex
	n int
}

func correlationID() string {
	corr.Lock()
	defer corr.Unlock()
	corr.n++
	return fmt.Sprintf("5f0c1e2a-0000-4000-8000-%012d", corr.n)
}

// writeError answers HubSpot's standard error body.
func writeError(w http.ResponseWriter, status int, category, msg string) {
	writeJSON(w, status, map[string]any{"status": "error", "message": msg, "correlationId": correlationID(), "category": category})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// URL is the fake's base URL.
func (f *Fake) URL() string { return f.srv.URL }

// Close stops the server.
func (f *Fake) Close() { f.srv.Close() }

// Mutations counts state changes.
func (f *Fake) Mutations() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.mutations
}

// Requests counts requests received.
func (f *Fake) Requests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests
}

// Reject makes every change to contact id fail inside its batch.
func (f *Fake) Reject(id string) {
	f.mu.Lock()
	f.rejected[id] = true
	f.mu.Unlock()
}
