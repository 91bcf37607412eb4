package webhook

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/towerops/tower/internal/connect"
)

// Kind is the name this connector registers under.
const Kind = "webhook"

// DefaultBatch is how many changes one POST carries unless batch_size
// says otherwise; MaxBatchSize is the most batch_size may ask for.
const (
	DefaultBatch = 100
	MaxBatchSize = 1000
)

func init() { connect.Register(Kind, open) }

var _ connect.Connector = (*Connector)(nil)

// Payload is the body of a push.
type Payload struct {
	Changes []Change `json:"changes"`
}

// Change is one change as the receiver sees it. Every field is always
// present ("" when it does not apply), so a receiver need not guess.
type Change struct {
	Key      string `json:"key"`
	Op       string `json:"op"`
	System   string `json:"system"`
	SystemID string `json:"system_id"`
	Email    string `json:"email"`
	Channel  string `json:"channel"`
	Status   string `json:"status"`
	Reason   string `json:"reason"`
	Field    string `json:"field"`
	Value    string `json:"value"`
	IntoID   string `json:"into_id"`
}

// Answer is what a receiver may answer with a 2xx.
type Answer struct {
	Results []Result `json:"results"`
}

// Result is the receiver's word on one change: Status "ok" or "error";
// Retry asks Tower to send an errored change again later.
type Result struct {
	Key    string `json:"key"`
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
	Retry  bool   `json:"retry,omitempty"`
}

// Connector is one configured webhook.
type Connector struct {
	cfg    connect.Config
	env    connect.Env
	secret string
	url    string
	where  string // the url without query or credentials, for messages
	batch  int
}

func open(cfg connect.Config, env connect.Env) (connect.Connector, error) {
	raw := strings.TrimSpace(cfg.URL)
	if raw == "" {
		return nil, errors.New("url is required for a webhook connector: the address Tower posts changes to, such as https://hooks.example.com/tower")
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("url: %q is not an http or https address", redact(raw))
	}
	secret, err := cfg.Secret(env)
	if err != nil {
		return nil, err
	}
	batch := DefaultBatch
	if cfg.BatchSize > 0 {
		batch = min(cfg.BatchSize, MaxBatchSize)
	}
	return &Connector{cfg: cfg, env: env, secret: secret, url: raw, where: u.Scheme + "://" + u.Host + u.Path, batch: batch}, nil
}

// redact keeps what a URL says about where it points, dropping a user,
// password or query that may carry a credential.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unreadable address)"
	}
	return u.Scheme + "://" + u.Host + u.Path
}

// Describe says what this connector does: every operation, no pull.
func (c *Connector) Describe() connect.Description {
	return connect.Description{Name: c.cfg.Name, Kind: Kind, System: c.cfg.System,
		Ops:  []connect.Op{connect.OpSuppress, connect.OpUnsuppress, connect.OpMerge, connect.OpUnmerge, connect.OpUpdateField},
		Pull: false, MaxBatch: c.batch}
}
