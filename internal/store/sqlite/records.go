package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
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
	cols: []string{"id", "person_id", "system", "system_id", "email", "email_key", "first_name", "last_name", "title",
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
	stored    bool  // the record exists: update it, keep its person
	id        int64 // the id a new record is given
}

// RecordsUpsert links and writes a batch of records in set-wise steps:
// check accounts, find which records exist (they keep their person), find
// the people of new records by PersonKey and number the missing ones,
// fill empty fields of existing people, write the records, and create the
// missing people from their first records.
func (q *queries) RecordsUpsert(ctx context.Context, p *store.RecordsUpsertParams) (*store.UpsertResult, error) {
	rs := p.Records
	res := &store.UpsertResult{}
	err := q.writeTx(ctx, func(tx *sql.Tx) error {
		needs := []need{
			needText("system", "the record names no system", func(i int) string { return rs[i].System }),
			needText("system_id", "the record has no system_id", func(i int) string { return rs[i].SystemID }),
		}
		rej, ok, err := checkRows(ctx, tx, len(rs), needs, []ref{{field: "account_id",
			query: "SELECT id FROM accounts WHERE id IN (%s)", value: func(i int) string { return rs[i].AccountID },
			reason: notFound("account", "accounts.csv"), known: q.knownAccounts()}})
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
		born, err := linkPeople(ctx, tx, recs)
		if err != nil {
			return err
		}
		if err := writeRecords(ctx, tx, recs); err != nil {
			return err
		}
		if err := createPeople(ctx, tx, born); err != nil {
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

// newPerson is a person a batch creates: numbered in Go, written from
// its first record, then given the fields only later records had.
type newPerson struct {
	id    int64
	first *pendingRecord
	fill  *personFill
}

// linkPeople gives every new record the person with its PersonKey,
// numbering the people that do not exist yet (they are written after the
// records, by createPeople), and fills empty fields of the existing
// people the batch touches.
//
// New people are numbered from the highest id stored: every write
// transaction begins IMMEDIATE and so holds the database's one write lock
// (even against other processes), so no one else can take those ids.
func linkPeople(ctx context.Context, tx *sql.Tx, recs []*pendingRecord) ([]*newPerson, error) {
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
		return nil, fmt.Errorf("find people: %w", err)
	}
	var touched []*pendingRecord
	var born []*newPerson
	bornByKey := map[string]*newPerson{}
	var next int64
	for _, pr := range recs {
		if pr.personID != 0 {
			touched = append(touched, pr)
			continue
		}
		if id, ok := byKey[pr.personKey]; ok {
			pr.personID = id
			touched = append(touched, pr)
			continue
		}
		np := bornByKey[pr.personKey]
		if np == nil {
			if next == 0 {
				if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM people").Scan(&next); err != nil {
					return nil, fmt.Errorf("number new people: %w", err)
				}
			}
			next++
			np = &newPerson{id: next, first: pr, fill: &personFill{}}
			bornByKey[pr.personKey] = np
			born = append(born, np)
		}
		np.fill.absorb(pr)
		pr.personID = np.id
	}
	return born, fillPeople(ctx, tx, touched)
}

// createPeople writes the people a batch creates in one INSERT … SELECT
// from their first records, already written, so no person field crosses
// the driver; people whose later records added fields are then updated.
func createPeople(ctx context.Context, tx *sql.Tx, born []*newPerson) error {
	if len(born) == 0 {
		return nil
	}
	first := make([]int64, len(born))
	for i, np := range born {
		first[i] = np.first.id
	}
	set, err := json.Marshal(first)
	if err != nil {
		return err
	}
	now := encTime(time.Now())
	res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO people (id, key, email, first_name, last_name, title, phone,
			account_id, country, region, traits, created_at, updated_at)
		SELECT ?1 + j.key, CASE WHEN r.email_key <> '' THEN 'email:' || r.email_key
				ELSE 'record:' || r.system || ':' || r.system_id END,
			r.email_key, r.first_name, r.last_name, r.title, r.phone, r.account_id, r.country, r.region, r.traits, ?2, ?2
		FROM json_each(?3) j JOIN records r ON r.id = j.value`, born[0].id, now, string(set))
	if err != nil {
		return fmt.Errorf("create people: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != int64(len(born)) {
		return fmt.Errorf("create people: %w (%d of %d, %v)", errIgnored, n, len(born), err)
	}
	var fix []fillUpdate
	for _, np := range born {
		var f personFill
		f.absorb(np.first)
		if f != *np.fill {
			fix = append(fix, fillUpdate{id: np.id, f: np.fill})
		}
	}
	return updatePeople(ctx, tx, fix)
}

// writeRecords inserts the new records, numbered like new people (see
// linkPeople), and updates the stored ones.
func writeRecords(ctx context.Context, tx *sql.Tx, recs []*pendingRecord) error {
	var next int64
	for _, pr := range recs {
		if pr.stored {
			continue
		}
		if next == 0 {
			if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM records").Scan(&next); err != nil {
				return fmt.Errorf("number new records: %w", err)
			}
		}
		next++
		pr.id = next
	}
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
			rows = append(rows, []any{pr.id, pr.personID, r.System, r.SystemID, r.Email, pr.emailKey, r.FirstName, r.LastName,
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
