package store

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Opener opens a Store for a database URL its backend claims.
type Opener func(ctx context.Context, url string) (Store, error)

var (
	registryMu sync.RWMutex
	registry   = map[string]Opener{}
)

// Register makes a backend available to Open for URLs starting with
// scheme + ":" (for example "sqlite" or "postgres"). Backends call it from
// init. Registering a scheme twice panics: that is a programming error.
func Register(scheme string, open Opener) {
	registryMu.Lock()
	defer registryMu.Unlock()
	if _, dup := registry[scheme]; dup {
		panic("store: backend registered twice: " + scheme)
	}
	registry[scheme] = open
}

// Open opens the database named by url, choosing the backend by its scheme.
// It does not run migrations; call MigrateUp.
func Open(ctx context.Context, url string) (Store, error) {
	scheme, _, ok := strings.Cut(url, ":")
	registryMu.RLock()
	open := registry[scheme]
	registryMu.RUnlock()
	if !ok || open == nil {
		return nil, fmt.Errorf("%w %q: use sqlite:PATH or postgres://USER@HOST:PORT/DB (known: %s)",
			ErrUnknownBackend, redact(url), strings.Join(schemes(), ", "))
	}
	return open(ctx, url)
}

func schemes() []string {
	registryMu.RLock()
	defer registryMu.RUnlock()
	out := make([]string, 0, len(registry))
	for s := range registry {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// redact hides a password in a URL so it is never printed or logged.
func redact(url string) string {
	at := strings.LastIndex(url, "@")
	scheme := strings.Index(url, "://")
	if at < 0 || scheme < 0 || at < scheme {
		return url
	}
	creds := url[scheme+3 : at]
	if user, _, ok := strings.Cut(creds, ":"); ok {
		return url[:scheme+3] + user + ":xxxxx" + url[at:]
	}
	return url
}

// Redact returns url with any password replaced, for messages and logs.
func Redact(url string) string { return redact(url) }
