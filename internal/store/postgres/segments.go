package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/segment"
	"github.com/towerops/tower/internal/store"
)

// segmentDialect writes segment rules for PostgreSQL.
var segmentDialect = segment.Dialect{Name: "postgres", Bind: func(n int) string { return fmt.Sprintf("$%d", n) },
	Time: func(t time.Time) any { return t }}

const segmentColumns = `id, name, rule, description, created_by, proposal_id, created_at, updated_at,
	refreshed_at, as_of, size, events_mark, people_mark, refreshed_rule`

func scanSegment(row pgx.Row) (store.Segment, error) {
	var s store.Segment
	var refreshed, asOf, mark *time.Time
	if err := row.Scan(&s.ID, &s.Name, &s.Rule, &s.Description, &s.CreatedBy, &s.ProposalID, &s.CreatedAt, &s.UpdatedAt,
		&refreshed, &asOf, &s.Size, &s.EventsMark, &mark, &s.RefreshedRule); err != nil {
		return s, err
	}
	s.CreatedAt, s.UpdatedAt = s.CreatedAt.UTC(), s.UpdatedAt.UTC()
	for _, t := range []struct {
		dst *time.Time
		src *time.Time
	}{{&s.RefreshedAt, refreshed}, {&s.AsOf, asOf}, {&s.PeopleMark, mark}} {
		if t.src != nil {
			*t.dst = t.src.UTC()
		}
	}
	return s, nil
}

// SegmentGet returns one segment.
func (q *queries) SegmentGet(ctx context.Context, p *store.SegmentGetParams) (*store.Segment, error) {
	return segmentGet(ctx, q.db, p.ID)
}

func segmentGet(ctx context.Context, db dbtx, id string) (*store.Segment, error) {
	s, err := scanSegment(db.QueryRow(ctx, "SELECT "+segmentColumns+" FROM segments WHERE id = $1", id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("segment %q: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: segment %q: %w", id, err)
	}
	return &s, nil
}

// SegmentsList orders by id.
func (q *queries) SegmentsList(ctx context.Context, p *store.SegmentsListParams) ([]store.Segment, error) {
	var w where
	s, args := w.sql("id", p.Page)
	return collect(ctx, q.db, "list segments", "SELECT "+segmentColumns+" FROM segments"+s, args,
		func(row pgx.CollectableRow) (store.Segment, error) { return scanSegment(row) })
}

// SegmentMembers pages through member ids after p.After.
func (q *queries) SegmentMembers(ctx context.Context, p *store.SegmentMembersParams) ([]int64, error) {
	l, _ := limitOffset(store.Page{Limit: p.Limit})
	return collect(ctx, q.db, "segment members",
		"SELECT person_id FROM segment_members WHERE segment_id = $1 AND person_id > $2 ORDER BY person_id LIMIT $3",
		[]any{p.ID, p.After, l}, pgx.RowTo[int64])
}

// SegmentSave creates or changes a segment after checking its rule.
func (q *queries) SegmentSave(ctx context.Context, p *store.SegmentSaveParams) (*store.Segment, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := segment.Check(p.Rule); err != nil {
		return nil, fmt.Errorf("segment %s: %w", p.ID, err)
	}
	now := nowOr(p.Now)
	var out *store.Segment
	err := q.batch(ctx, "save segment", nil, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO segments (id, name, rule, description, created_by, proposal_id, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, rule = excluded.rule,
				description = excluded.description, updated_at = excluded.updated_at`,
			p.ID, p.Name, p.Rule, p.Description, p.CreatedBy, p.ProposalID, now)
		if err != nil {
			return err
		}
		out, err = segmentGet(ctx, tx, p.ID)
		return err
	})
	return out, err
}

// SegmentDelete removes a segment; its members go with it.
func (q *queries) SegmentDelete(ctx context.Context, p *store.SegmentGetParams) error {
	tag, err := q.db.Exec(ctx, "DELETE FROM segments WHERE id = $1", p.ID)
	if err != nil {
		return fmt.Errorf("postgres: delete segment %s: %w", p.ID, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("segment %q: %w", p.ID, store.ErrNotFound)
	}
	return nil
}

// SegmentPreview counts a rule's audience without saving anything.
func (q *queries) SegmentPreview(ctx context.Context, p *store.SegmentPreviewParams) (*store.SegmentPreviewResult, error) {
	c, err := segment.Compile(p.Rule, segmentDialect, nowOr(p.Now), 0)
	if err != nil {
		return nil, err
	}
	body := " FROM " + c.From() + " WHERE p.merged_into IS NULL AND (" + c.Where + ")"
	out := &store.SegmentPreviewResult{}
	if err := q.db.QueryRow(ctx, "SELECT count(*)"+body, c.Args...).Scan(&out.Size); err != nil {
		return nil, fmt.Errorf("postgres: preview segment: %w", err)
	}
	if p.Sample > 0 {
		out.Sample, err = collect(ctx, q.db, "preview segment",
			"SELECT p.id"+body+fmt.Sprintf(" ORDER BY p.id LIMIT $%d", len(c.Args)+1), append(c.Args, p.Sample), pgx.RowTo[int64])
		if err != nil {
			return nil, err
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
	l, _ := limitOffset(store.Page{Limit: p.Limit})
	return collect(ctx, q.db, "segment people",
		`SELECT p.id, p.email, p.first_name, p.last_name, p.title, p.phone, COALESCE(p.account_id, ''), p.country, p.region
		FROM segment_members m JOIN people p ON p.id = m.person_id
		WHERE m.segment_id = $1 AND m.person_id > $2 ORDER BY m.person_id LIMIT $3`,
		[]any{p.ID, p.After, l}, func(row pgx.CollectableRow) (foundation.Person, error) {
			var x foundation.Person
			err := row.Scan(&x.ID, &x.Email, &x.FirstName, &x.LastName, &x.Title, &x.Phone, &x.AccountID, &x.Country, &x.Region)
			return x, err
		})
}
