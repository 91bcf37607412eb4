package api

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/store"
)

// OpenAPIPath is where the OpenAPI 3.1 document is served, as .json and
// .yaml. It needs no token: it describes the API, not the workspace.
const OpenAPIPath = "/api/openapi"

// roleKey is the operation metadata key holding the least role an
// operation needs; the extension of the same name shows it in the
// document.
const roleKey = "x-tower-role"

// bearerScheme is the name of the token security scheme in the document.
const bearerScheme = "bearer"

// newAPI builds the huma API of every /api/v1 operation on mux. There is
// no documentation page: huma's loads its scripts from a CDN, and Tower
// runs offline; the document itself is enough for any OpenAPI viewer.
func (s *Server) newAPI(mux *http.ServeMux) huma.API {
	cfg := huma.DefaultConfig("Tower API", s.Version)
	cfg.DocsPath = ""
	cfg.SchemasPath = ""
	cfg.OpenAPIPath = OpenAPIPath
	reg := huma.NewMapRegistry("#/components/schemas/", schemaNamer())
	// The audit log's hashes are sent as hex strings and its details as
	// the JSON they were recorded as; without these aliases the document
	// would call both base64 (how encoding/json sends other byte slices).
	reg.RegisterTypeAlias(reflect.TypeFor[audit.HexBytes](), reflect.TypeFor[string]())
	reg.RegisterTypeAlias(reflect.TypeFor[json.RawMessage](), reflect.TypeFor[any]())
	cfg.Components.Schemas = reg
	// DefaultConfig's create hook adds a $schema field to every answer;
	// Tower's answers are plain JSON.
	cfg.CreateHooks = nil
	cfg.Info.Description = "The REST API of Tower, the control tower for a marketing team's agents. " +
		"Every operation needs 'Authorization: Bearer tower_…' (create a token with tower tokens create); " +
		"each names the least role that may call it in x-tower-role. Errors always have the shape of ErrorResponse."
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		bearerScheme: {Type: "http", Scheme: "bearer", Description: "An API token, tower_…, as created by tower tokens create."},
	}
	api := humago.New(&instrumentedMux{mux: mux, s: s}, cfg)
	api.UseMiddleware(s.authorize(api))
	return api
}

// instrumentedMux registers huma's handlers on the ServeMux through
// Server.instrument, so API operations are counted in the metrics under
// their pattern like every other route.
type instrumentedMux struct {
	mux *http.ServeMux
	s   *Server
}

func (m *instrumentedMux) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	m.s.apiPatterns = append(m.s.apiPatterns, pattern)
	m.s.route(m.mux, pattern, h)
}

func (m *instrumentedMux) ServeHTTP(w http.ResponseWriter, r *http.Request) { m.mux.ServeHTTP(w, r) }

// register adds one operation that needs role, with the bearer scheme
// and the role in the document.
func register[I, O any](api huma.API, role store.Role, op huma.Operation, h func(context.Context, *I) (*O, error)) {
	op.Security = []map[string][]string{{bearerScheme: {}}}
	// The errors any operation may answer; huma adds 422 (the request does
	// not match its schema) and 500.
	op.Errors = []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden}
	if strings.Contains(op.Path, "{") {
		op.Errors = append(op.Errors, http.StatusNotFound)
	}
	if op.Method != http.MethodGet {
		op.Errors = append(op.Errors, http.StatusConflict)
	}
	op.Metadata = map[string]any{roleKey: role}
	op.Extensions = map[string]any{roleKey: string(role)}
	need := "Needs the " + string(role) + " role or higher."
	if op.Description == "" {
		op.Description = need
	} else {
		op.Description += "\n\n" + need
	}
	if !strings.HasPrefix(op.Path, "/api/v1/") {
		panic("api: operation " + op.OperationID + " is not under /api/v1/")
	}
	huma.Register(api, op, h)
}

// operationRole is the role an operation needs. An operation that names
// none is admin-only: forgetting to think about one must not open it.
func operationRole(op *huma.Operation) store.Role {
	if op != nil {
		if r, ok := op.Metadata[roleKey].(store.Role); ok && r != "" {
			return r
		}
	}
	return store.RoleAdmin
}

// authorize is the middleware in front of every operation: the caller's
// bearer token must be valid and its role allow the operation's, else 401
// or 403 before the request is even parsed.
func (s *Server) authorize(api huma.API) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		r, _ := humago.Unwrap(ctx)
		p, e := s.authenticate(r, operationRole(ctx.Operation()))
		if e != nil {
			for k, v := range e.header {
				ctx.SetHeader(k, v[0])
			}
			ctx.SetHeader("Content-Type", "application/json")
			ctx.SetStatus(e.status)
			_ = api.Marshal(ctx.BodyWriter(), "application/json", e)
			return
		}
		next(huma.WithValue(ctx, principalKey{}, p))
	}
}
