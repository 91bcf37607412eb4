// Package hubspot is the HubSpot connector: it pulls contacts and their
// e-mail opt-out from the CRM v3 API, and pushes suppressions and
// re-subscriptions through the communication-preferences v4 API, field
// updates through the contacts batch update, and merges through the
// contacts merge endpoint.
//
//	kind      = "hubspot"
//	system    = "crm"
//	token_env = "HUBSPOT_TOKEN"   # a private-app token
//
// The token is sent as a bearer token and never logged or put in an error.
package hubspot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/towerops/tower/internal/connect"
)

// Kind is the connector kind this package registers.
const Kind = "hubspot"

// DefaultURL is HubSpot's public API.
const DefaultURL = "https://api.hubapi.com"

// MaxBatch is HubSpot's limit on inputs per batch endpoint call.
const MaxBatch = 100

// PageSize is the most contacts one list call returns.
const PageSize = 100

func init() { connect.Register(Kind, open) }

var _ connect.Connector = (*HubSpot)(nil)

// HubSpot is one configured HubSpot portal.
type HubSpot struct {
	cfg connect.Config
	env connect.Env
	api *connect.Client

	// subscription is the marketing e-mail subscription type an
	// unsuppress subscribes the address to, found on first use.
	mu           sync.Mutex
	subscription int64
}

func open(cfg connect.Config, env connect.Env) (connect.Connector, error) {
	token, err := cfg.Secret(env)
	if err != nil {
		return nil, err
	}
	base := strings.TrimRight(cfg.URL, "/")
	if base == "" {
		base = DefaultURL
	}
	if !strings.HasPrefix(base, "https://") && !strings.HasPrefix(base, "http://") {
		return nil, fmt.Errorf("url: %q is not an http(s) URL", cfg.URL)
	}
	if env.Clock == nil {
		env.Clock = connect.SystemClock{}
	}
	if env.HTTP == nil {
		env.HTTP = http.DefaultClient
	}
	h := &HubSpot{cfg: cfg, env: env}
	h.api = &connect.Client{HTTP: env.HTTP, Base: base,
		Header: http.Header{"User-Agent": {"Tower (connector hubspot)"}},
		Auth:   func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) }}
	return h, nil
}

// Describe says what the connector is and can do. Unmerge is not listed:
// HubSpot cannot split a merged contact (Push says what to do instead).
func (h *HubSpot) Describe() connect.Description {
	n := MaxBatch
	if h.cfg.BatchSize > 0 && h.cfg.BatchSize < n {
		n = h.cfg.BatchSize
	}
	return connect.Description{Name: h.cfg.Name, Kind: Kind, System: h.cfg.System,
		Ops:  []connect.Op{connect.OpSuppress, connect.OpUnsuppress, connect.OpUpdateField, connect.OpMerge},
		Pull: true, MaxBatch: n}
}

// do makes one API call and turns the answers a person must act on into
// plain sentences: a refused token (401) and a missing scope (403).
func (h *HubSpot) do(ctx context.Context, method, path string, body, out any) (int, error) {
	status, err := h.api.DoHeader(ctx, method, path, nil, body, out)
	var se *connect.StatusError
	if errors.As(err, &se) {
		switch se.Status {
		case http.StatusUnauthorized:
			return status, fmt.Errorf("hubspot: the HubSpot token in %s was refused: renew it (%w)", h.cfg.TokenEnv, err)
		case http.StatusForbidden:
			return status, fmt.Errorf("hubspot: the HubSpot token in %s lacks a scope this needs (crm.objects.contacts.read/write, communication_preferences.read_write): %w", h.cfg.TokenEnv, err)
		}
	}
	return status, err
}
