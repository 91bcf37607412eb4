package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/store"
)

// TasksInsert creates tasks. A task whose id is already stored is left as
// it is (it may have been done meanwhile): ids come from action keys, so
// this is a retry of the same action, not a new task.
func (q *queries) TasksInsert(ctx context.Context, p *store.TasksInsertParams) error {
	err := q.writeTx(ctx, func(tx *sql.Tx) error {
		for _, t := range p.Tasks {
			if t.ID == "" || t.Title == "" {
				return fmt.Errorf("task %q: needs an id and a title", t.ID)
			}
			targets, err := encList(t.Targets)
			if err != nil {
				return err
			}
			status := t.Status
			if status == "" {
				status = "open"
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO tasks (id, title, owner_id, due, note, targets, proposal_id, status, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
				t.ID, t.Title, t.OwnerID, encTime(t.Due), t.Note, targets, t.ProposalID, status, encTime(nowIfZero(t.CreatedAt)))
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("create tasks: %w", err)
	}
	return nil
}

// TasksDelete removes tasks by id.
func (q *queries) TasksDelete(ctx context.Context, p *store.TasksDeleteParams) (int, error) {
	n := 0
	err := q.writeTx(ctx, func(tx *sql.Tx) (err error) {
		n, err = execEach(ctx, tx, "DELETE FROM tasks WHERE id = ?", p.IDs, func(id string) []any { return []any{id} })
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("delete tasks: %w", err)
	}
	return n, nil
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
	out, err := list(ctx, q.read, func(r *sql.Rows) (store.Task, error) {
		var t store.Task
		var due, at sql.NullString
		var targets string
		if err := r.Scan(&t.ID, &t.Title, &t.OwnerID, &due, &t.Note, &targets, &t.ProposalID, &t.Status, &at); err != nil {
			return t, err
		}
		var err1, err2, err3 error
		t.Due, err1 = decTime(due)
		t.CreatedAt, err2 = decTime(at)
		t.Targets, err3 = decList(targets)
		return t, errors.Join(err1, err2, err3)
	}, "SELECT id, title, owner_id, due, note, targets, proposal_id, status, created_at FROM tasks"+w.String()+
		" ORDER BY due IS NULL, due, id LIMIT ? OFFSET ?", w.page(p.Page)...)
	if err != nil {
		return nil, fmt.Errorf("list tasks: %w", err)
	}
	return out, nil
}

// NotificationsInsert queues notifications; an id already queued is left
// alone (a retried action must not send twice).
func (q *queries) NotificationsInsert(ctx context.Context, p *store.NotificationsInsertParams) error {
	err := q.writeTx(ctx, func(tx *sql.Tx) error {
		for _, n := range p.Notifications {
			if n.ID == "" || n.To == "" || n.Message == "" {
				return fmt.Errorf("notification %q: needs an id, a recipient and a message", n.ID)
			}
			targets, err := encList(n.Targets)
			if err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO notifications (id, recipient, message, targets, proposal_id, created_at, sent_at)
				VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
				n.ID, n.To, n.Message, targets, n.ProposalID, encTime(nowIfZero(n.CreatedAt)), encTime(n.SentAt))
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("queue notifications: %w", err)
	}
	return nil
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
		w.add("sent_at IS NULL")
	}
	out, err := list(ctx, q.read, func(r *sql.Rows) (store.Notification, error) {
		var n store.Notification
		var at, sent sql.NullString
		var targets string
		if err := r.Scan(&n.ID, &n.To, &n.Message, &targets, &n.ProposalID, &at, &sent); err != nil {
			return n, err
		}
		var err1, err2, err3 error
		n.CreatedAt, err1 = decTime(at)
		n.SentAt, err2 = decTime(sent)
		n.Targets, err3 = decList(targets)
		return n, errors.Join(err1, err2, err3)
	}, "SELECT id, recipient, message, targets, proposal_id, created_at, sent_at FROM notifications"+w.String()+
		" ORDER BY created_at, id LIMIT ? OFFSET ?", w.page(p.Page)...)
	if err != nil {
		return nil, fmt.Errorf("list notifications: %w", err)
	}
	return out, nil
}

func nowIfZero(t time.Time) time.Time {
	if t.IsZero() {
		return time.Now()
	}
	return t
}

// encList stores a list of strings as a JSON array ("[]" for none).
func encList(l []string) (string, error) {
	if len(l) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(l)
	if err != nil {
		return "", fmt.Errorf("targets: %w", err)
	}
	return string(b), nil
}

func decList(s string) ([]string, error) {
	var l []string
	if s == "" {
		return nil, nil
	}
	if err := json.Unmarshal([]byte(s), &l); err != nil {
		return nil, fmt.Errorf("stored targets: %w", err)
	}
	if len(l) == 0 {
		return nil, nil
	}
	return l, nil
}
