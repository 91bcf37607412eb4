// Package api is Tower's HTTP surface: health and readiness probes,
// Prometheus metrics, and (as capabilities land) the REST API.
//
// Probes follow the Kubernetes convention: /healthz answers as long as the
// process runs, /readyz only when the database answers, so a load balancer
// stops sending traffic to a node that lost its database without killing
// it. Both and /metrics are unauthenticated and reveal nothing about
// customer data (counts only); every other route will require a token.
package api
