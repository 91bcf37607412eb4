package sqlite

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/foundation"
)

// timeFormat is fixed width, so text order is time order.
const (
	timeFormat = "2006-01-02T15:04:05.000000Z"
	dateFormat = "2006-01-02"
)

// ErrBadJSON is returned when a batch carries event JSON that does not parse.
var ErrBadJSON = errors.New("not valid JSON")

// encTime stores t in UTC at microsecond precision; zero is NULL.
func encTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(timeFormat)
}

// encDate stores the calendar date t names; zero is NULL.
func encDate(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format(dateFormat)
}

func decTime(s sql.NullString) (time.Time, error) {
	if !s.Valid || s.String == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s.String)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s.String, err)
	}
	return t.UTC(), nil
}

func decDate(s sql.NullString) (time.Time, error) {
	if !s.Valid || s.String == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(dateFormat, s.String)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored date %q: %w", s.String, err)
	}
	return t, nil
}

// encTraits stores traits as a JSON object; empty is NULL.
func encTraits(tr foundation.Traits) (any, error) {
	if len(tr) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(tr)
	if err != nil {
		return nil, fmt.Errorf("traits: %w", err)
	}
	return string(b), nil
}

func decTraits(s sql.NullString) (foundation.Traits, error) {
	if !s.Valid || s.String == "" {
		return nil, nil
	}
	var tr foundation.Traits
	if err := json.Unmarshal([]byte(s.String), &tr); err != nil {
		return nil, fmt.Errorf("stored traits: %w", err)
	}
	return tr, nil
}

// encJSON stores raw JSON as sent; empty is NULL.
func encJSON(field string, raw json.RawMessage) (any, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil, nil
	}
	if !json.Valid(raw) {
		return nil, fmt.Errorf("%s: %w", field, ErrBadJSON)
	}
	return string(raw), nil
}

func decJSON(s sql.NullString) json.RawMessage {
	if !s.Valid || s.String == "" {
		return nil
	}
	return json.RawMessage(s.String)
}

// nullStr stores "" as NULL, for columns with a foreign key.
func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nullID stores 0 as NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
