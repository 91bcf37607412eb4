package api

import (
	"net/http"

	"github.com/towerops/tower/internal/store"
)

// Route is one API route with the least role that may call it.
type Route struct {
	Method  string
	Path    string // a net/http ServeMux pattern path, e.g. /api/v1/proposals/{id}
	Role    store.Role
	Summary string
	Handler http.HandlerFunc
}
