package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/store"
)

// TagsAdd adds tags to stored entities; a tag already there is left alone
// and not counted. A tag on an entity that does not exist is ErrNotFound.
func (q *queries) TagsAdd(ctx context.Context, p *store.TagsParams) (int, error) {
	n := 0
	err := q.writeTx(ctx, func(tx *sql.Tx) error {
		for _, tg := range p.Tags {
			if tg.Tag == "" {
				return fmt.Errorf("%s %q: empty tag", tg.Entity, tg.ID)
			}
			if err := entityExists(ctx, tx, tg.Entity, tg.ID); err != nil {
				return err
			}
			at := tg.CreatedAt
			if at.IsZero() {
				at = time.Now()
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO tags (entity, id, tag, proposal_id, created_at)
				VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, tg.Entity, tg.ID, tg.Tag, tg.ProposalID, encTime(at))
			if err != nil {
				return err
			}
			k, err := res.RowsAffected()
			if err != nil {
				return err
			}
			n += int(k)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("add tags: %w", err)
	}
	return n, nil
}

// TagsRemove removes tags by (entity, id, tag) and counts those removed.
func (q *queries) TagsRemove(ctx context.Context, p *store.TagsParams) (int, error) {
	n := 0
	err := q.writeTx(ctx, func(tx *sql.Tx) (err error) {
		n, err = execEach(ctx, tx, "DELETE FROM tags WHERE entity = ? AND id = ? AND tag = ?", p.Tags,
			func(tg store.Tag) []any { return []any{tg.Entity, tg.ID, tg.Tag} })
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("remove tags: %w", err)
	}
	return n, nil
}

// TagsList orders by (entity, id, tag).
func (q *queries) TagsList(ctx context.Context, p *store.TagsListParams) ([]store.Tag, error) {
	var w where
	if p.Entity != "" {
		w.add("entity = ?", p.Entity)
	}
	if p.ID != "" {
		w.add("id = ?", p.ID)
	}
	if p.Tag != "" {
		w.add("tag = ?", p.Tag)
	}
	out, err := list(ctx, q.read, func(r *sql.Rows) (store.Tag, error) {
		var tg store.Tag
		var at sql.NullString
		if err := r.Scan(&tg.Entity, &tg.ID, &tg.Tag, &tg.ProposalID, &at); err != nil {
			return tg, err
		}
		var err error
		tg.CreatedAt, err = decTime(at)
		return tg, err
	}, "SELECT entity, id, tag, proposal_id, created_at FROM tags"+w.String()+
		" ORDER BY entity, id, tag LIMIT ? OFFSET ?", w.page(p.Page)...)
	if err != nil {
		return nil, fmt.Errorf("list tags: %w", err)
	}
	return out, nil
}
