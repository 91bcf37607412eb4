package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/store"
)

// ErrBadMerge is store.ErrBadMerge, kept here for callers of this package.
var ErrBadMerge = store.ErrBadMerge

// PeopleMerge moves every record of the From people, with the consent
// facts on them, to Into, and marks the From people merged into it. It
// refuses a person merged into itself, into or from a person that is
// already merged, and unknown people, so a merge never builds a chain
// that an unmerge could not walk back.
func (q *queries) PeopleMerge(ctx context.Context, p *store.PeopleMergeParams) (*store.PeopleMergeResult, error) {
	if err := store.CheckMerge(p); err != nil {
		return nil, err
	}
	res := &store.PeopleMergeResult{Into: p.Into, From: append([]int64(nil), p.From...), Moves: []store.RecordMove{}}
	err := q.writeTx(ctx, func(tx *sql.Tx) error {
		for _, id := range append([]int64{p.Into}, p.From...) {
			if err := checkUnmerged(ctx, tx, id); err != nil {
				return err
			}
		}
		now := encTime(time.Now())
		for _, from := range p.From {
			moved, err := list(ctx, tx, func(r *sql.Rows) (store.RecordMove, error) {
				m := store.RecordMove{FromPerson: from}
				return m, r.Scan(&m.System, &m.SystemID)
			}, "SELECT system, system_id FROM records WHERE person_id = ? ORDER BY system, system_id", from)
			if err != nil {
				return err
			}
			res.Moves = append(res.Moves, moved...)
			for _, stmt := range []string{
				"UPDATE records SET person_id = ? WHERE person_id = ?",
				"UPDATE consent SET person_id = ? WHERE person_id = ?",
			} {
				if _, err := tx.ExecContext(ctx, stmt, p.Into, from); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, "UPDATE people SET merged_into = ?, updated_at = ? WHERE id = ?",
				p.Into, now, from); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, "UPDATE people SET updated_at = ? WHERE id = ?", now, p.Into)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("merge people into %d: %w", p.Into, err)
	}
	return res, nil
}

// checkUnmerged fails unless person id exists and is not merged away.
func checkUnmerged(ctx context.Context, tx *sql.Tx, id int64) error {
	var into sql.NullInt64
	err := tx.QueryRowContext(ctx, "SELECT merged_into FROM people WHERE id = ?", id).Scan(&into)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("person %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return err
	}
	if into.Valid {
		return fmt.Errorf("%w: person %d is already merged into person %d", store.ErrBadMerge, id, into.Int64)
	}
	return nil
}

// PeopleUnmerge puts each moved record, and the consent facts on it, back
// with the person it came from, and clears merged_into. It refuses when a
// From person is no longer merged into Into (the merge was already undone).
func (q *queries) PeopleUnmerge(ctx context.Context, p *store.PeopleUnmergeParams) error {
	m := p.Merge
	err := q.writeTx(ctx, func(tx *sql.Tx) error {
		for _, from := range m.From {
			var into sql.NullInt64
			err := tx.QueryRowContext(ctx, "SELECT merged_into FROM people WHERE id = ?", from).Scan(&into)
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("person %d: %w", from, store.ErrNotFound)
			}
			if err != nil {
				return err
			}
			if !into.Valid || into.Int64 != m.Into {
				return fmt.Errorf("%w: person %d is not merged into person %d", store.ErrBadMerge, from, m.Into)
			}
		}
		for _, mv := range m.Moves {
			if _, err := tx.ExecContext(ctx, "UPDATE records SET person_id = ? WHERE system = ? AND system_id = ? AND person_id = ?",
				mv.FromPerson, mv.System, mv.SystemID, m.Into); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE consent SET person_id = ?
				WHERE record_id = (SELECT id FROM records WHERE system = ? AND system_id = ?)`,
				mv.FromPerson, mv.System, mv.SystemID); err != nil {
				return err
			}
		}
		now := encTime(time.Now())
		for _, from := range m.From {
			if _, err := tx.ExecContext(ctx, "UPDATE people SET merged_into = NULL, updated_at = ? WHERE id = ?", now, from); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("unmerge people from %d: %w", m.Into, err)
	}
	return nil
}
