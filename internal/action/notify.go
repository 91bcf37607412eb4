package action

import (
	"context"
	"fmt"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// Notify queues a message for the briefing channels, to the agent's owner
// when the action names nobody. The notification id is the action's key,
// so a retry never queues it twice. It cannot be undone: a message sent
// cannot be unsent.
type Notify struct{}

var _ Executor = (*Notify)(nil)

func init() { Register(&Notify{}) }

func (*Notify) Kind() proposal.Kind { return proposal.Notify }

func (*Notify) Preview(ctx context.Context, r store.Reader, a proposal.Action) ([]proposal.Change, error) {
	to := a.Param("to")
	if to == "" {
		to = "the agent's owner"
	}
	return []proposal.Change{{Target: taskTarget(a, to), Field: "notification", After: "to " + to + ": " + a.Param("message")}}, nil
}

func (*Notify) Execute(ctx context.Context, q store.Queries, x Context, a proposal.Action) (Outcome, error) {
	to := a.Param("to")
	if to == "" {
		to = x.Owner
	}
	if to == "" {
		return Outcome{}, fmt.Errorf("notify: the action names nobody and the agent %q has no owner", x.Agent)
	}
	targets := make([]string, len(a.Targets))
	for i, t := range a.Targets {
		targets[i] = t.String()
	}
	n := store.Notification{ID: x.Key(), To: to, Message: a.Param("message"), Targets: targets,
		ProposalID: x.ProposalID, CreatedAt: x.Now}
	if err := q.NotificationsInsert(ctx, &store.NotificationsInsertParams{Notifications: []store.Notification{n}}); err != nil {
		return Outcome{}, err
	}
	return Outcome{Result: "queued a notification to " + to}, nil
}

func (*Notify) Undo(ctx context.Context, q store.Queries, x Context, undo []byte) error {
	return fmt.Errorf("notify: %w: a message sent cannot be unsent", ErrNotUndoable)
}
