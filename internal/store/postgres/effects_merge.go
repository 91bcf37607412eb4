package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/towerops/tower/internal/store"
)

// PeopleMerge moves every record of the From people, with the consent
// facts on them, to Into, and marks the From people merged into it. It
// refuses a person merged into itself, into or from a person that is
// already merged, and unknown people, so a merge never builds a chain
// that an unmerge could not walk back. The people rows are locked first,
// lowest id first, so two merges of overlapping people queue rather than
// deadlock.
func (q *queries) PeopleMerge(ctx context.Context, p *store.PeopleMergeParams) (*store.PeopleMergeResult, error) {
	if err := store.CheckMerge(p); err != nil {
		return nil, err
	}
	var res *store.PeopleMergeResult
	err := q.batch(ctx, fmt.Sprintf("merge people into %d", p.Into), nil, func(tx pgx.Tx) error {
		res = &store.PeopleMergeResult{Into: p.Into, From: append([]int64(nil), p.From...), Moves: []store.RecordMove{}}
		all := append([]int64{p.Into}, p.From...)
		merged, err := lockPeople(ctx, tx, all)
		if err != nil {
			return err
		}
		for _, id := range all {
			into, ok := merged[id]
			if !ok {
				return fmt.Errorf("person %d: %w", id, store.ErrNotFound)
			}
			if into != nil {
				return fmt.Errorf("%w: person %d is already merged into person %d", store.ErrBadMerge, id, *into)
			}
		}
		rows, err := tx.Query(ctx, `SELECT system, system_id, person_id FROM records WHERE person_id = ANY($1::bigint[])
			ORDER BY array_position($1::bigint[], person_id), system, system_id`, p.From)
		if err != nil {
			return err
		}
		res.Moves, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.RecordMove, error) {
			var m store.RecordMove
			return m, r.Scan(&m.System, &m.SystemID, &m.FromPerson)
		})
		if err != nil {
			return err
		}
		for _, stmt := range []string{
			"UPDATE records SET person_id = $1 WHERE person_id = ANY($2::bigint[])",
			"UPDATE consent SET person_id = $1 WHERE person_id = ANY($2::bigint[])",
			"UPDATE people SET merged_into = $1, updated_at = now() WHERE id = ANY($2::bigint[])",
		} {
			if _, err := tx.Exec(ctx, stmt, p.Into, p.From); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, "UPDATE people SET updated_at = now() WHERE id = $1", p.Into)
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// lockPeople locks people rows in id order and returns each one's
// merged_into (nil when not merged); unknown ids are absent.
func lockPeople(ctx context.Context, tx pgx.Tx, ids []int64) (map[int64]*int64, error) {
	rows, err := tx.Query(ctx, "SELECT id, merged_into FROM people WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE", ids)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]*int64{}
	for rows.Next() {
		var id int64
		var into *int64
		if err := rows.Scan(&id, &into); err != nil {
			return nil, err
		}
		out[id] = into
	}
	return out, rows.Err()
}

// PeopleUnmerge puts each moved record, and the consent facts on it, back
// with the person it came from, and clears merged_into. It refuses when a
// From person is no longer merged into Into (the merge was already undone).
func (q *queries) PeopleUnmerge(ctx context.Context, p *store.PeopleUnmergeParams) error {
	m := p.Merge
	return q.batch(ctx, fmt.Sprintf("unmerge people from %d", m.Into), nil, func(tx pgx.Tx) error {
		merged, err := lockPeople(ctx, tx, m.From)
		if err != nil {
			return err
		}
		for _, id := range m.From {
			into, ok := merged[id]
			if !ok {
				return fmt.Errorf("person %d: %w", id, store.ErrNotFound)
			}
			if into == nil || *into != m.Into {
				return fmt.Errorf("%w: person %d is not merged into person %d", store.ErrBadMerge, id, m.Into)
			}
		}
		systems, systemIDs, people := make([]string, len(m.Moves)), make([]string, len(m.Moves)), make([]int64, len(m.Moves))
		for i, mv := range m.Moves {
			systems[i], systemIDs[i], people[i] = mv.System, mv.SystemID, mv.FromPerson
		}
		if _, err := tx.Exec(ctx, `UPDATE records r SET person_id = v.person
			FROM unnest($1::text[], $2::text[], $3::bigint[]) AS v(system, system_id, person)
			WHERE r.system = v.system AND r.system_id = v.system_id AND r.person_id = $4`,
			systems, systemIDs, people, m.Into); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE consent c SET person_id = r.person_id
			FROM records r, unnest($1::text[], $2::text[]) AS v(system, system_id)
			WHERE r.system = v.system AND r.system_id = v.system_id AND c.record_id = r.id`,
			systems, systemIDs); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, "UPDATE people SET merged_into = NULL, updated_at = now() WHERE id = ANY($1::bigint[])", m.From)
		return err
	})
}
