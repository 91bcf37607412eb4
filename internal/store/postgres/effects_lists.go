package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// ConsentDelete removes consent facts by the natural key ConsentUpsert
// writes them on: (system, system_id, normalised e-mail, channel, status,
// at). Undoing a suppression removes exactly the facts it wrote.
func (q *queries) ConsentDelete(ctx context.Context, p *store.ConsentDeleteParams) (int, error) {
	n := 0
	err := q.batch(ctx, "delete consent", nil, func(tx pgx.Tx) error {
		n = 0
		for _, c := range p.Consents {
			tag, err := tx.Exec(ctx, `DELETE FROM consent WHERE system = $1 AND system_id = $2 AND email = $3
				AND channel = $4 AND status = $5 AND at IS NOT DISTINCT FROM $6`,
				c.System, c.SystemID, foundation.NormalizeEmail(c.Email), string(c.Channel), string(c.Status), timeParam(c.At))
			if err != nil {
				return err
			}
			n += int(tag.RowsAffected())
		}
		return nil
	})
	return n, err
}

// TagsAdd adds tags to stored entities; a tag already there is left alone
// and not counted. A tag on an entity that does not exist is ErrNotFound.
func (q *queries) TagsAdd(ctx context.Context, p *store.TagsParams) (int, error) {
	n := 0
	err := q.batch(ctx, "add tags", nil, func(tx pgx.Tx) error {
		n = 0
		for _, tg := range p.Tags {
			if tg.Tag == "" {
				return fmt.Errorf("%s %q: empty tag", tg.Entity, tg.ID)
			}
			if err := entityExists(ctx, tx, tg.Entity, tg.ID); err != nil {
				return err
			}
			tag, err := tx.Exec(ctx, `INSERT INTO tags (entity, id, tag, proposal_id, created_at)
				VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
				tg.Entity, tg.ID, tg.Tag, tg.ProposalID, nowIfZero(tg.CreatedAt))
			if err != nil {
				return err
			}
			n += int(tag.RowsAffected())
		}
		return nil
	})
	return n, err
}

// TagsRemove removes tags by (entity, id, tag) and counts those removed.
func (q *queries) TagsRemove(ctx context.Context, p *store.TagsParams) (int, error) {
	n := 0
	err := q.batch(ctx, "remove tags", nil, func(tx pgx.Tx) error {
		n = 0
		for _, tg := range p.Tags {
			tag, err := tx.Exec(ctx, "DELETE FROM tags WHERE entity = $1 AND id = $2 AND tag = $3", tg.Entity, tg.ID, tg.Tag)
			if err != nil {
				return err
			}
			n += int(tag.RowsAffected())
		}
		return nil
	})
	return n, err
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
	s, args := w.sql("entity, id, tag", p.Page)
	return collect(ctx, q.db, "list tags", "SELECT entity, id, tag, proposal_id, created_at FROM tags"+s, args,
		func(row pgx.CollectableRow) (store.Tag, error) {
			var tg store.Tag
			err := row.Scan(&tg.Entity, &tg.ID, &tg.Tag, &tg.ProposalID, &tg.CreatedAt)
			tg.CreatedAt = tg.CreatedAt.UTC()
			return tg, err
		})
}

// TasksInsert creates tasks. A task whose id is already stored is left as
// it is (it may have been done meanwhile): ids come from action keys, so
// this is a retry of the same action, not a new task.
func (q *queries) TasksInsert(ctx context.Context, p *store.TasksInsertParams) error {
	return q.batch(ctx, "create tasks", nil, func(tx pgx.Tx) error {
		for _, t := range p.Tasks {
			if t.ID == "" || t.Title == "" {
				return fmt.Errorf("task %q: needs an id and a title", t.ID)
			}
			targets, err := listParam(t.Targets)
			if err != nil {
				return err
			}
			status := t.Status
			if status == "" {
				status = "open"
			}
			_, err = tx.Exec(ctx, `INSERT INTO tasks (id, title, owner_id, due, note, targets, proposal_id, status, created_at)
				VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
				t.ID, t.Title, t.OwnerID, timeParam(t.Due), t.Note, targets, t.ProposalID, status, nowIfZero(t.CreatedAt))
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// TasksDelete removes tasks by id.
func (q *queries) TasksDelete(ctx context.Context, p *store.TasksDeleteParams) (int, error) {
	n := 0
	err := q.batch(ctx, "delete tasks", nil, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, "DELETE FROM tasks WHERE id = ANY($1::text[])", p.IDs)
		n = int(tag.RowsAffected())
		return err
	})
	return n, err
}

// TasksList orders by (due, id), tasks without a due date last.
func (q *queries) TasksList(ctx context.Context, p *store.TasksListParams) ([]store.Task, error) {
	var w where
	if p.OwnerID != "" {
		w.add("owner_id = ?", p.OwnerID)
	}
	if p.ProposalID != "" {
		w.add("proposal_id = ?", p.ProposalID)
	}
	s, args := w.sql("due NULLS LAST, id", p.Page)
	return collect(ctx, q.db, "list tasks", `SELECT id, title, owner_id, due, note, targets::text, proposal_id, status, created_at
		FROM tasks`+s, args, func(row pgx.CollectableRow) (store.Task, error) {
		var t store.Task
		var due *time.Time
		var targets string
		if err := row.Scan(&t.ID, &t.Title, &t.OwnerID, &due, &t.Note, &targets, &t.ProposalID, &t.Status, &t.CreatedAt); err != nil {
			return t, err
		}
		t.Due, t.CreatedAt = timeOf(due), t.CreatedAt.UTC()
		var err error
		t.Targets, err = listOf(targets)
		return t, err
	})
}

// NotificationsInsert queues notifications; an id already queued is left
// alone (a retried action must not send twice).
func (q *queries) NotificationsInsert(ctx context.Context, p *store.NotificationsInsertParams) error {
	return q.batch(ctx, "queue notifications", nil, func(tx pgx.Tx) error {
		for _, n := range p.Notifications {
			if n.ID == "" || n.To == "" || n.Message == "" {
				return fmt.Errorf("notification %q: needs an id, a recipient and a message", n.ID)
			}
			targets, err := listParam(n.Targets)
			if err != nil {
				return err
			}
			_, err = tx.Exec(ctx, `INSERT INTO notifications (id, recipient, message, targets, proposal_id, created_at, sent_at)
				VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
				n.ID, n.To, n.Message, targets, n.ProposalID, nowIfZero(n.CreatedAt), timeParam(n.SentAt))
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// NotificationsList orders oldest first, (created_at, id): the order to
// deliver them in.
func (q *queries) NotificationsList(ctx context.Context, p *store.NotificationsListParams) ([]store.Notification, error) {
	var w where
	if p.To != "" {
		w.add("recipient = ?", p.To)
	}
	if p.ProposalID != "" {
		w.add("proposal_id = ?", p.ProposalID)
	}
	if p.Unsent {
		w.conds = append(w.conds, "sent_at IS NULL")
	}
	s, args := w.sql("created_at, id", p.Page)
	return collect(ctx, q.db, "list notifications", `SELECT id, recipient, message, targets::text, proposal_id, created_at, sent_at
		FROM notifications`+s, args, func(row pgx.CollectableRow) (store.Notification, error) {
		var n store.Notification
		var sent *time.Time
		var targets string
		if err := row.Scan(&n.ID, &n.To, &n.Message, &targets, &n.ProposalID, &n.CreatedAt, &sent); err != nil {
			return n, err
		}
		n.SentAt, n.CreatedAt = timeOf(sent), n.CreatedAt.UTC()
		var err error
		n.Targets, err = listOf(targets)
		return n, err
	})
}

func nowIfZero(t time.Time) time.Time {
	if t.IsZero() {
		return time.Now().UTC()
	}
	return t.UTC()
}

// listParam encodes a list of strings as a JSON array ("[]" for none).
func listParam(l []string) (string, error) {
	if len(l) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(l)
	if err != nil {
		return "", fmt.Errorf("targets: %w", err)
	}
	return string(b), nil
}

func listOf(s string) ([]string, error) {
	var l []string
	if err := json.Unmarshal([]byte(s), &l); err != nil {
		return nil, fmt.Errorf("stored targets: %w", err)
	}
	if len(l) == 0 {
		return nil, nil
	}
	return l, nil
}
