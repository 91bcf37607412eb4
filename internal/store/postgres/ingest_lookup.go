package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// newIngestRun reads, set-wise, everything the fresh events may resolve
// against: people by e-mail, identities and records by the ids the events
// carry, which of those people were merged, and the accounts group names.
// Records are looked up by userId, and by every id of an identify or an
// alias (an id a record holds is taken). Each lookup probes an index once
// per key (see probe.go).
func newIngestRun(ctx context.Context, tx pgx.Tx, es []foundation.Event, fresh []int, res *store.EventsIngestResult) (*ingestRun, error) {
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
	if r.byEmail, err = lookup(ctx, tx, sqlEventPeopleByEmail, emails); err != nil {
		return nil, fmt.Errorf("find people by e-mail: %w", err)
	}
	if r.records, err = lookup(ctx, tx, sqlEventPeopleByUserID, recordIDs); err != nil {
		return nil, fmt.Errorf("find people by user id: %w", err)
	}
	if r.idents, err = lookup(ctx, tx, `SELECT k.id, (SELECT i.person_id FROM identities i WHERE i.id = k.id)
		FROM unnest($1::text[]) AS k(id)`, ids); err != nil {
		return nil, fmt.Errorf("find identities: %w", err)
	}
	if len(groups) > 0 {
		rows, err := tx.Query(ctx, `SELECT k.id FROM unnest($1::text[]) AS k(id)
			WHERE EXISTS (SELECT 1 FROM accounts a WHERE a.id = k.id)`, groups)
		if err != nil {
			return nil, fmt.Errorf("find accounts: %w", err)
		}
		found, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return nil, fmt.Errorf("find accounts: %w", err)
		}
		for _, id := range found {
			r.accounts[id] = true
		}
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
		people = nil
		if len(ask) == 0 {
			break
		}
		rows, err := r.tx.Query(ctx, `SELECT k.id, (SELECT p.merged_into FROM people p WHERE p.id = k.id)
			FROM unnest($1::int8[]) AS k(id)`, ask)
		if err != nil {
			return fmt.Errorf("find merged people: %w", err)
		}
		var id int64
		var into pgtype.Int8
		_, err = pgx.ForEachRow(rows, []any{&id, &into}, func() error {
			if into.Valid {
				r.mergedTo[id] = into.Int64
				people = append(people, into.Int64)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("find merged people: %w", err)
		}
	}
	return nil
}
