package mautic

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/towerops/tower/internal/connect"
)

// Kind is the name this connector registers under.
const Kind = "mautic"

// MaxBatch is Mautic's default api_batch_max_limit: the most contacts one
// batch call may carry. A config's batch_size may lower it, never raise it.
const MaxBatch = 200

// PageSize is how many contacts one pull page asks for.
const PageSize = 100

// pullAttempts is how often one page is tried before a pull gives up.
const pullAttempts = 8

func init() { connect.Register(Kind, open) }

var _ connect.Connector = (*Connector)(nil)

// Connector is one configured Mautic.
type Connector struct {
	cfg     connect.Config
	env     connect.Env
	client  *connect.Client
	batch   int
	backoff connect.Backoff
}

func open(cfg connect.Config, env connect.Env) (connect.Connector, error) {
	if strings.TrimSpace(cfg.URL) == "" {
		return nil, errors.New("url is required for a mautic connector: the address of your Mautic, such as https://mautic.example.com")
	}
	user, err := cfg.User(env)
	if err != nil {
		return nil, err
	}
	pass, err := cfg.Secret(env)
	if err != nil {
		return nil, err
	}
	batch := MaxBatch
	if cfg.BatchSize > 0 && cfg.BatchSize < batch {
		batch = cfg.BatchSize
	}
	base := strings.TrimRight(strings.TrimSpace(cfg.URL), "/")
	base = strings.TrimSuffix(base, "/api")
	c := &Connector{cfg: cfg, env: env, batch: batch,
		backoff: connect.Backoff{Base: 2 * time.Second, Max: 2 * time.Minute}}
	c.client = &connect.Client{HTTP: env.HTTP, Base: base,
		Auth:   func(r *http.Request) { r.SetBasicAuth(user, pass) },
		Header: http.Header{"User-Agent": {"Tower"}}}
	return c, nil
}

// Describe says what this connector does.
func (c *Connector) Describe() connect.Description {
	return connect.Description{Name: c.cfg.Name, Kind: Kind, System: c.cfg.System,
		Ops:  []connect.Op{connect.OpSuppress, connect.OpUnsuppress, connect.OpUpdateField},
		Pull: true, MaxBatch: c.batch}
}
