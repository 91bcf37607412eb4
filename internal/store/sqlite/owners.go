package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

var ownersUpsert = upsert{
	table:    "owners",
	cols:     []string{"id", "name", "email", "team", "region", "capacity"},
	conflict: "id",
	update:   []string{"name", "email", "team", "region", "capacity"},
}

func (q *queries) OwnersUpsert(ctx context.Context, p *store.OwnersUpsertParams) (*store.UpsertResult, error) {
	os := p.Owners
	needs := []need{needText("id", "the owner has no id", func(i int) string { return os[i].ID })}
	res, err := q.upsertRows(ctx, len(os), ownersUpsert, needs, nil, func(i int) ([]any, error) {
		o := os[i]
		return []any{o.ID, o.Name, o.Email, string(o.Team), o.Region, o.Capacity}, nil
	})
	if err != nil {
		return nil, fmt.Errorf("save owners: %w", err)
	}
	return res, nil
}

const ownerCols = "id, name, email, team, region, capacity"

func scanOwner(r interface{ Scan(...any) error }) (foundation.Owner, error) {
	var o foundation.Owner
	var team string
	err := r.Scan(&o.ID, &o.Name, &o.Email, &team, &o.Region, &o.Capacity)
	o.Team = foundation.Team(team)
	return o, err
}

func (q *queries) OwnersList(ctx context.Context, p *store.OwnersListParams) ([]foundation.Owner, error) {
	var w where
	if p.Team != "" {
		w.add("team = ?", string(p.Team))
	}
	out, err := list(ctx, q.read, func(r *sql.Rows) (foundation.Owner, error) { return scanOwner(r) },
		"SELECT "+ownerCols+" FROM owners"+w.String()+" ORDER BY id LIMIT ? OFFSET ?", w.page(p.Page)...)
	if err != nil {
		return nil, fmt.Errorf("list owners: %w", err)
	}
	return out, nil
}
