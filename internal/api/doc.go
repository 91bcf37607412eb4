// Package api is Tower's HTTP surface: health and readiness probes,
// Prometheus metrics, and the REST API with its OpenAPI 3.1 document.
//
// Probes follow the Kubernetes convention: /healthz answers as long as the
// process runs, /readyz only when the database answers, so a load balancer
// stops sending traffic to a node that lost its database without killing
// it. Both are unauthenticated and reveal nothing about customer data.
//
// The REST API lives under /api/v1 and is built with huma on the standard
// ServeMux: each operation is a typed handler registered with register,
// naming the least role that may call it, so its parameters, body,
// answers and role are in the document served at /api/openapi.json and
// the document cannot drift from the code. Every operation, like
// /metrics, requires "Authorization: Bearer tower_…": 401 without a valid
// token, 403 when the token's role is too low. The caller is in the
// request context: PrincipalFrom(ctx).
//
// Every error — authentication, huma's own validation, the domain's
// refusals — is an ErrorResponse, {"error":{"code":…,"message":…}}, with
// details for invalid requests; fail maps the domain's errors to it, so
// domain packages never speak HTTP. Every list is a Page with an opaque
// cursor (see page.go). docs/api.md is the guide for people.
package api
