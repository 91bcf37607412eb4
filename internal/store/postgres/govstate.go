package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/towerops/tower/internal/store"
)

const trackCols = "agent, kind, level, streak, last_undo_at, changed_at, reason, updated_at"

func scanTrack(r pgx.CollectableRow) (store.AutonomyTrack, error) {
	var t store.AutonomyTrack
	var undo, changed *time.Time
	if err := r.Scan(&t.Agent, &t.Kind, &t.Level, &t.Streak, &undo, &changed, &t.Reason, &t.UpdatedAt); err != nil {
		return t, err
	}
	t.LastUndoAt, t.ChangedAt, t.UpdatedAt = timeOf(undo), timeOf(changed), t.UpdatedAt.UTC()
	return t, nil
}

// AutonomyTracksList returns the tracks of p.Agents (every track when
// nil), by agent then kind, in one query however many agents.
func (q *queries) AutonomyTracksList(ctx context.Context, p *store.AutonomyTracksListParams) ([]store.AutonomyTrack, error) {
	query, args := `SELECT `+trackCols+` FROM autonomy_tracks ORDER BY agent, kind`, []any(nil)
	if p.Agents != nil {
		if len(p.Agents) == 0 {
			return nil, nil
		}
		query = `SELECT ` + trackCols + ` FROM autonomy_tracks WHERE agent = ANY($1::text[]) ORDER BY agent, kind`
		args = []any{p.Agents}
	}
	out, err := collect(ctx, q.db, "list autonomy tracks", query, args, scanTrack)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// AutonomyTrackPut writes one track on (agent, kind). A zero UpdatedAt
// is now.
func (q *queries) AutonomyTrackPut(ctx context.Context, p *store.AutonomyTrackPutParams) error {
	t := p.Track
	if t.Agent == "" || t.Kind == "" {
		return errors.New("postgres: save autonomy track: it needs an agent and an action kind")
	}
	return q.runtimeTx(ctx, "save autonomy track "+t.Agent+"/"+t.Kind, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO autonomy_tracks (`+trackCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (agent, kind) DO UPDATE SET level = excluded.level, streak = excluded.streak,
			  last_undo_at = excluded.last_undo_at, changed_at = excluded.changed_at, reason = excluded.reason,
			  updated_at = excluded.updated_at`,
			t.Agent, t.Kind, t.Level, t.Streak, timeParam(µs(t.LastUndoAt)), timeParam(µs(t.ChangedAt)), t.Reason,
			timeParam(µs(orNow(t.UpdatedAt, time.Now()))))
		return err
	})
}

// changingStatuses are the statuses of proposals that were allowed to
// change something; caps count their blast radius.
const changingStatuses = "status IN ('allowed', 'approved', 'executing', 'executed', 'failed')"

// AgentChanges sums the blast radius of each agent's changing proposals
// since p.Since, from the proposals_agent_changes index alone.
func (q *queries) AgentChanges(ctx context.Context, p *store.AgentChangesParams) (map[string]int, error) {
	query := `SELECT agent, sum(blast_radius) FROM proposals WHERE created_at >= $1 AND ` + changingStatuses + ` GROUP BY agent`
	args := []any{timeParam(p.Since)}
	if p.Since.IsZero() {
		query = `SELECT agent, sum(blast_radius) FROM proposals WHERE ` + changingStatuses + ` GROUP BY agent`
		args = nil
	}
	if p.Agents != nil {
		if len(p.Agents) == 0 {
			return map[string]int{}, nil
		}
		query = `SELECT agent, sum(blast_radius) FROM proposals WHERE agent = ANY($1::text[])
			AND created_at >= $2 AND ` + changingStatuses + ` GROUP BY agent`
		since := timeParam(p.Since)
		if p.Since.IsZero() {
			since = timeParam(time.Unix(0, 0))
		}
		args = []any{p.Agents, since}
	}
	return q.countBy(ctx, "count what agents changed", query, args...)
}

// RecordsPerSystem counts records per system.
func (q *queries) RecordsPerSystem(ctx context.Context) (map[string]int, error) {
	return q.countBy(ctx, "count records per system", `SELECT system, count(*) FROM records GROUP BY system`)
}

// countBy runs a query of (name, number) rows into a map; names with a
// zero sum are left out.
func (q *queries) countBy(ctx context.Context, what, query string, args ...any) (map[string]int, error) {
	rows, err := q.db.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", what, err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int64
		if err := rows.Scan(&k, &n); err != nil {
			return nil, fmt.Errorf("postgres: %s: %w", what, err)
		}
		if n != 0 {
			out[k] = int(n)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", what, err)
	}
	return out, nil
}

// SettingGet returns a setting, or ErrNotFound for a key never set.
func (q *queries) SettingGet(ctx context.Context, p *store.SettingGetParams) (*store.Setting, error) {
	s := store.Setting{Key: p.Key}
	var value []byte
	err := q.db.QueryRow(ctx, `SELECT value, updated_by, updated_at FROM settings WHERE key = $1`, p.Key).
		Scan(&value, &s.UpdatedBy, &s.UpdatedAt)
	if err != nil {
		return nil, notFound(err, "setting "+p.Key)
	}
	s.Value, s.UpdatedAt = json.RawMessage(value), s.UpdatedAt.UTC()
	return &s, nil
}

// SettingSet writes a setting on its key. The value must be JSON; jsonb
// keeps its meaning, not its bytes (keys may come back reordered).
func (q *queries) SettingSet(ctx context.Context, p *store.SettingSetParams) error {
	if p.Key == "" || !json.Valid(p.Value) {
		return fmt.Errorf("postgres: save setting %q: it needs a key and a JSON value", p.Key)
	}
	return q.runtimeTx(ctx, "save setting "+p.Key, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO settings (key, value, updated_by, updated_at) VALUES ($1, $2::text::jsonb, $3, $4)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by,
			  updated_at = excluded.updated_at`,
			p.Key, string(p.Value), p.By, timeParam(µs(orNow(p.At, time.Now()))))
		return err
	})
}
