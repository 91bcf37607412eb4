package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/towerops/tower/internal/auth"
	"github.com/towerops/tower/internal/ingest/collect"
	"github.com/towerops/tower/internal/store"
)

// Server holds what the HTTP handlers need.
type Server struct {
	Store   store.Store
	Logger  *slog.Logger
	Version string
	// Fleet serves the agent and proposal routes; nil leaves them out.
	Fleet *Fleet
	// Collector serves the Segment-compatible /v1 event endpoints, which
	// authenticate with a source's write key, not an API token; nil
	// leaves them out.
	Collector *collect.Collector
	// Committer is the Collector's; its totals are exported in /metrics.
	Committer *collect.Committer
	// Console adds the web console's pages to the same mux (sign-in,
	// inbox, …); nil leaves them out.
	Console interface{ Register(mux *http.ServeMux) }

	auth          *auth.Authenticator
	apiPatterns   []string // what the huma API registered on the mux, for tests
	ingestMetrics sync.Once
	registry      *prometheus.Registry
	requests      *prometheus.CounterVec
	duration      *prometheus.HistogramVec
}

// New builds a Server with its own metrics registry (not the global one,
// so tests can run several servers in one process).
func New(st store.Store, logger *slog.Logger, version string) *Server {
	if logger == nil {
		logger = slog.Default()
	}
	s := &Server{Store: st, Logger: logger, Version: version, registry: prometheus.NewRegistry(),
		auth: auth.NewAuthenticator(st)}
	s.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tower_http_requests_total", Help: "HTTP requests by route and status code.",
	}, []string{"route", "code"})
	s.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "tower_http_request_duration_seconds", Help: "HTTP request latency by route.",
		Buckets: prometheus.DefBuckets,
	}, []string{"route"})
	s.registry.MustRegister(s.requests, s.duration,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		newFoundationCollector(st, logger))
	return s
}

// Handler returns the routes: the two probes without authentication, the
// plain routes of s.routes() and every API operation behind a bearer token
// with its role, the OpenAPI document, the console and the collector.
func (s *Server) Handler() http.Handler {
	mux, _ := s.build()
	return mux
}

// build makes the mux and the huma API registered on it (tests walk the
// API's operations).
func (s *Server) build() (*http.ServeMux, huma.API) {
	mux := http.NewServeMux()
	s.apiPatterns = nil
	s.route(mux, "GET /healthz", s.healthz)
	s.route(mux, "GET /readyz", s.readyz)
	for _, rt := range s.routes() {
		s.route(mux, rt.Method+" "+rt.Path, s.require(routeRole(rt), rt.Handler))
	}
	api := s.newAPI(mux)
	s.registerOperations(api)
	// Anything else under /api/ answers in the API's error shape, not the
	// mux's plain-text 404.
	s.route(mux, "/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "there is no "+r.Method+" "+r.URL.Path+"; see "+OpenAPIPath+".json for every operation")
	})
	if s.Console != nil {
		s.Console.Register(mux)
	}
	if s.Collector != nil {
		s.Collector.Routes(mux, s.instrument)
	}
	if s.Committer != nil {
		// Handler may be built more than once (tests); the metrics are
		// registered the first time.
		s.ingestMetrics.Do(func() { s.registry.MustRegister(newIngestCollector(s.Committer)) })
	}
	return mux, api
}

// route registers h and records its metrics under the route pattern, never
// the raw path, so metric cardinality stays bounded.
func (s *Server) route(mux *http.ServeMux, pattern string, h http.HandlerFunc) {
	mux.HandleFunc(pattern, s.instrument(pattern, h))
}

// instrument wraps h so its requests count in the metrics of pattern.
func (s *Server) instrument(pattern string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, code: http.StatusOK}
		h(rec, r)
		s.requests.WithLabelValues(pattern, fmt.Sprint(rec.code)).Inc()
		s.duration.WithLabelValues(pattern).Observe(time.Since(start).Seconds())
	}
}

type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.code = code
	r.ResponseWriter.WriteHeader(code)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": s.Version})
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.Store.Ping(ctx); err != nil {
		s.Logger.WarnContext(ctx, "not ready: database does not answer", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{
			"status": "unavailable", "reason": "the database does not answer",
		})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready", "database": s.Store.Backend()})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// ListenAndServe serves h on addr until ctx is cancelled, then shuts down
// gracefully, giving in-flight requests up to 10 s. ready, if not nil,
// receives the bound address once the listener is open (useful with
// port 0).
func ListenAndServe(ctx context.Context, addr string, h http.Handler, ready func(net.Addr)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	if ready != nil {
		ready(ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serving on %s: %w", addr, err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
