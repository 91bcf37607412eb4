package auth

import (
	"errors"
	"fmt"
	"strings"

	"github.com/towerops/tower/internal/store"
)

// ErrUnknownRole is returned by ParseRole for a name that is not a role.
var ErrUnknownRole = errors.New("unknown role")

// rank orders roles. The order is linear: each role can do everything
// the roles below it can. Approving is an approver's power, not a
// marketer's, which the order already says (approver > marketer).
func rank(r store.Role) int {
	switch r {
	case store.RoleAdmin:
		return 5
	case store.RoleArchitect:
		return 4
	case store.RoleApprover:
		return 3
	case store.RoleMarketer:
		return 2
	case store.RoleViewer:
		return 1
	}
	return 0
}

// Allows reports whether a caller with role have may do what needs role
// need. An unknown role allows nothing and is allowed by nothing.
func Allows(have, need store.Role) bool {
	h, n := rank(have), rank(need)
	return h > 0 && n > 0 && h >= n
}

// Lower returns the less powerful of two roles.
func Lower(a, b store.Role) store.Role {
	if rank(a) <= rank(b) {
		return a
	}
	return b
}

// ParseRole reads a role name, case-insensitively.
func ParseRole(s string) (store.Role, error) {
	r := store.Role(strings.ToLower(strings.TrimSpace(s)))
	if rank(r) == 0 {
		names := make([]string, 0, 5)
		for _, x := range store.Roles() {
			names = append(names, string(x))
		}
		return "", fmt.Errorf("%w %q: use one of %s", ErrUnknownRole, s, strings.Join(names, ", "))
	}
	return r, nil
}
