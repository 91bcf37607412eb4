// Package salesforcefake is a Salesforce REST API on loopback for tests:
// SOQL query with nextRecordsUrl paging (GET /services/data/vXX.X/query
// and /query/{locator}) and sObject Collections update (PATCH
// /services/data/vXX.X/composite/sobjects), with Salesforce's JSON shapes,
// its 200-record collection limit, the bearer-token check and its error
// bodies ([{"message", "errorCode"}]). It keeps time by a
// connecttest.Clock and fails on cue as connecttest.Fake describes.
package salesforcefake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/towerops/tower/internal/connect/connecttest"
)

// Token is the access token the fake accepts.
const Token = "00DFAKE0000000!AQ0AQFakeSalesforceSessionSecret"

// CollectionLimit is Salesforce's limit on records per collection call.
const CollectionLimit = 200

var _ connecttest.Fake = (*Fake)(nil)

// Fake is one fake Salesforce org holding records of one object.
type Fake struct {
	srv   *httptest.Server
	clock *connecttest.Clock
	// object is "Contact" or "Lead".
	object string

	mu        sync.Mutex
	nextID    int
	records   map[string]map[string]any
	order     []string
	rejected  map[string]bool
	cursors   map[string]cursor
	pageSize  int
	mutations int
	requests  int

	limitN int // answers left as 403 REQUEST_LIMIT_EXCEEDED

	*connecttest.Faults
}

// New starts a fake org holding Contacts.
func New(clock *connecttest.Clock) *Fake { return NewObject(clock, "Contact") }

// NewObject starts a fake org holding records of object ("Contact" or "Lead").
func NewObject(clock *connecttest.Clock, object string) *Fake {
	f := &Fake{clock: clock, Faults: connecttest.NewFaults(clock), object: object, nextID: 1, records: map[string]map[string]any{},
		rejected: map[string]bool{}, cursors: map[string]cursor{}, pageSize: 2000}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /services/data/{version}/query", f.query)
	mux.HandleFunc("GET /services/data/{version}/query/{locator}", f.more)
	mux.HandleFunc("PATCH /services/data/{version}/composite/sobjects", f.update)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist")
	})
	f.srv = httptest.NewServer(f.serve(mux))
	return f
}

// SetPageSize sets how many records a query page holds when the request
// does not ask (Salesforce's default is 2000).
func (f *Fake) SetPageSize(n int) {
	f.mu.Lock()
	f.pageSize = n
	f.mu.Unlock()
}

func (f *Fake) serve(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.requests++
		f.mu.Unlock()
		if r.Header.Get("Authorization") != "Bearer "+Token {
			writeError(w, http.StatusUnauthorized, "INVALID_SESSION_ID", "Session expired or invalid")
			return
		}
		f.mu.Lock()
		spent := f.limitN > 0
		if spent {
			f.limitN--
		}
		f.mu.Unlock()
		if spent {
			writeError(w, http.StatusForbidden, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
			return
		}
		f.Faults.Serve(w, r, next, func(w http.ResponseWriter, status int) {
			switch status {
			case http.StatusTooManyRequests:
				writeError(w, status, "REQUEST_LIMIT_EXCEEDED", "Too many requests: concurrent API request limit exceeded.")
			case http.StatusServiceUnavailable:
				writeError(w, status, "SERVER_UNAVAILABLE", "Server temporarily unavailable: the org is being upgraded.")
			default:
				writeError(w, status, "UNKNOWN_EXCEPTION", "An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)")
			}
		})
	})
}

// writeError answers Salesforce's error body: a list of {message, errorCode}.
func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, []map[string]any{{"message": msg, "errorCode": code}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// URL is the org's instance URL.
func (f *Fake) URL() string { return f.srv.URL }

// Close stops the server.
func (f *Fake) Close() { f.srv.Close() }

// Mutations counts record changes that changed a value.
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

// LimitExceeded answers the next n requests as Salesforce does when the
// org's API request limit is spent: 403 REQUEST_LIMIT_EXCEEDED.
func (f *Fake) LimitExceeded(n int) {
	f.mu.Lock()
	f.limitN = n
	f.mu.Unlock()
}

// Reject makes every update of record id fail inside its collection.
func (f *Fake) Reject(id string) {
	f.mu.Lock()
	f.rejected[id] = true
	f.mu.Unlock()
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000+0000") }

func recordID(object string, n int) string {
	prefix := "003"
	if object == "Lead" {
		prefix = "00Q"
	}
	return fmt.Sprintf("%sFK%013d", prefix, n)
}
