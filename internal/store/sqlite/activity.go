package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/store"
)

// LastActivity returns the latest event time of each person with events
// (at or before Until when set). One correlated max() per person lets
// SQLite answer each from the end of its range in events_person_timestamp
// (one index seek) instead of reading all of a person's events.
func (q *queries) LastActivity(ctx context.Context, p *store.LastActivityParams) (map[int64]time.Time, error) {
	out := make(map[int64]time.Time, len(p.PersonIDs))
	query := `SELECT p.value, (SELECT max(timestamp) FROM events WHERE person_id = p.value) FROM (%s) p`
	var prefix []any
	if !p.Until.IsZero() {
		query = `SELECT p.value, (SELECT max(timestamp) FROM events WHERE person_id = p.value AND timestamp <= ?)
			FROM (%s) p`
		prefix = []any{encTime(p.Until)}
	}
	err := lookup(ctx, q.read, query, p.PersonIDs, prefix, func(r *sql.Rows) error {
		var id int64
		var ts sql.NullString
		if err := r.Scan(&id, &ts); err != nil {
			return err
		}
		if !ts.Valid {
			return nil
		}
		t, err := decTime(ts)
		if err != nil {
			return err
		}
		out[id] = t
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("last activity: %w", err)
	}
	return out, nil
}
