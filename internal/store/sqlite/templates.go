package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

var templatesUpsert = upsert{
	table:    "templates",
	cols:     []string{"id", "esp", "dialect", "subject", "campaign_id", "segment", "path", "body", "traits"},
	conflict: "id",
	update:   []string{"esp", "dialect", "subject", "campaign_id", "segment", "path", "body", "traits"},
}

func (q *queries) TemplatesUpsert(ctx context.Context, p *store.TemplatesUpsertParams) (*store.UpsertResult, error) {
	ts := p.Templates
	needs := []need{needText("id", "the template has no id", func(i int) string { return ts[i].ID })}
	res, err := q.upsertRows(ctx, len(ts), templatesUpsert, needs, nil, func(i int) ([]any, error) {
		t := ts[i]
		tr, err := encTraits(t.Traits)
		return []any{t.ID, string(t.ESP), string(t.Dialect), t.Subject, t.CampaignID, t.Segment, t.Path, t.Body, tr}, err
	})
	if err != nil {
		return nil, fmt.Errorf("save templates: %w", err)
	}
	return res, nil
}

const templateCols = "id, esp, dialect, subject, campaign_id, segment, path, body, traits"

func scanTemplate(r interface{ Scan(...any) error }) (foundation.Template, error) {
	var t foundation.Template
	var esp, dialect string
	var tr sql.NullString
	if err := r.Scan(&t.ID, &esp, &dialect, &t.Subject, &t.CampaignID, &t.Segment, &t.Path, &t.Body, &tr); err != nil {
		return t, err
	}
	t.ESP, t.Dialect = foundation.ESP(esp), foundation.Dialect(dialect)
	var err error
	t.Traits, err = decTraits(tr)
	return t, err
}

func (q *queries) TemplateGet(ctx context.Context, p *store.TemplateGetParams) (*foundation.Template, error) {
	t, err := scanTemplate(q.read.QueryRowContext(ctx, "SELECT "+templateCols+" FROM templates WHERE id = ?", p.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("template %q: %w", p.ID, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("get template %q: %w", p.ID, err)
	}
	return &t, nil
}

func (q *queries) TemplatesList(ctx context.Context, p *store.TemplatesListParams) ([]foundation.Template, error) {
	var w where
	if p.ESP != "" {
		w.add("esp = ?", string(p.ESP))
	}
	out, err := list(ctx, q.read, func(r *sql.Rows) (foundation.Template, error) { return scanTemplate(r) },
		"SELECT "+templateCols+" FROM templates"+w.String()+" ORDER BY id LIMIT ? OFFSET ?", w.page(p.Page)...)
	if err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	return out, nil
}
