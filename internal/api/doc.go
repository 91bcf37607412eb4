// Package api is Tower's HTTP surface: health and readiness probes,
// Prometheus metrics, and the REST API.
//
// Probes follow the Kubernetes convention: /healthz answers as long as the
// process runs, /readyz only when the database answers, so a load balancer
// stops sending traffic to a node that lost its database without killing
// it. Both are unauthenticated and reveal nothing about customer data.
//
// Every other route, /metrics included, is listed in Server.routes() with
// the least role that may call it, and requires "Authorization: Bearer
// tower_…": 401 without a valid token, 403 when the token's role is too
// low, both in the one error shape {"error":{"code":…,"message":…}}. The
// caller is in the request context: PrincipalFrom(ctx).
package api
