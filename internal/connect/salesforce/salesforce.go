// Package salesforce is the Salesforce connector: it pulls Contacts (or
// Leads) and their e-mail and phone opt-outs with a SOQL query, and pushes
// suppressions, re-subscriptions and field updates through sObject
// Collections, 200 records a call.
//
//	kind      = "salesforce"
//	system    = "crm"
//	url       = "https://acme.my.salesforce.com"   # the org's instance URL
//	token_env = "SALESFORCE_TOKEN"                 # an OAuth access token
//	object    = "Contact"                          # or "Lead"
//
// The token is sent as a bearer token and never logged or put in an error.
package salesforce

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/towerops/tower/internal/connect"
)

// Kind is the connector kind this package registers.
const Kind = "salesforce"

// DefaultVersion is the REST API version used unless the configured URL
// names one (https://acme.my.salesforce.com/services/data/v60.0).
const DefaultVersion = "v62.0"

// MaxBatch is Salesforce's limit on records per sObject Collections call.
const MaxBatch = 200

func init() { connect.Register(Kind, open) }

var _ connect.Connector = (*Salesforce)(nil)

// Salesforce is one configured org and object.
type Salesforce struct {
	cfg     connect.Config
	env     connect.Env
	api     *connect.Client
	version string
	object  string
}

var versionInURL = regexp.MustCompile(`/services/data/(v\d+\.\d+)/?$`)

func open(cfg connect.Config, env connect.Env) (connect.Connector, error) {
	token, err := cfg.Secret(env)
	if err != nil {
		return nil, err
	}
	base := strings.TrimRight(cfg.URL, "/")
	if base == "" {
		return nil, errors.New("url: missing; set it to the org's instance URL, such as https://acme.my.salesforce.com")
	}
	if !strings.HasPrefix(base, "https://") && !strings.HasPrefix(base, "http://") {
		return nil, fmt.Errorf("url: %q is not an http(s) URL", cfg.URL)
	}
	version := DefaultVersion
	if m := versionInURL.FindStringSubmatch(base); m != nil {
		version, base = m[1], strings.TrimSuffix(base, m[0])
	}
	object := cfg.Object
	switch {
	case object == "":
		object = "Contact"
	case strings.EqualFold(object, "contact"):
		object = "Contact"
	case strings.EqualFold(object, "lead"):
		object = "Lead"
	default:
		return nil, fmt.Errorf("object: %q is not one Tower reads; use Contact or Lead", cfg.Object)
	}
	if env.Clock == nil {
		env.Clock = connect.SystemClock{}
	}
	if env.HTTP == nil {
		env.HTTP = http.DefaultClient
	}
	s := &Salesforce{cfg: cfg, env: env, version: version, object: object}
	s.api = &connect.Client{HTTP: env.HTTP, Base: base,
		Header: http.Header{"User-Agent": {"Tower (connector salesforce)"}},
		Auth:   func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) }}
	return s, nil
}

// Describe says what the connector is and can do. Merge and unmerge are
// not listed: the REST API cannot merge (Push says what to do instead).
func (s *Salesforce) Describe() connect.Description {
	n := MaxBatch
	if s.cfg.BatchSize > 0 && s.cfg.BatchSize < n {
		n = s.cfg.BatchSize
	}
	return connect.Description{Name: s.cfg.Name, Kind: Kind, System: s.cfg.System,
		Ops: []connect.Op{connect.OpSuppress, connect.OpUnsuppress, connect.OpUpdateField}, Pull: true, MaxBatch: n}
}

func (s *Salesforce) path(rest string) string { return "/services/data/" + s.version + rest }

// do makes one API call and reads Salesforce's whole-request errors: a
// spent API request limit (403 REQUEST_LIMIT_EXCEEDED) passes with time,
// so it is retryable; a refused token (401 INVALID_SESSION_ID) needs a
// person, so it says so plainly.
func (s *Salesforce) do(ctx context.Context, method, path string, h http.Header, body, out any) error {
	_, err := s.api.DoHeader(ctx, method, path, h, body, out)
	var se *connect.StatusError
	if !errors.As(err, &se) {
		return err
	}
	switch {
	case se.Status == http.StatusUnauthorized:
		return fmt.Errorf("salesforce: the Salesforce token in %s was refused: renew it (%w)", s.cfg.TokenEnv, err)
	case se.Status == http.StatusForbidden && strings.Contains(se.Body, "REQUEST_LIMIT_EXCEEDED"):
		return connect.Temporary(fmt.Errorf("salesforce: the org's API request limit is spent for now: %w", err), 0)
	}
	return err
}
