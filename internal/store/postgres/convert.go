package postgres

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/towerops/tower/internal/foundation"
)

// Conversions between foundation values and column values. The rules are
// the schema's: a zero time.Time is NULL, dates are UTC calendar days,
// empty traits are '{}' and read back as nil, empty references are NULL.

func dateParam(t time.Time) pgtype.Date {
	if t.IsZero() {
		return pgtype.Date{}
	}
	u := t.UTC()
	return pgtype.Date{Time: time.Date(u.Year(), u.Month(), u.Day(), 0, 0, 0, 0, time.UTC), Valid: true}
}

func timeParam(t time.Time) pgtype.Timestamptz {
	if t.IsZero() {
		return pgtype.Timestamptz{}
	}
	return pgtype.Timestamptz{Time: t.UTC(), Valid: true}
}

// timeOf reads a nullable timestamptz or date scanned into a *time.Time.
func timeOf(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

func traitsParam(t foundation.Traits) (string, error) {
	if len(t) == 0 {
		return "{}", nil
	}
	b, err := json.Marshal(t)
	if err != nil {
		return "", fmt.Errorf("traits are not valid JSON: %w", err)
	}
	return string(b), nil
}

func traitsOf(b []byte) (foundation.Traits, error) {
	if len(b) == 0 || string(b) == "{}" || string(b) == "null" {
		return nil, nil
	}
	var t foundation.Traits
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("read traits: %w", err)
	}
	return t, nil
}

// rawParam passes raw JSON through; nil (or empty) is NULL.
func rawParam(r json.RawMessage) *string {
	if len(bytes.TrimSpace(r)) == 0 {
		return nil
	}
	s := string(r)
	return &s
}

// rawOf returns stored JSON compacted: jsonb prints with spaces after ':'
// and ',', which callers comparing with what they sent do not expect.
func rawOf(b []byte) json.RawMessage {
	if b == nil {
		return nil
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return json.RawMessage(b)
	}
	return json.RawMessage(buf.Bytes())
}

// likeContains builds an ILIKE pattern matching s anywhere, with the
// pattern characters in s taken literally.
func likeContains(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}
