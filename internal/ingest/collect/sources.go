package collect

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/store"
)

// KeyPrefix starts every write key, so people and secret scanners can
// tell a Tower write key from an API token (tower_…).
const KeyPrefix = "twk_"

// ErrBadSourceName is returned for a name people could not type or read.
var ErrBadSourceName = errors.New("a source name is 1 to 64 letters, digits, dots, dashes or underscores, like website or ios-app")

var keyEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// HashKey is what is stored for a write key.
func HashKey(key string) []byte {
	h := sha256.Sum256([]byte(key))
	return h[:]
}

// sourceView is a source as recorded in the audit log: never the key.
type sourceView struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	KeyHint string `json:"key_hint"`
}

// CreateSource makes a source with a new write key and returns the key —
// the only time it exists outside the client that will send with it —
// with the stored source, written together with its audit entry.
func CreateSource(ctx context.Context, st store.Store, actor, name string) (string, store.Source, error) {
	if !validSourceName(name) {
		return "", store.Source{}, fmt.Errorf("source %q: %w", name, ErrBadSourceName)
	}
	var kb [32]byte
	var ib [10]byte
	if _, err := rand.Read(kb[:]); err != nil {
		return "", store.Source{}, fmt.Errorf("generating a write key: %w", err)
	}
	if _, err := rand.Read(ib[:]); err != nil {
		return "", store.Source{}, fmt.Errorf("generating a source id: %w", err)
	}
	key := KeyPrefix + strings.ToLower(keyEncoding.EncodeToString(kb[:]))
	now := time.Now().UTC().Truncate(time.Microsecond)
	src := store.Source{
		ID: "src_" + strings.ToLower(keyEncoding.EncodeToString(ib[:])), Name: name,
		KeyHash: HashKey(key), KeyHint: key[:len(KeyPrefix)+6] + "…", CreatedBy: actor, CreatedAt: now,
	}
	err := st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		if err := q.SourcesInsert(ctx, &store.SourcesInsertParams{Sources: []store.Source{src}}); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return fmt.Errorf("a source named %s already exists; revoke it first or choose another name: %w", name, err)
			}
			return err
		}
		return audit.Append(ctx, q, audit.Entry{Actor: actor, Action: "source.created", Subject: "source:" + src.ID,
			Data: sourceView{ID: src.ID, Name: src.Name, KeyHint: src.KeyHint}, At: now})
	})
	if err != nil {
		return "", store.Source{}, fmt.Errorf("creating source %s: %w", name, err)
	}
	return key, src, nil
}

// RevokeSource stops a source's write key for good (by id or name), with
// its audit entry. Revoking a revoked source changes nothing.
func RevokeSource(ctx context.Context, st store.Store, actor, idOrName string) (store.Source, error) {
	var src store.Source
	err := st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		p := &store.SourceGetParams{Name: idOrName}
		if strings.HasPrefix(idOrName, "src_") {
			p = &store.SourceGetParams{ID: idOrName}
		}
		s, err := q.SourceGet(ctx, p)
		if err != nil {
			return err
		}
		src = *s
		if !s.RevokedAt.IsZero() {
			return nil
		}
		now := time.Now().UTC().Truncate(time.Microsecond)
		if err := q.SourceRevoke(ctx, &store.SourceRevokeParams{ID: s.ID, At: now}); err != nil {
			return err
		}
		src.RevokedAt = now
		return audit.Append(ctx, q, audit.Entry{Actor: actor, Action: "source.revoked", Subject: "source:" + s.ID,
			Data: sourceView{ID: s.ID, Name: s.Name, KeyHint: s.KeyHint}, At: now})
	})
	if err != nil {
		return store.Source{}, fmt.Errorf("revoking source %s: %w", idOrName, err)
	}
	return src, nil
}

func validSourceName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}
