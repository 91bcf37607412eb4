package action

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// CreateTask creates a task for an owner (the agent's owner when the
// action names none). The task id is the action's key, so a retried
// action finds its task instead of creating a second; undo deletes it.
type CreateTask struct{}

var _ Executor = (*CreateTask)(nil)

func init() { Register(&CreateTask{}) }

func (*CreateTask) Kind() proposal.Kind { return proposal.CreateTask }

// taskTarget is what a task's preview line is about: its first target,
// or the owner who gets it.
func taskTarget(a proposal.Action, owner string) proposal.Target {
	if len(a.Targets) > 0 {
		return a.Targets[0]
	}
	return proposal.Target{Type: proposal.TargetOwner, ID: owner}
}

func (*CreateTask) Preview(ctx context.Context, r store.Reader, a proposal.Action) ([]proposal.Change, error) {
	if _, err := parseDue(a.Param("due")); err != nil {
		return nil, err
	}
	owner := a.Param("owner_id")
	if owner == "" {
		owner = "the agent's owner"
	}
	return []proposal.Change{{Target: taskTarget(a, owner), Field: "task", After: a.Param("title") + " (for " + owner + ")"}}, nil
}

func (*CreateTask) Execute(ctx context.Context, q store.Queries, x Context, a proposal.Action) (Outcome, error) {
	due, err := parseDue(a.Param("due"))
	if err != nil {
		return Outcome{}, err
	}
	owner := a.Param("owner_id")
	if owner == "" {
		owner = x.Owner
	}
	targets := make([]string, len(a.Targets))
	for i, t := range a.Targets {
		targets[i] = t.String()
	}
	task := store.Task{ID: x.Key(), Title: a.Param("title"), OwnerID: owner, Due: due, Note: a.Param("note"),
		Targets: targets, ProposalID: x.ProposalID, Status: "open", CreatedAt: x.Now}
	if err := q.TasksInsert(ctx, &store.TasksInsertParams{Tasks: []store.Task{task}}); err != nil {
		return Outcome{}, err
	}
	return Outcome{Result: fmt.Sprintf("created task %q for %s", task.Title, owner), Undo: marshal([]string{task.ID})}, nil
}

func (*CreateTask) Undo(ctx context.Context, q store.Queries, x Context, undo []byte) error {
	var ids []string
	if err := json.Unmarshal(undo, &ids); err != nil {
		return fmt.Errorf("read undo data: %w", err)
	}
	_, err := q.TasksDelete(ctx, &store.TasksDeleteParams{IDs: ids})
	return err
}

func parseDue(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		return time.Time{}, fmt.Errorf("create_task: due %q is not a date (YYYY-MM-DD)", s)
	}
	return d, nil
}
