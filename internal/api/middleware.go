package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/towerops/tower/internal/auth"
	"github.com/towerops/tower/internal/store"
)

type principalKey struct{}

// PrincipalFrom returns the caller of an authenticated request, or nil.
func PrincipalFrom(ctx context.Context) *auth.Principal {
	p, _ := ctx.Value(principalKey{}).(*auth.Principal)
	return p
}

// routeRole is the role a plain route needs. A route that names none is
// treated as admin-only: forgetting to think about a route must not open
// it.
func routeRole(r Route) store.Role {
	if r.Role == "" {
		return store.RoleAdmin
	}
	return r.Role
}

// require wraps a plain handler (such as /metrics) so it runs only for a
// caller whose token allows need; API operations get the same check from
// the authorize middleware.
func (s *Server) require(need store.Role, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, e := s.authenticate(r, need)
		if e != nil {
			writeError(w, e.status, e.Err.Message)
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), principalKey{}, p)))
	}
}

// authenticate returns the caller of r if its bearer token is valid and
// its role allows need; otherwise the error to answer: 401 without a
// usable token, 403 with a token that may not do this. The token itself
// is never logged.
func (s *Server) authenticate(r *http.Request, need store.Role) (*auth.Principal, *ErrorResponse) {
	secret, ok := bearer(r)
	if !ok {
		return nil, apiErr(http.StatusUnauthorized,
			"send an API token as 'Authorization: Bearer tower_…' (create one with tower tokens create)")
	}
	p, err := s.auth.Authenticate(r.Context(), secret)
	if err != nil {
		if isAuthError(err) {
			return nil, apiErr(http.StatusUnauthorized,
				"the API token is not valid: it is unknown, revoked or expired, or its user is disabled")
		}
		s.Logger.ErrorContext(r.Context(), "authenticating a request failed", "err", err)
		return nil, apiErr(http.StatusInternalServerError, "could not check the API token; try again")
	}
	if !auth.Allows(p.Role, need) {
		return nil, apiErr(http.StatusForbidden,
			fmt.Sprintf("this needs the %s role; the token acts as %s", need, p.Role))
	}
	return p, nil
}

func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, secret, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	secret = strings.TrimSpace(secret)
	return secret, secret != ""
}

func isAuthError(err error) bool {
	for _, e := range []error{auth.ErrBadToken, auth.ErrUnknownToken, auth.ErrRevokedToken,
		auth.ErrExpiredToken, auth.ErrUserDisabled} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}
