package webhookfake

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"time"
)

// faults are the failures the suite asks for, applied in this order to
// each request: down, rate limit, server error; a dropped request is
// applied and its answer never sent.
type faults struct {
	rateLimit int
	rateAfter time.Duration
	failN     int
	failCode  int
	drop      int
	downUntil time.Time
}

// RateLimit answers the next n requests 429 with Retry-After: after.
func (s *Server) RateLimit(n int, after time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.f.rateLimit, s.f.rateAfter = n, after
}

// FailNext answers the next n requests with status.
func (s *Server) FailNext(n, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.f.failN, s.f.failCode = n, status
}

// DropNext applies the next n requests and cuts the connection instead of answering.
func (s *Server) DropNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.f.drop = n
}

// Down answers 503 until the clock reaches until.
func (s *Server) Down(until time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.f.downUntil = until
}

// serve runs h under the faults; s.mu is held throughout, so the fake
// handles one request at a time.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, h http.Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests++
	switch {
	case s.clock.Now().Before(s.f.downUntil):
		writeError(w, http.StatusServiceUnavailable, "the receiver is down for maintenance")
		return
	case s.f.rateLimit > 0:
		s.f.rateLimit--
		w.Header().Set("Retry-After", strconv.Itoa(int(s.f.rateAfter/time.Second)))
		writeError(w, http.StatusTooManyRequests, "too many requests")
		return
	case s.f.failN > 0:
		s.f.failN--
		writeError(w, s.f.failCode, "receiver failed")
		return
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	if s.f.drop > 0 {
		s.f.drop--
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	for k, vs := range rec.Header() {
		w.Header()[k] = vs
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}
