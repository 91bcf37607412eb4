package audit

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/store"
)

// Entry is what a caller records; the store assigns Seq and the hashes.
type Entry struct {
	Actor   string // "user:NAME", "token:ID", "agent:NAME", "system"
	Action  string // e.g. "proposal.created"
	Subject string // e.g. "proposal:p_…"
	Data    any    // marshalled to JSON; nil for none
	At      time.Time
}

// Append records entries through q, normally inside the InTx that makes
// the change they describe.
func Append(ctx context.Context, q store.Queries, entries ...Entry) error {
	if len(entries) == 0 {
		return nil
	}
	rows := make([]store.AuditEntry, len(entries))
	for i, e := range entries {
		data := []byte("null")
		if e.Data != nil {
			b, err := json.Marshal(e.Data)
			if err != nil {
				return fmt.Errorf("audit %s: %w", e.Action, err)
			}
			data = b
		}
		at := e.At
		if at.IsZero() {
			at = time.Now()
		}
		rows[i] = store.AuditEntry{At: at.UTC().Truncate(time.Microsecond), Actor: e.Actor,
			Action: e.Action, Subject: e.Subject, Data: data}
	}
	if _, err := q.AuditAppend(ctx, &store.AuditAppendParams{Entries: rows, Hash: Hash}); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// Hash is the chain function: SHA-256 over the previous hash and the
// entry's fields, each length-prefixed so no two different entries can
// hash the same bytes.
func Hash(prev []byte, e store.AuditEntry) []byte {
	h := sha256.New()
	field := func(b []byte) {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	field(prev)
	var seq [8]byte
	binary.BigEndian.PutUint64(seq[:], uint64(e.Seq))
	field(seq[:])
	field([]byte(e.At.UTC().Format(time.RFC3339Nano)))
	field([]byte(e.Actor))
	field([]byte(e.Action))
	field([]byte(e.Subject))
	field(e.Data)
	return h.Sum(nil)
}
