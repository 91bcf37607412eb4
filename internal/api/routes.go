package api

import (
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/towerops/tower/internal/store"
)

// routes is every route that needs a token, with its role. Handler
// registers exactly these (plus the unauthenticated probes), and the
// access test walks exactly these, so a route added here is checked
// against the role matrix without anyone remembering to.
func (s *Server) routes() []Route {
	var rs []Route
	rs = append(rs, s.systemRoutes()...)
	rs = append(rs, s.securityRoutes()...)
	rs = append(rs, s.fleetRoutes()...)
	rs = append(rs, s.governanceRoutes()...)
	return rs
}

// systemRoutes are Tower's own: metrics. They reveal counts only, but a
// viewer token is still required so a public address leaks nothing.
func (s *Server) systemRoutes() []Route {
	metrics := promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{})
	return []Route{
		{Method: "GET", Path: "/metrics", Role: store.RoleViewer, Summary: "Prometheus metrics", Handler: metrics.ServeHTTP},
	}
}
