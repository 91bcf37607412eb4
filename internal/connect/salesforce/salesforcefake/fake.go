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
	"strconv"
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

	rateN      int
	rateAfter  time.Duration
	limitN     int
	failN      int
	failStatus int
	dropN      int
	downUntil  time.Time
}

// New starts a fake org holding Contacts.
func New(clock *connecttest.Clock) *Fake { return NewObject(clock, "Contact") }

// NewObject starts a fake org holding records of object ("Contact" or "Lead").
func NewObject(clock *connecttest.Clock, object string) *Fake {
	f := &Fake{clock: clock, object: object, nextID: 1, records: map[string]map[string]any{},
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
		now := f.clock.Now()
		var status int
		var after time.Duration
		drop := false
		switch {
		case now.Before(f.downUntil):
			status = http.StatusServiceUnavailable
		case f.rateN > 0:
			f.rateN--
			status, after = http.StatusTooManyRequests, f.rateAfter
		case f.limitN > 0:
			f.limitN--
			status = http.StatusForbidden
		case f.failN > 0:
			f.failN--
			status = f.failStatus
		case f.dropN > 0:
			f.dropN--
			drop = true
		}
		f.mu.Unlock()
		switch {
		case status == http.StatusTooManyRequests:
			w.Header().Set("Retry-After", strconv.Itoa(int(after/time.Second)))
			writeError(w, status, "REQUEST_LIMIT_EXCEEDED", "Too many requests: concurrent API request limit exceeded.")
		case status == http.StatusForbidden:
			writeError(w, status, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
		case status == http.StatusServiceUnavailable:
			writeError(w, status, "SERVER_UNAVAILABLE", "Server temporarily unavailable: the org is being upgraded.")
		case status != 0:
			writeError(w, status, "UNKNOWN_EXCEPTION", "An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)")
		case drop:
			next.ServeHTTP(httptest.NewRecorder(), r)
			hj, ok := w.(http.Hijacker)
			if !ok {
				panic("salesforcefake: the server cannot hijack connections")
			}
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
			}
		default:
			next.ServeHTTP(w, r)
		}
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

// RateLimit answers the next n requests 429 with Retry-After.
func (f *Fake) RateLimit(n int, after time.Duration) {
	f.mu.Lock()
	f.rateN, f.rateAfter = n, after
	f.mu.Unlock()
}

// LimitExceeded answers the next n requests as Salesforce does when the
// org's API request limit is spent: 403 REQUEST_LIMIT_EXCEEDED.
func (f *Fake) LimitExceeded(n int) {
	f.mu.Lock()
	f.limitN = n
	f.mu.Unlock()
}

// FailNext answers the next n requests with status.
func (f *Fake) FailNext(n int, status int) {
	f.mu.Lock()
	f.failN, f.failStatus = n, status
	f.mu.Unlock()
}

// DropNext applies the next n requests and cuts the connection unanswered.
func (f *Fake) DropNext(n int) {
	f.mu.Lock()
	f.dropN = n
	f.mu.Unlock()
}

// Down answers 503 until the clock reaches until.
func (f *Fake) Down(until time.Time) {
	f.mu.Lock()
	f.downUntil = until
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
