package web

import (
	"log/slog"
	"net/http"
	"path/filepath"

	"github.com/towerops/tower/internal/auth"
	"github.com/towerops/tower/internal/fleet"
	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/store"
)

// Server serves the console.
type Server struct {
	Store     store.Store
	Runner    *fleet.Runner
	Lifecycle *fleet.Lifecycle
	// Pack is the workspace's governance (policies, autonomy, caps);
	// PolicyDir is the folder it was loaded from, for its tests.
	Pack      *governance.Pack
	PolicyDir string
	Logger    *slog.Logger
	Version   string

	auth    *auth.Authenticator
	pages   map[string]*pageTemplate
	limiter *signinLimiter
}

// New returns a console on st; Runner and Lifecycle may be nil in tests
// that only read.
func New(st store.Store, runner *fleet.Runner, lc *fleet.Lifecycle, pack *governance.Pack, logger *slog.Logger, version string) (*Server, error) {
	if logger == nil {
		logger = slog.Default()
	}
	s := &Server{Store: st, Runner: runner, Lifecycle: lc, Pack: pack, Logger: logger, Version: version,
		auth: auth.NewAuthenticator(st), limiter: newSigninLimiter()}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	s.pages = pages
	return s, nil
}

// WithPolicyDir records where the policy pack came from (its tests live there).
func (s *Server) WithPolicyDir(dir string) *Server {
	s.PolicyDir = filepath.Clean(dir)
	return s
}

// page is one console route. Role is the least role that may open it;
// Public pages (sign-in, assets) need no session. POST pages check the
// CSRF value before the handler runs.
type page struct {
	Pattern string // a ServeMux pattern, e.g. "GET /proposals/{id}"
	Role    store.Role
	Public  bool
	Handler http.HandlerFunc
}

// routes is every console route. Each area of the console adds its own
// list; Register wraps each in the session and CSRF checks, so a page
// cannot be added without them.
func (s *Server) routes() []page {
	var ps []page
	ps = append(ps, s.sessionPages()...)
	ps = append(ps, s.decisionPages()...)
	ps = append(ps, s.browsePages()...)
	return ps
}

// Register adds the console's routes to mux (the API's mux: the console
// and the API are one server on one port).
func (s *Server) Register(mux *http.ServeMux) {
	for _, p := range s.routes() {
		h := p.Handler
		if !p.Public {
			h = s.requireSession(p.Role, h)
		}
		mux.HandleFunc(p.Pattern, s.secureHeaders(h))
	}
}
