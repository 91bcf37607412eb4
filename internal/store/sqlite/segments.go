package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/segment"
	"github.com/towerops/tower/internal/store"
)

// segmentDialect writes segment rules for SQLite: numbered ?NNN
// placeholders (a rule's arguments are not always added in text order) and times as
// the fixed-width text every table stores.
var segmentDialect = segment.Dialect{Name: "sqlite", Bind: func(n int) string { return fmt.Sprintf("?%d", n) },
	Time: func(t time.Time) any { return encTime(t) }}

const segmentColumns = `id, name, rule, description, created_by, proposal_id, created_at, updated_at,
	refreshed_at, as_of, size, events_mark, people_mark, refreshed_rule`

func scanSegment(sc interface{ Scan(...any) error }) (store.Segment, error) {
	var s store.Segment
	var created, updated, refreshed, asOf, mark, rrule sql.NullString
	if err := sc.Scan(&s.ID, &s.Name, &s.Rule, &s.Description, &s.CreatedBy, &s.ProposalID, &created, &updated,
		&refreshed, &asOf, &s.Size, &s.EventsMark, &mark, &rrule); err != nil {
		return s, err
	}
	for _, t := range []struct {
		dst *time.Time
		src sql.NullString
	}{{&s.CreatedAt, created}, {&s.UpdatedAt, updated}, {&s.RefreshedAt, refreshed}, {&s.AsOf, asOf}, {&s.PeopleMark, mark}} {
		v, err := decTime(t.src)
		if err != nil {
			return s, err
		}
		*t.dst = v
	}
	s.RefreshedRule = rrule.String
	return s, nil
}

// SegmentGet returns one segment.
func (q *queries) SegmentGet(ctx context.Context, p *store.SegmentGetParams) (*store.Segment, error) {
	return segmentGet(ctx, q.read, p.ID)
}

func segmentGet(ctx context.Context, db dbtx, id string) (*store.Segment, error) {
	s, err := scanSegment(db.QueryRowContext(ctx, "SELECT "+segmentColumns+" FROM segments WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("segment %q: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("segment %q: %w", id, err)
	}
	return &s, nil
}

// SegmentsList orders by id.
func (q *queries) SegmentsList(ctx context.Context, p *store.SegmentsListParams) ([]store.Segment, error) {
	var w where
	out, err := list(ctx, q.read, func(r *sql.Rows) (store.Segment, error) { return scanSegment(r) },
		"SELECT "+segmentColumns+" FROM segments ORDER BY id LIMIT ? OFFSET ?", w.page(p.Page)...)
	if err != nil {
		return nil, fmt.Errorf("list segments: %w", err)
	}
	return out, nil
}

// SegmentMembers pages through member ids after p.After.
func (q *queries) SegmentMembers(ctx context.Context, p *store.SegmentMembersParams) ([]int64, error) {
	l, _ := limit(store.Page{Limit: p.Limit})
	out, err := list(ctx, q.read, func(r *sql.Rows) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	}, "SELECT person_id FROM segment_members WHERE segment_id = ? AND person_id > ? ORDER BY person_id LIMIT ?", p.ID, p.After, l)
	if err != nil {
		return nil, fmt.Errorf("segment %q members: %w", p.ID, err)
	}
	return out, nil
}

// SegmentSave creates or changes a segment after checking its rule.
func (q *queries) SegmentSave(ctx context.Context, p *store.SegmentSaveParams) (*store.Segment, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := segment.Check(p.Rule); err != nil {
		return nil, fmt.Errorf("segment %s: %w", p.ID, err)
	}
	now := encTime(nowOr(p.Now))
	var out *store.Segment
	err := q.writeTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO segments (id, name, rule, description, created_by, proposal_id, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, rule = excluded.rule,
				description = excluded.description, updated_at = excluded.updated_at`,
			p.ID, p.Name, p.Rule, p.Description, p.CreatedBy, p.ProposalID, now, now)
		if err != nil {
			return err
		}
		out, err = segmentGet(ctx, tx, p.ID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("save segment %s: %w", p.ID, err)
	}
	return out, nil
}

// SegmentDelete removes a segment; its members go with it (ON DELETE
// CASCADE).
func (q *queries) SegmentDelete(ctx context.Context, p *store.SegmentGetParams) error {
	return q.writeTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM segments WHERE id = ?", p.ID)
		if err != nil {
			return fmt.Errorf("delete segment %s: %w", p.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("segment %q: %w", p.ID, store.ErrNotFound)
		}
		return nil
	})
}

// SegmentPreview counts a rule's audience without saving anything.
func (q *queries) SegmentPreview(ctx context.Context, p *store.SegmentPreviewParams) (*store.SegmentPreviewResult, error) {
	c, err := segment.Compile(p.Rule, segmentDialect, nowOr(p.Now), 0)
	if err != nil {
		return nil, err
	}
	body := " FROM " + c.From() + " WHERE p.merged_into IS NULL AND (" + c.Where + ")"
	out := &store.SegmentPreviewResult{}
	if err := q.read.QueryRowContext(ctx, "SELECT count(*)"+body, c.Args...).Scan(&out.Size); err != nil {
		return nil, fmt.Errorf("preview segment: %w", err)
	}
	if p.Sample > 0 {
		out.Sample, err = list(ctx, q.read, func(r *sql.Rows) (int64, error) {
			var id int64
			return id, r.Scan(&id)
		}, "SELECT p.id"+body+" ORDER BY p.id LIMIT ?", append(c.Args, p.Sample)...)
		if err != nil {
			return nil, fmt.Errorf("preview segment: %w", err)
		}
	}
	return out, nil
}

func nowOr(t time.Time) time.Time {
	if t.IsZero() {
		return time.Now().UTC()
	}
	return t.UTC()
}

// SegmentPeople pages through members with their contact fields.
func (q *queries) SegmentPeople(ctx context.Context, p *store.SegmentMembersParams) ([]foundation.Person, error) {
	l, _ := limit(store.Page{Limit: p.Limit})
	out, err := list(ctx, q.read, func(r *sql.Rows) (foundation.Person, error) {
		var x foundation.Person
		var account sql.NullString
		err := r.Scan(&x.ID, &x.Email, &x.FirstName, &x.LastName, &x.Title, &x.Phone, &account, &x.Country, &x.Region)
		x.AccountID = account.String
		return x, err
	}, `SELECT p.id, p.email, p.first_name, p.last_name, p.title, p.phone, p.account_id, p.country, p.region
		FROM segment_members m JOIN people p ON p.id = m.person_id
		WHERE m.segment_id = ? AND m.person_id > ? ORDER BY m.person_id LIMIT ?`, p.ID, p.After, l)
	if err != nil {
		return nil, fmt.Errorf("segment %q people: %w", p.ID, err)
	}
	return out, nil
}
