package api

import (
	"github.com/danielgtaylor/huma/v2"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/towerops/tower/internal/store"
)

// routes are the plain routes that need a token, with their role: only
// /metrics, whose answer is Prometheus text, not JSON. Every /api/v1 route
// is a huma operation (registerOperations), and the access test walks
// both lists, so a route added to either is checked against the role
// matrix without anyone remembering to.
func (s *Server) routes() []Route {
	return s.systemRoutes()
}

// systemRoutes are Tower's own: metrics. They reveal counts only, but a
// viewer token is still required so a public address leaks nothing.
func (s *Server) systemRoutes() []Route {
	metrics := promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{})
	return []Route{
		{Method: "GET", Path: "/metrics", Role: store.RoleViewer, Summary: "Prometheus metrics", Handler: metrics.ServeHTTP},
	}
}

// registerOperations adds every /api/v1 operation to api. The agent,
// proposal and governance operations need Fleet; without it they are left
// out.
func (s *Server) registerOperations(api huma.API) {
	s.securityOperations(api)
	s.sourceOperations(api)
	s.foundationOperations(api)
	s.briefingOperations(api)
	s.measureOperations(api)
	if s.Fleet != nil {
		s.fleetOperations(api)
		s.proposalOperations(api)
		s.governanceOperations(api)
	}
}

// body is the output of an operation that answers with a JSON body.
type body[T any] struct{ Body T }

// reply wraps v as an operation's answer.
func reply[T any](v T) (*body[T], error) { return &body[T]{Body: v}, nil }
