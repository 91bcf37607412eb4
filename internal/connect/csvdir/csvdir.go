package csvdir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/towerops/tower/internal/connect"
)

// Kind is the name this connector registers under.
const Kind = "csvdir"

// File names in the folder.
const (
	PeopleFile  = "people.csv"
	ConsentFile = "consent.csv"
	MergesFile  = "merges.csv"
)

// PageSize is how many records or facts one pull page holds.
const PageSize = 1000

// DefaultBatch is how many changes one push takes: each push reads the
// files once and writes each at most once, so larger is cheaper.
const DefaultBatch = 500

func init() { connect.Register(Kind, open) }

var _ connect.Connector = (*Connector)(nil)

// Connector is one configured folder.
type Connector struct {
	cfg   connect.Config
	env   connect.Env
	dir   string
	batch int
	mu    sync.Mutex // one push at a time in this process
}

// Dir resolves cfg.Dir: a relative folder is taken from the workspace —
// the folder that holds the connectors/ folder cfg.File is in.
func Dir(cfg connect.Config) (string, error) {
	d := strings.TrimSpace(cfg.Dir)
	if d == "" {
		return "", errors.New("dir is required for a csvdir connector: the folder holding people.csv and consent.csv")
	}
	if filepath.IsAbs(d) {
		return filepath.Clean(d), nil
	}
	base := "."
	if cfg.File != "" {
		base = filepath.Dir(filepath.Dir(cfg.File))
	}
	return filepath.Join(base, d), nil
}

func open(cfg connect.Config, env connect.Env) (connect.Connector, error) {
	dir, err := Dir(cfg)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, fmt.Errorf("dir: the folder %s does not exist", dir)
	case err != nil:
		return nil, fmt.Errorf("dir: %w", err)
	case !st.IsDir():
		return nil, fmt.Errorf("dir: %s is a file, not a folder", dir)
	}
	batch := DefaultBatch
	if cfg.BatchSize > 0 {
		batch = cfg.BatchSize
	}
	return &Connector{cfg: cfg, env: env, dir: dir, batch: batch}, nil
}

// Describe says what this connector does.
func (c *Connector) Describe() connect.Description {
	return connect.Description{Name: c.cfg.Name, Kind: Kind, System: c.cfg.System,
		Ops:  []connect.Op{connect.OpSuppress, connect.OpUnsuppress, connect.OpMerge, connect.OpUpdateField},
		Pull: true, MaxBatch: c.batch}
}

func (c *Connector) path(name string) string { return filepath.Join(c.dir, name) }
