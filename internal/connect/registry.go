package connect

import (
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sync"
)

// Env is what a connector gets from the process that opens it, besides
// its configuration.
type Env struct {
	// HTTP is the client for remote calls; nil means a client with the
	// configured timeout.
	HTTP  *http.Client
	Clock Clock // nil means SystemClock
	// Getenv reads a secret's environment variable; nil means os.Getenv.
	Getenv func(string) string
	Log    *slog.Logger // nil means slog.Default()
}

// Opener builds a connector of one kind from its configuration.
type Opener func(cfg Config, env Env) (Connector, error)

var (
	mu      sync.RWMutex
	openers = map[string]Opener{}
)

// Register makes kind available to Open. Connector packages call it in
// init; registering one kind twice is a programming error and panics.
func Register(kind string, open Opener) {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := openers[kind]; dup {
		panic(fmt.Sprintf("connect: kind %q registered twice", kind))
	}
	openers[kind] = open
}

// Kinds lists the registered kinds, sorted.
func Kinds() []string {
	mu.RLock()
	defer mu.RUnlock()
	var out []string
	for k := range openers {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Open builds the connector cfg describes.
func Open(cfg Config, env Env) (Connector, error) {
	mu.RLock()
	open, ok := openers[cfg.Kind]
	mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("%s: kind %q is not a connector Tower knows (known: %v)", cfg.File, cfg.Kind, Kinds())
	}
	env = env.withDefaults(cfg)
	c, err := open(cfg, env)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cfg.File, err)
	}
	return c, nil
}
