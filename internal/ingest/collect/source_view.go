package collect

import (
	"time"

	"github.com/towerops/tower/internal/store"
)

// SourceInfo is a source as the CLI and the API show it: never the key's
// hash, and the key itself only once, when it is created.
type SourceInfo struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	KeyHint    string     `json:"key_hint" doc:"The first characters of the write key, to tell keys apart."`
	Status     string     `json:"status" enum:"active,revoked"`
	CreatedBy  string     `json:"created_by"`
	CreatedAt  time.Time  `json:"created_at"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty" doc:"When it last sent events (to within a minute or so)."`
}

// SourceInfoOf is the view of s.
func SourceInfoOf(s store.Source) SourceInfo {
	out := SourceInfo{ID: s.ID, Name: s.Name, KeyHint: s.KeyHint, Status: "active", CreatedBy: s.CreatedBy, CreatedAt: s.CreatedAt}
	if !s.RevokedAt.IsZero() {
		out.Status, out.RevokedAt = "revoked", &s.RevokedAt
	}
	if !s.LastUsedAt.IsZero() {
		out.LastUsedAt = &s.LastUsedAt
	}
	return out
}
