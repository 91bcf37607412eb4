package collect

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/towerops/tower/internal/store"
)

// maxCachedKeys bounds the key cache: a client trying random keys fills
// it with unknown ones, and memory must not grow with that.
const maxCachedKeys = 10_000

// usedEvery is how often a source's last use is written: "last used" is
// for people deciding whether a source is still alive, and a write per
// request would compete with the events for the database.
const usedEvery = time.Minute

// errNoKey and errUnknownKey are why a request is not authenticated.
var (
	errNoKey      = errors.New("no write key")
	errUnknownKey = errors.New("unknown write key")
	errRevokedKey = errors.New("revoked write key")
)

// headerKey reads the write key from the Authorization header: HTTP Basic
// with the key as user name (what the Segment and RudderStack SDKs send;
// the password is ignored) or Bearer. "" when the header is absent.
func headerKey(r *http.Request) (string, *failure) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", nil
	}
	if user, _, ok := r.BasicAuth(); ok {
		if user = strings.TrimSpace(user); user != "" {
			return user, nil
		}
		return "", unauthorized("the Authorization header has an empty user name; send the write key as the user name of HTTP Basic auth, with an empty password")
	}
	scheme, rest, _ := strings.Cut(h, " ")
	if strings.EqualFold(scheme, "Bearer") && strings.TrimSpace(rest) != "" {
		return strings.TrimSpace(rest), nil
	}
	return "", unauthorized("the Authorization header is neither HTTP Basic (the write key as user name) nor Bearer with the write key")
}

func unauthorized(msg string) *failure {
	return &failure{status: http.StatusUnauthorized, code: "unauthorized", message: msg}
}

// keyCache remembers which source a write key belongs to, by the key's
// hash (the key itself is never kept), and when each source's use was last
// recorded.
type keyCache struct {
	st  store.Store
	ttl time.Duration
	log *slog.Logger
	now func() time.Time

	mu   sync.Mutex
	keys map[[32]byte]keyEntry
	used map[string]time.Time // source id → when SourceUsed was last called

	bg sync.WaitGroup // SourceUsed writes in flight
}

type keyEntry struct {
	source string // "" for an unknown key
	err    error  // errUnknownKey or errRevokedKey, or nil
	until  time.Time
}

func newKeyCache(st store.Store, ttl time.Duration, log *slog.Logger, now func() time.Time) *keyCache {
	return &keyCache{st: st, ttl: ttl, log: log, now: now, keys: map[[32]byte]keyEntry{}, used: map[string]time.Time{}}
}

// source returns the id of the active source whose write key is key, or
// errUnknownKey / errRevokedKey, or the store's error.
func (kc *keyCache) source(ctx context.Context, key string) (string, error) {
	var h [32]byte
	copy(h[:], HashKey(key))
	now := kc.now()
	if kc.ttl > 0 {
		kc.mu.Lock()
		e, ok := kc.keys[h]
		kc.mu.Unlock()
		if ok && now.Before(e.until) {
			kc.noteUse(e.source, now)
			return e.source, e.err
		}
	}
	src, err := kc.st.SourceGet(ctx, &store.SourceGetParams{KeyHash: h[:]})
	var e keyEntry
	switch {
	case errors.Is(err, store.ErrNotFound):
		e.err = errUnknownKey
	case err != nil:
		return "", fmt.Errorf("checking a write key: %w", err)
	case !src.RevokedAt.IsZero():
		e.err = errRevokedKey
	default:
		e.source = src.ID
	}
	if kc.ttl > 0 {
		e.until = now.Add(kc.ttl)
		kc.mu.Lock()
		if len(kc.keys) >= maxCachedKeys {
			kc.sweep(now)
		}
		kc.keys[h] = e
		kc.mu.Unlock()
	}
	kc.noteUse(e.source, now)
	return e.source, e.err
}

// sweep drops expired entries, and everything when that is not enough.
// Called with mu held.
func (kc *keyCache) sweep(now time.Time) {
	for h, e := range kc.keys {
		if !now.Before(e.until) {
			delete(kc.keys, h)
		}
	}
	if len(kc.keys) >= maxCachedKeys {
		clear(kc.keys)
	}
}

// noteUse records that a source sent, at most once a minute per source and
// never on the request's path: the write happens in the background.
func (kc *keyCache) noteUse(source string, now time.Time) {
	if source == "" {
		return
	}
	kc.mu.Lock()
	last, ok := kc.used[source]
	due := !ok || now.Sub(last) >= usedEvery
	if due {
		kc.used[source] = now
	}
	kc.mu.Unlock()
	if !due {
		return
	}
	kc.bg.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		at := now.UTC().Truncate(time.Second)
		if err := kc.st.SourceUsed(ctx, &store.SourceUsedParams{ID: source, At: at}); err != nil {
			kc.log.WarnContext(ctx, "recording when a source last sent failed", "source", source, "err", err)
		}
	})
}

// wait returns when no SourceUsed write is in flight.
func (kc *keyCache) wait() { kc.bg.Wait() }
