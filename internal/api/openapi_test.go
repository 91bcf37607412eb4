package api

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/towerops/tower/internal/fleet"
	"github.com/towerops/tower/internal/store"
)

// openAPIDoc is the part of an OpenAPI document the tests read.
type openAPIDoc struct {
	OpenAPI string `json:"openapi"`
	Paths   map[string]map[string]struct {
		OperationID string                     `json:"operationId"`
		Summary     string                     `json:"summary"`
		Tags        []string                   `json:"tags"`
		Security    []map[string][]string      `json:"security"`
		Role        string                     `json:"x-tower-role"`
		Responses   map[string]json.RawMessage `json:"responses"`
	} `json:"paths"`
	Components struct {
		Schemas         map[string]json.RawMessage `json:"schemas"`
		SecuritySchemes map[string]struct {
			Type, Scheme string
		} `json:"securitySchemes"`
	} `json:"components"`
}

// TestAPIDocumentMatchesRoutes fetches /api/openapi.json from a real
// server and walks both directions: every pattern the API registered on
// the mux is an operation of the document, and every operation of the
// document is served (a request without a token reaches its handler's
// authentication and gets a 401 in the error shape, not the catch-all
// 404). Every operation names its id, summary, tags, the bearer scheme
// and its role; errors have the ErrorResponse schema.
func TestAPIDocumentMatchesRoutes(t *testing.T) {
	t.Parallel()
	st := openTestStore(t)
	s := New(st, nil, "test")
	s.Fleet = &Fleet{Runner: &fleet.Runner{Store: st}, Lifecycle: &fleet.Lifecycle{Store: st}}
	mux, _ := s.build()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	code, raw := get(t, srv.URL+OpenAPIPath+".json")
	if code != http.StatusOK {
		t.Fatalf("%s.json = %d %s", OpenAPIPath, code, raw)
	}
	var doc openAPIDoc
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") {
		t.Errorf("openapi = %q, want 3.1.x", doc.OpenAPI)
	}
	if code, body := get(t, srv.URL+OpenAPIPath+".yaml"); code != http.StatusOK || !strings.Contains(body, "openapi: 3.1") {
		t.Errorf("%s.yaml = %d", OpenAPIPath, code)
	}
	if code, _ := get(t, srv.URL+"/docs"); code != http.StatusNotFound {
		t.Errorf("/docs = %d, want 404: no documentation page that loads scripts from a CDN", code)
	}
	if b := doc.Components.SecuritySchemes[bearerScheme]; b.Type != "http" || b.Scheme != "bearer" {
		t.Errorf("security scheme %q = %+v", bearerScheme, b)
	}
	var errSchema struct {
		Properties map[string]struct {
			Ref string `json:"$ref"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(doc.Components.Schemas["ErrorResponse"], &errSchema); err != nil || errSchema.Properties["error"].Ref == "" {
		t.Errorf("ErrorResponse schema: %s (%v)", doc.Components.Schemas["ErrorResponse"], err)
	}

	// The audit log's hashes are hex strings and its details plain JSON,
	// as they are sent; not base64, as huma would assume for byte slices.
	var line struct {
		Properties map[string]map[string]any `json:"properties"`
	}
	if err := json.Unmarshal(doc.Components.Schemas["ExportLine"], &line); err != nil {
		t.Fatalf("ExportLine schema: %v", err)
	}
	for _, f := range []string{"hash", "prev_hash", "data"} {
		if enc, ok := line.Properties[f]["contentEncoding"]; ok {
			t.Errorf("ExportLine.%s is documented with contentEncoding %v", f, enc)
		}
	}
	if line.Properties["hash"]["type"] != "string" || line.Properties["data"]["type"] != nil {
		t.Errorf("ExportLine hash %v, data %v: want a string and any JSON", line.Properties["hash"], line.Properties["data"])
	}

	inDoc := map[string]bool{}
	ids := map[string]bool{}
	param := regexp.MustCompile(`\{[^}]+\}`)
	for path, item := range doc.Paths {
		for method, op := range item {
			pattern := strings.ToUpper(method) + " " + path
			inDoc[pattern] = true
			if !strings.HasPrefix(path, "/api/v1/") {
				t.Errorf("%s is outside /api/v1/", pattern)
			}
			if op.OperationID == "" || ids[op.OperationID] || op.Summary == "" || len(op.Tags) == 0 {
				t.Errorf("%s: operationId %q (unique?), summary %q, tags %v", pattern, op.OperationID, op.Summary, op.Tags)
			}
			ids[op.OperationID] = true
			if len(op.Security) != 1 || op.Security[0][bearerScheme] == nil {
				t.Errorf("%s: security %v, want the bearer scheme", pattern, op.Security)
			}
			if !slices.Contains(store.Roles(), store.Role(op.Role)) {
				t.Errorf("%s: x-tower-role %q is not a role", pattern, op.Role)
			}
			for status, resp := range op.Responses {
				if status[0] >= '4' && !strings.Contains(string(resp), "#/components/schemas/ErrorResponse") {
					t.Errorf("%s: response %s is not an ErrorResponse: %s", pattern, status, resp)
				}
			}
			// Served: the operation's own handler answers 401, in the error shape.
			req, _ := http.NewRequest(strings.ToUpper(method), srv.URL+param.ReplaceAllString(path, "x"), nil)
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s without a token = %d %s, want 401 (is it served?)", pattern, resp.StatusCode, b)
			}
			checkErrorShape(t, pattern, string(b), "unauthorized")
		}
	}
	if len(inDoc) < 40 {
		t.Errorf("the document has %d operations; want every API route", len(inDoc))
	}
	docFiles := regexp.MustCompile(`^GET ` + regexp.QuoteMeta(OpenAPIPath) + `(-3\.0)?\.(json|yaml)$`)
	registered := 0
	for _, pattern := range s.apiPatterns {
		if docFiles.MatchString(pattern) {
			continue
		}
		registered++
		if !inDoc[pattern] {
			t.Errorf("%s is served but not in the document", pattern)
		}
	}
	if registered != len(inDoc) {
		t.Errorf("%d operations registered, %d in the document", registered, len(inDoc))
	}
	// docs/api.md lists every operation with its role, so people reading
	// it see what the document says.
	guide, err := os.ReadFile(filepath.Join("..", "..", "docs", "api.md"))
	if err != nil {
		t.Fatal(err)
	}
	for path, item := range doc.Paths {
		for method, op := range item {
			row := "| `" + strings.ToUpper(method) + " " + path + "` | " + op.Role + " |"
			if !strings.Contains(string(guide), row) {
				t.Errorf("docs/api.md has no row %q", row)
			}
		}
	}
	if code, body := get(t, srv.URL+"/api/v1/no-such-thing"); code != http.StatusNotFound {
		t.Errorf("an unknown API path = %d %s, want 404", code, body)
	} else {
		checkErrorShape(t, "GET /api/v1/no-such-thing", body, "not_found")
	}
}
