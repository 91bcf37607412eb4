package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

var consentUpsert = upsert{
	table:    "consent",
	cols:     []string{"system", "system_id", "email", "channel", "status", "reason", "at", "record_id", "person_id"},
	conflict: "system, system_id, email, channel, status, at",
	update:   []string{"reason", "record_id", "person_id"},
}

// recordLink is the record (and its person) a consent fact is about.
type recordLink struct{ record, person int64 }

// ConsentUpsert links each fact to its record — by system_id, or by the
// lowest-id record of the same system holding the address — and upserts
// the batch. A system_id naming no record is rejected; an address naming
// none is kept unlinked.
func (q *queries) ConsentUpsert(ctx context.Context, p *store.ConsentUpsertParams) (*store.UpsertResult, error) {
	cs := p.Consents
	emails := make([]string, len(cs))
	for i, c := range cs {
		emails[i] = foundation.NormalizeEmail(c.Email)
	}
	res := &store.UpsertResult{}
	err := q.writeTx(ctx, func(tx *sql.Tx) error {
		bySystemID, byEmail := map[[2]string]recordLink{}, map[[2]string]recordLink{}
		idKeys, emailKeys := map[string][]string{}, map[string][]string{}
		for i, c := range cs {
			if c.System == "" {
				continue // rejected below; there is nothing to look it up in
			}
			if c.SystemID != "" {
				idKeys[c.System] = append(idKeys[c.System], c.SystemID)
			} else if emails[i] != "" {
				emailKeys[c.System] = append(emailKeys[c.System], emails[i])
			}
		}
		if err := findRecords(ctx, tx, "system_id", idKeys, bySystemID); err != nil {
			return err
		}
		if err := findRecords(ctx, tx, "email_key", emailKeys, byEmail); err != nil {
			return err
		}
		rows := make([][]any, 0, len(cs))
		for i, c := range cs {
			var link recordLink
			switch {
			case c.System == "":
				res.Rejected = append(res.Rejected, store.Rejection{Index: i, Field: "system",
					Reason: "the consent fact names no system"})
				continue
			case c.SystemID != "":
				l, ok := bySystemID[[2]string{c.System, c.SystemID}]
				if !ok {
					res.Rejected = append(res.Rejected, store.Rejection{Index: i, Field: "system_id",
						Reason: fmt.Sprintf("no %s record has system_id %q; import its people.csv rows first", c.System, c.SystemID)})
					continue
				}
				link = l
			case emails[i] != "":
				link = byEmail[[2]string{c.System, emails[i]}]
			default:
				res.Rejected = append(res.Rejected, store.Rejection{Index: i, Field: "email",
					Reason: "a consent fact needs a system_id or a valid e-mail address"})
				continue
			}
			rows = append(rows, []any{c.System, c.SystemID, emails[i], string(c.Channel), string(c.Status), c.Reason,
				encTime(c.At), nullID(link.record), nullID(link.person)})
		}
		if err := consentUpsert.exec(ctx, tx, rows); err != nil {
			return err
		}
		res.Written = len(rows)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("save consent: %w", err)
	}
	return res, nil
}

// findRecords maps (system, value of col) to the lowest-id record with it.
func findRecords(ctx context.Context, tx *sql.Tx, col string, keys map[string][]string, into map[[2]string]recordLink) error {
	query := recordsByQuery(col)
	for system, vals := range keys {
		err := lookup(ctx, tx, query, distinct(vals), []any{system}, func(r *sql.Rows) error {
			var v string
			var l recordLink
			if err := r.Scan(&v, &l.record, &l.person); err != nil {
				return err
			}
			into[[2]string{system, v}] = l // rows come highest id first: the lowest wins
			return nil
		})
		if err != nil {
			return fmt.Errorf("find records by %s: %w", col, err)
		}
	}
	return nil
}

// recordsByQuery finds records of one system by col (system_id or
// email_key) among a set. By e-mail it names its index: without
// statistics SQLite would rather walk every record of the system through
// the (system, system_id) key, and "email_key <> ”" is what lets it use
// that partial index.
func recordsByQuery(col string) string {
	from := "records"
	if col == "email_key" {
		from = "records INDEXED BY records_email_key"
	}
	return "SELECT " + col + ", id, person_id FROM " + from + " WHERE system = ? AND " + col + " IN (%s) AND " + col +
		" <> '' ORDER BY id DESC"
}

// distinct returns vals without repeats, in first-seen order.
func distinct(vals []string) []string {
	seen := make(map[string]bool, len(vals))
	out := vals[:0:0]
	for _, v := range vals {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

const consentCols = "id, system, system_id, email, channel, status, reason, at, coalesce(record_id, 0), coalesce(person_id, 0)"

func scanConsent(r *sql.Rows) (foundation.Consent, error) {
	var c foundation.Consent
	var channel, status string
	var at sql.NullString
	if err := r.Scan(&c.ID, &c.System, &c.SystemID, &c.Email, &channel, &status, &c.Reason, &at,
		&c.RecordID, &c.PersonID); err != nil {
		return c, err
	}
	c.Channel, c.Status = foundation.Channel(channel), foundation.ConsentStatus(status)
	var err error
	c.At, err = decTime(at)
	return c, err
}

func (q *queries) ConsentList(ctx context.Context, p *store.ConsentListParams) ([]foundation.Consent, error) {
	var w where
	if p.PersonID != 0 {
		w.add("person_id = ?", p.PersonID)
	}
	if p.System != "" {
		w.add("system = ?", p.System)
	}
	if p.Channel != "" {
		w.add("channel = ?", string(p.Channel))
	}
	if p.Status != "" {
		w.add("status = ?", string(p.Status))
	}
	if !p.Until.IsZero() {
		w.add("at <= ?", encTime(p.Until))
	}
	out, err := list(ctx, q.read, scanConsent,
		"SELECT "+consentCols+" FROM consent"+w.String()+" ORDER BY at, id LIMIT ? OFFSET ?", w.page(p.Page)...)
	if err != nil {
		return nil, fmt.Errorf("list consent: %w", err)
	}
	return out, nil
}
