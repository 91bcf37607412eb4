package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/segment"
	"github.com/towerops/tower/internal/store"
)

// SegmentRefresh recomputes a segment's members inside one write
// transaction: the rule runs as one INSERT … SELECT into a temporary
// table, and the members table is brought to it with one DELETE and one
// INSERT, so only the difference is written.
func (q *queries) SegmentRefresh(ctx context.Context, p *store.SegmentRefreshParams) (*store.SegmentRefreshResult, error) {
	start := time.Now()
	now := nowOr(p.Now)
	res := &store.SegmentRefreshResult{Full: p.Full}
	err := q.writeTx(ctx, func(tx *sql.Tx) error {
		seg, err := segmentGet(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		c, err := segment.Compile(seg.Rule, segmentDialect, now, 0)
		if err != nil {
			return fmt.Errorf("segment %s: %w", seg.ID, err)
		}
		// SQLite has one writer at a time and this transaction is it, so
		// no person can change between now and the commit: the clock is
		// an exact mark, and it spares a scan of every person.
		var eventsMark int64
		peopleMark := encTime(time.Now())
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(max(id), 0) FROM events").Scan(&eventsMark); err != nil {
			return err
		}
		switch {
		case res.Full:
		case seg.RefreshedAt.IsZero():
			res.Full, res.Why = true, "it had never been computed"
		case seg.RefreshedRule != seg.Rule:
			res.Full, res.Why = true, "its rule changed since the last refresh"
		case c.GrowsWithTime:
			res.Full, res.Why = true, "its rule can gain members just from time passing"
		}
		for _, s := range []string{
			"CREATE TEMP TABLE IF NOT EXISTS segment_new (person_id INTEGER PRIMARY KEY)",
			"CREATE TEMP TABLE IF NOT EXISTS segment_touched (person_id INTEGER PRIMARY KEY)",
			"DELETE FROM segment_new", "DELETE FROM segment_touched",
		} {
			if _, err := tx.ExecContext(ctx, s); err != nil {
				return err
			}
		}
		scope := ""
		if !res.Full {
			if c, err = segment.CompileFew(seg.Rule, segmentDialect, now, 0); err != nil {
				return err
			}
			if err := touch(ctx, tx, seg, c); err != nil {
				return err
			}
			scope = " AND p.id IN (SELECT person_id FROM segment_touched)"
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM segment_touched").Scan(&res.Checked); err != nil {
				return err
			}
		} else if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM people").Scan(&res.Checked); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO segment_new (person_id) SELECT p.id FROM "+c.From()+
			" WHERE p.merged_into IS NULL"+scope+" AND ("+c.Where+")", c.Args...); err != nil {
			return fmt.Errorf("segment %s: running the rule: %w", seg.ID, err)
		}
		gone := "DELETE FROM segment_members WHERE segment_id = ? AND person_id NOT IN (SELECT person_id FROM segment_new)"
		if !res.Full {
			gone += " AND person_id IN (SELECT person_id FROM segment_touched)"
		}
		if res.Removed, err = affected(tx.ExecContext(ctx, gone, seg.ID)); err != nil {
			return err
		}
		if res.Added, err = affected(tx.ExecContext(ctx, `INSERT INTO segment_members (segment_id, person_id, added_at)
			SELECT ?, person_id, ? FROM segment_new WHERE true ON CONFLICT DO NOTHING`, seg.ID, encTime(now))); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE segments SET size = (SELECT count(*) FROM segment_members WHERE segment_id = ?),
			refreshed_at = ?, as_of = ?, events_mark = ?, people_mark = ?, refreshed_rule = rule WHERE id = ?`,
			seg.ID, encTime(time.Now()), encTime(now), eventsMark, peopleMark, seg.ID); err != nil {
			return err
		}
		got, err := segmentGet(ctx, tx, seg.ID)
		if err != nil {
			return err
		}
		res.Segment = *got
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("refresh segment %s: %w", p.ID, err)
	}
	res.Duration = time.Since(start)
	return res, nil
}

// touch fills segment_touched with the people an incremental refresh
// must look at again: new events, changed people, and members that were
// merged away — plus every current member when the clock alone can move
// them out.
func touch(ctx context.Context, tx *sql.Tx, seg *store.Segment, c *segment.Query) error {
	stmts := []struct {
		sql  string
		args []any
	}{
		{"INSERT OR IGNORE INTO segment_touched SELECT DISTINCT person_id FROM events WHERE id > ? AND person_id IS NOT NULL", []any{seg.EventsMark}},
		{"INSERT OR IGNORE INTO segment_touched SELECT id FROM people WHERE updated_at > ?", []any{encTime(seg.PeopleMark)}},
		{`INSERT OR IGNORE INTO segment_touched SELECT m.person_id FROM segment_members m JOIN people p ON p.id = m.person_id
			WHERE m.segment_id = ? AND p.merged_into IS NOT NULL`, []any{seg.ID}},
	}
	if c.TimeDependent {
		stmts = append(stmts, struct {
			sql  string
			args []any
		}{"INSERT OR IGNORE INTO segment_touched SELECT person_id FROM segment_members WHERE segment_id = ?", []any{seg.ID}})
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s.sql, s.args...); err != nil {
			return fmt.Errorf("finding changed people: %w", err)
		}
	}
	return nil
}

func affected(r sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return r.RowsAffected()
}
