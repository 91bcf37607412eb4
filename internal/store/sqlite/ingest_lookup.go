package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// newIngestRun reads, set-wise, everything the fresh events may resolve
// against: people by e-mail, identities and records by the ids the events
// carry, which of those people were merged, and the accounts group names.
// Records are looked up by userId, and by every id of an identify or an
// alias (an id a record holds is taken).
func newIngestRun(ctx context.Context, tx *sql.Tx, es []foundation.Event, fresh []int, res *store.EventsIngestResult) (*ingestRun, error) {
	r := &ingestRun{tx: tx, es: es, fresh: fresh, res: res,
		person: make([]int64, len(es)), emails: make([]string, len(es)),
		people: map[int64]*ingestPerson{}, mergedTo: map[int64]int64{}, accounts: map[string]bool{},
		waiting: map[string][]int{}}
	var emails, ids, recordIDs, groups []string
	for _, i := range fresh {
		e := &es[i]
		if e.Email != "" {
			r.emails[i] = foundation.NormalizeEmail(e.Email)
			if r.emails[i] != "" {
				emails = append(emails, r.emails[i])
			}
		}
		for _, id := range [3]string{e.UserID, e.AnonymousID, e.PreviousID} {
			if id != "" {
				ids = append(ids, id)
			}
		}
		if e.UserID != "" {
			recordIDs = append(recordIDs, e.UserID)
		}
		switch e.Type {
		case "identify", "alias":
			for _, id := range [2]string{e.AnonymousID, e.PreviousID} {
				if id != "" {
					recordIDs = append(recordIDs, id)
				}
			}
		case "group":
			groups = append(groups, e.GroupID)
		}
	}
	var err error
	if r.byEmail, r.records, err = eventPeople(ctx, tx, distinct(emails), distinct(recordIDs)); err != nil {
		return nil, err
	}
	r.idents = make(map[string]int64, len(ids))
	err = lookup(ctx, tx, `SELECT id, person_id FROM identities WHERE id IN (%s)`, distinct(ids), nil,
		func(rows *sql.Rows) error {
			var id string
			var p int64
			if err := rows.Scan(&id, &p); err != nil {
				return err
			}
			r.idents[id] = p
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("find identities: %w", err)
	}
	if r.accounts, err = existing(ctx, tx, "SELECT id FROM accounts WHERE id IN (%s)", distinct(groups)); err != nil {
		return nil, fmt.Errorf("find accounts: %w", err)
	}
	found := make([]int64, 0, len(r.idents)+len(r.records))
	for _, m := range [2]map[string]int64{r.idents, r.records} {
		for _, p := range m {
			found = append(found, p)
		}
	}
	if err := r.mergedOf(ctx, found); err != nil {
		return nil, err
	}
	return r, nil
}

// mergedOf notes which of people were merged, and into whom, following
// merges of merged people until none is left.
func (r *ingestRun) mergedOf(ctx context.Context, people []int64) error {
	seen := make(map[int64]bool, len(people))
	for len(people) > 0 {
		var ask []int64
		for _, p := range people {
			if !seen[p] {
				seen[p] = true
				ask = append(ask, p)
			}
		}
		people = people[:0:0]
		err := lookup(ctx, r.tx, `SELECT id, merged_into FROM people WHERE id IN (%s) AND merged_into IS NOT NULL`,
			ask, nil, func(rows *sql.Rows) error {
				var id, into int64
				if err := rows.Scan(&id, &into); err != nil {
					return err
				}
				r.mergedTo[id] = into
				people = append(people, into)
				return nil
			})
		if err != nil {
			return fmt.Errorf("find merged people: %w", err)
		}
	}
	return nil
}
