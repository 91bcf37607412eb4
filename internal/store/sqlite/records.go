package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// New records are inserted and stored ones updated, rather than both
// going through INSERT … ON CONFLICT: the batch already knows which is
// which (linkExisting), and an upsert makes SQLite keep a statement
// journal, copying every page it touches.
var recordsInsert = upsert{
	table: "records",
	cols: []string{"person_id", "system", "system_id", "email", "email_key", "first_name", "last_name", "title",
		"phone", "account_id", "country", "region", "traits", "created_at", "updated_at"},
}

// recordsUpdate leaves person_id alone: an existing record keeps its person.
const recordsUpdate = `UPDATE records SET email = ?, email_key = ?, first_name = ?, last_name = ?, title = ?,
	phone = ?, account_id = ?, country = ?, region = ?, traits = ?, created_at = ?, updated_at = ?
	WHERE system = ? AND system_id = ?`

// pendingRecord is one record of a batch on its way in.
type pendingRecord struct {
	rec       *foundation.Record
	emailKey  string
	personKey string
	traits    any // encoded
	personID  int64
	stored    bool // the record exists: update it, keep its person
}

// RecordsUpsert links and writes a batch of records in five set-wise
// steps: check accounts, find which records exist (they keep their
// person), find or create the people of new records by PersonKey, fill
// empty person fields, and upsert the records.
func (q *queries) RecordsUpsert(ctx context.Context, p *store.RecordsUpsertParams) (*store.UpsertResult, error) {
	rs := p.Records
	res := &store.UpsertResult{}
	err := q.writeTx(ctx, func(tx *sql.Tx) error {
		rej, ok, err := checkRefs(ctx, tx, len(rs), ref{field: "account_id",
			query: "SELECT id FROM accounts WHERE id IN (%s)", value: func(i int) string { return rs[i].AccountID },
			reason: notFound("account", "accounts.csv"), known: q.knownAccounts()})
		if err != nil {
			return err
		}
		recs, written, err := pendingRecords(rs, ok)
		if err != nil {
			return err
		}
		if err := linkExisting(ctx, tx, recs); err != nil {
			return err
		}
		if err := linkPeople(ctx, tx, recs); err != nil {
			return err
		}
		if err := writeRecords(ctx, tx, recs); err != nil {
			return err
		}
		res.Written, res.Rejected = written, rej
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("save records: %w", err)
	}
	return res, nil
}

// pendingRecords keeps the rows that may be written, one per (system,
// system_id) — the last one, as if the batch were applied in order — in
// the batch order of those last rows. written counts every good row.
func pendingRecords(rs []foundation.Record, ok []bool) (recs []*pendingRecord, written int, err error) {
	type key struct{ system, id string }
	last := make(map[key]int, len(rs))
	for i := range rs {
		if ok[i] {
			last[key{rs[i].System, rs[i].SystemID}] = i
			written++
		}
	}
	recs = make([]*pendingRecord, 0, len(last))
	for i := range rs {
		r := &rs[i]
		if !ok[i] || last[key{r.System, r.SystemID}] != i {
			continue
		}
		tr, err := encTraits(r.Traits)
		if err != nil {
			return nil, 0, fmt.Errorf("record %s %s: %w", r.System, r.SystemID, err)
		}
		recs = append(recs, &pendingRecord{rec: r, emailKey: foundation.NormalizeEmail(r.Email),
			personKey: r.PersonKey(), traits: tr})
	}
	return recs, written, nil
}

// linkExisting sets personID for the records already stored.
func linkExisting(ctx context.Context, tx *sql.Tx, recs []*pendingRecord) error {
	bySystem := map[string]map[string]*pendingRecord{}
	for _, pr := range recs {
		m := bySystem[pr.rec.System]
		if m == nil {
			m = map[string]*pendingRecord{}
			bySystem[pr.rec.System] = m
		}
		m[pr.rec.SystemID] = pr
	}
	for system, m := range bySystem {
		ids := make([]string, 0, len(m))
		for id := range m {
			ids = append(ids, id)
		}
		err := lookup(ctx, tx, "SELECT system_id, person_id FROM records WHERE system = ? AND system_id IN (%s)",
			ids, []any{system}, func(r *sql.Rows) error {
				var id string
				var person int64
				if err := r.Scan(&id, &person); err != nil {
					return err
				}
				m[id].personID, m[id].stored = person, true
				return nil
			})
		if err != nil {
			return fmt.Errorf("find existing records: %w", err)
		}
	}
	return nil
}

// linkPeople gives every new record the person with its PersonKey,
// creating the people that do not exist, and fills empty fields of the
// people the batch touches.
func linkPeople(ctx context.Context, tx *sql.Tx, recs []*pendingRecord) error {
	var keys []string
	seen := map[string]bool{}
	for _, pr := range recs {
		if pr.personID == 0 && !seen[pr.personKey] {
			seen[pr.personKey] = true
			keys = append(keys, pr.personKey)
		}
	}
	byKey := make(map[string]int64, len(keys))
	err := lookup(ctx, tx, "SELECT key, id FROM people WHERE key IN (%s)", keys, nil, func(r *sql.Rows) error {
		var k string
		var id int64
		if err := r.Scan(&k, &id); err != nil {
			return err
		}
		byKey[k] = id
		return nil
	})
	if err != nil {
		return fmt.Errorf("find people: %w", err)
	}
	// New people start from the first non-empty values of their records.
	fills := map[string]*personFill{}
	var missing []string
	for _, pr := range recs {
		if pr.personID != 0 {
			continue
		}
		if id, ok := byKey[pr.personKey]; ok {
			pr.personID = id
			continue
		}
		f := fills[pr.personKey]
		if f == nil {
			f = &personFill{}
			fills[pr.personKey] = f
			missing = append(missing, pr.personKey)
		}
		f.absorb(pr)
	}
	if err := createPeople(ctx, tx, missing, fills, byKey); err != nil {
		return err
	}
	var touched []*pendingRecord
	for _, pr := range recs {
		if pr.personID == 0 {
			pr.personID = byKey[pr.personKey]
			continue // a person just created from this batch is already filled
		}
		touched = append(touched, pr)
	}
	return fillPeople(ctx, tx, touched)
}

// createPeople inserts one person per missing key and records their ids.
// It numbers them itself, from the highest id stored: every write
// transaction begins IMMEDIATE and so holds the database's one write lock
// (even against other processes), so no one else can take those ids, and
// the insert needs no RETURNING round trip.
func createPeople(ctx context.Context, tx *sql.Tx, missing []string, fills map[string]*personFill, byKey map[string]int64) error {
	if len(missing) == 0 {
		return nil
	}
	var next int64
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM people").Scan(&next); err != nil {
		return fmt.Errorf("create people: %w", err)
	}
	now := encTime(time.Now())
	rows := make([][]any, len(missing))
	for i, k := range missing {
		next++
		f := fills[k]
		byKey[k] = next
		rows[i] = []any{next, k, f.email, f.first, f.last, f.title, f.phone, nullStr(f.account), f.country,
			f.region, f.traits, now, now}
	}
	if err := peopleInsert.exec(ctx, tx, rows); err != nil {
		return fmt.Errorf("create people: %w", err)
	}
	return nil
}

var peopleInsert = upsert{table: "people", cols: []string{"id", "key", "email", "first_name", "last_name", "title",
	"phone", "account_id", "country", "region", "traits", "created_at", "updated_at"}}

// writeRecords inserts the new records and updates the stored ones.
func writeRecords(ctx context.Context, tx *sql.Tx, recs []*pendingRecord) error {
	rows := make([][]any, 0, len(recs))
	var update *sql.Stmt
	defer func() {
		if update != nil {
			update.Close()
		}
	}()
	for _, pr := range recs {
		r := pr.rec
		if !pr.stored {
			rows = append(rows, []any{pr.personID, r.System, r.SystemID, r.Email, pr.emailKey, r.FirstName, r.LastName,
				r.Title, r.Phone, nullStr(r.AccountID), r.Country, r.Region, pr.traits, encTime(r.CreatedAt),
				encTime(r.UpdatedAt)})
			continue
		}
		if update == nil {
			var err error
			if update, err = tx.PrepareContext(ctx, recordsUpdate); err != nil {
				return fmt.Errorf("update records: %w", err)
			}
		}
		if _, err := update.ExecContext(ctx, r.Email, pr.emailKey, r.FirstName, r.LastName, r.Title, r.Phone,
			nullStr(r.AccountID), r.Country, r.Region, pr.traits, encTime(r.CreatedAt), encTime(r.UpdatedAt),
			r.System, r.SystemID); err != nil {
			return fmt.Errorf("update record %s %s: %w", r.System, r.SystemID, err)
		}
	}
	return recordsInsert.exec(ctx, tx, rows)
}
