package connecttest

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"time"
)

// Faults are the failures the suite asks a fake for (the fault half of
// Fake). A fake embeds them, so RateLimit, FailNext, DropNext and Down are
// its own, and runs each request through Serve, answering in its vendor's
// error shape.
type Faults struct {
	mu         sync.Mutex
	clock      *Clock
	rateN      int
	rateAfter  time.Duration
	failN      int
	failStatus int
	dropN      int
	downUntil  time.Time
}

// NewFaults keeps time by clock (for Down).
func NewFaults(clock *Clock) *Faults { return &Faults{clock: clock} }

// RateLimit answers the next n requests 429 with Retry-After: after.
func (f *Faults) RateLimit(n int, after time.Duration) {
	f.mu.Lock()
	f.rateN, f.rateAfter = n, after
	f.mu.Unlock()
}

// FailNext answers the next n requests with status.
func (f *Faults) FailNext(n int, status int) {
	f.mu.Lock()
	f.failN, f.failStatus = n, status
	f.mu.Unlock()
}

// DropNext applies the next n requests and cuts the connection instead of
// answering, as a timeout looks from the client.
func (f *Faults) DropNext(n int) {
	f.mu.Lock()
	f.dropN = n
	f.mu.Unlock()
}

// Down answers 503 until the clock reaches until.
func (f *Faults) Down(until time.Time) {
	f.mu.Lock()
	f.downUntil = until
	f.mu.Unlock()
}

// next takes the fault due for one request, in the order down, rate
// limit, server error, drop.
func (f *Faults) next() (status int, after time.Duration, drop bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case f.clock.Now().Before(f.downUntil):
		return http.StatusServiceUnavailable, 0, false
	case f.rateN > 0:
		f.rateN--
		return http.StatusTooManyRequests, f.rateAfter, false
	case f.failN > 0:
		f.failN--
		return f.failStatus, 0, false
	case f.dropN > 0:
		f.dropN--
		return 0, 0, true
	}
	return 0, 0, false
}

// Serve plays the fault due for r, or runs next. A failure is answered by
// fail with its status (a 429 with Retry-After already set), so the body
// is the vendor's; a dropped request is applied and its connection cut.
func (f *Faults) Serve(w http.ResponseWriter, r *http.Request, next http.Handler, fail func(w http.ResponseWriter, status int)) {
	status, after, drop := f.next()
	switch {
	case status == http.StatusTooManyRequests:
		w.Header().Set("Retry-After", strconv.Itoa(int(after/time.Second)))
		fail(w, status)
	case status != 0:
		fail(w, status)
	case drop:
		next.ServeHTTP(httptest.NewRecorder(), r)
		hj, ok := w.(http.Hijacker)
		if !ok {
			panic(http.ErrAbortHandler)
		}
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
		}
	default:
		next.ServeHTTP(w, r)
	}
}
