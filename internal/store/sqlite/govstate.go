package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/store"
)

const trackCols = "agent, kind, level, streak, last_undo_at, changed_at, reason, updated_at"

func scanTrack(r interface{ Scan(...any) error }) (store.AutonomyTrack, error) {
	var t store.AutonomyTrack
	var undo, changed, updated sql.NullString
	if err := r.Scan(&t.Agent, &t.Kind, &t.Level, &t.Streak, &undo, &changed, &t.Reason, &updated); err != nil {
		return t, err
	}
	var err error
	if t.LastUndoAt, err = decTime(undo); err != nil {
		return t, err
	}
	if t.ChangedAt, err = decTime(changed); err != nil {
		return t, err
	}
	t.UpdatedAt, err = decTime(updated)
	return t, err
}

// AutonomyTracksList returns the tracks of p.Agents (every track when
// nil), by agent then kind. The names travel as one JSON array, so a
// decision for a batch of thousands of agents is one query.
func (q *queries) AutonomyTracksList(ctx context.Context, p *store.AutonomyTracksListParams) ([]store.AutonomyTrack, error) {
	query, args := `SELECT `+trackCols+` FROM autonomy_tracks ORDER BY agent, kind`, []any(nil)
	if p.Agents != nil {
		if len(p.Agents) == 0 {
			return nil, nil
		}
		set, err := json.Marshal(p.Agents)
		if err != nil {
			return nil, err
		}
		query = `SELECT ` + trackCols + ` FROM autonomy_tracks WHERE agent IN (SELECT value FROM json_each(?)) ORDER BY agent, kind`
		args = []any{string(set)}
	}
	out, err := list(ctx, q.read, func(r *sql.Rows) (store.AutonomyTrack, error) { return scanTrack(r) }, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list autonomy tracks: %w", err)
	}
	return out, nil
}

// AutonomyTrackPut writes one track on (agent, kind). A zero UpdatedAt
// is now.
func (q *queries) AutonomyTrackPut(ctx context.Context, p *store.AutonomyTrackPutParams) error {
	t := p.Track
	if t.Agent == "" || t.Kind == "" {
		return errors.New("save autonomy track: it needs an agent and an action kind")
	}
	err := q.writeTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO autonomy_tracks (`+trackCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (agent, kind) DO UPDATE SET level = excluded.level, streak = excluded.streak,
			  last_undo_at = excluded.last_undo_at, changed_at = excluded.changed_at, reason = excluded.reason,
			  updated_at = excluded.updated_at`,
			t.Agent, t.Kind, t.Level, t.Streak, encTime(t.LastUndoAt), encTime(t.ChangedAt), t.Reason,
			encTime(orNow(t.UpdatedAt, time.Now())))
		return err
	})
	if err != nil {
		return fmt.Errorf("save autonomy track %s/%s: %w", t.Agent, t.Kind, err)
	}
	return nil
}

// changingStatuses are the statuses of proposals that were allowed to
// change something; caps count their blast radius.
const changingStatuses = "status IN ('allowed', 'approved', 'executing', 'executed', 'failed')"

// agentChangesByAgent sums blast radius for a JSON array of agents.
// INDEXED BY: left to itself SQLite picks proposals_status and walks every
// proposal of the day, so a fleet run asking batch after batch grew
// quadratic; the covering index answers each agent with one range.
const agentChangesByAgent = `SELECT agent, sum(blast_radius) FROM proposals INDEXED BY proposals_agent_changes
	WHERE agent IN (SELECT value FROM json_each(?)) AND created_at >= ? AND ` + changingStatuses + ` GROUP BY agent`

// AgentChanges sums the blast radius of each agent's changing proposals
// since p.Since. The proposals_agent_changes index covers the query, so
// it reads no proposal body.
func (q *queries) AgentChanges(ctx context.Context, p *store.AgentChangesParams) (map[string]int, error) {
	query := `SELECT agent, sum(blast_radius) FROM proposals WHERE created_at >= ? AND ` + changingStatuses + ` GROUP BY agent`
	args := []any{encTime(p.Since)}
	if p.Since.IsZero() {
		args[0] = ""
	}
	if p.Agents != nil {
		if len(p.Agents) == 0 {
			return map[string]int{}, nil
		}
		set, err := json.Marshal(p.Agents)
		if err != nil {
			return nil, err
		}
		query = agentChangesByAgent
		args = []any{string(set), args[0]}
	}
	return q.countBy(ctx, "count what agents changed", query, args...)
}

// RecordsPerSystem counts records per system, walking the (system,
// system_id) key.
func (q *queries) RecordsPerSystem(ctx context.Context) (map[string]int, error) {
	return q.countBy(ctx, "count records per system", `SELECT system, count(*) FROM records GROUP BY system`)
}

// countBy runs a query of (name, count) rows into a map; names with a
// zero sum are left out.
func (q *queries) countBy(ctx context.Context, what, query string, args ...any) (map[string]int, error) {
	rows, err := q.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		if n != 0 {
			out[k] = n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// SettingGet returns a setting, or ErrNotFound for a key never set.
func (q *queries) SettingGet(ctx context.Context, p *store.SettingGetParams) (*store.Setting, error) {
	s := store.Setting{Key: p.Key}
	var value string
	var updated sql.NullString
	err := q.read.QueryRowContext(ctx, `SELECT value, updated_by, updated_at FROM settings WHERE key = ?`, p.Key).
		Scan(&value, &s.UpdatedBy, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("setting %s: %w", p.Key, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("setting %s: %w", p.Key, err)
	}
	s.Value = json.RawMessage(value)
	if s.UpdatedAt, err = decTime(updated); err != nil {
		return nil, fmt.Errorf("setting %s: %w", p.Key, err)
	}
	return &s, nil
}

// SettingSet writes a setting on its key. The value must be JSON; it is
// read back as JSON of the same meaning (PostgreSQL keeps jsonb, which
// may reorder keys), never byte for byte.
func (q *queries) SettingSet(ctx context.Context, p *store.SettingSetParams) error {
	if p.Key == "" || !json.Valid(p.Value) {
		return fmt.Errorf("save setting %q: it needs a key and a JSON value", p.Key)
	}
	err := q.writeTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value, updated_by, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by,
			  updated_at = excluded.updated_at`,
			p.Key, string(p.Value), p.By, encTime(orNow(p.At, time.Now())))
		return err
	})
	if err != nil {
		return fmt.Errorf("save setting %s: %w", p.Key, err)
	}
	return nil
}
