package action

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// Context is what an executor knows about the action it applies.
type Context struct {
	ProposalID string
	Index      int // the action's index in the proposal
	Skill      string
	Agent      string
	// Owner is the agent's owner: who gets tasks and notifications that
	// name nobody else.
	Owner string
	// Actor is who cleared it: "user:NAME" or "autonomy:LEVEL".
	Actor string
	Now   time.Time
	// Outbox, when set, receives a delivery for every change made to a
	// record of a connected system (see Pusher).
	Outbox Outbox
}

// Key is the idempotency key of the action (proposal.ActionKey). Executors
// derive the ids of rows they create from it, so a retry cannot duplicate.
func (x Context) Key() string { return proposal.ActionKey(x.ProposalID, x.Index) }

// Outcome is what an executed action leaves behind.
type Outcome struct {
	Result string // for people: "paused campaign C-001"
	Undo   []byte // JSON the executor's Undo reads; nil when not undoable
}

// Executor applies one action kind.
type Executor interface {
	Kind() proposal.Kind
	// Preview says what Execute would change, field by field, reading only.
	Preview(ctx context.Context, r store.Reader, a proposal.Action) ([]proposal.Change, error)
	// Execute applies the action through q (inside a transaction the caller owns).
	Execute(ctx context.Context, q store.Queries, x Context, a proposal.Action) (Outcome, error)
	// Undo reverses an Execute from its Outcome.Undo; ErrNotUndoable for kinds that cannot.
	Undo(ctx context.Context, q store.Queries, x Context, undo []byte) error
}

var (
	// ErrNotUndoable is returned for an action whose effect cannot be
	// reversed (a notification sent cannot be unsent).
	ErrNotUndoable = errors.New("cannot be undone")
	// ErrNoExecutor is returned (wrapped, naming the kind) for an action
	// kind no executor carries out yet.
	ErrNoExecutor = errors.New("no executor for this action kind")
)

// missing says, for kinds without an executor, what to do instead.
var missing = map[proposal.Kind]string{
	proposal.CreateSegment: "segments are not stored yet; create it in the source system for now",
}

var (
	mu        sync.RWMutex
	executors = map[proposal.Kind]Executor{}
)

// Register makes e the executor of its kind. Executors call it in init;
// a second executor for one kind is a programming error and panics.
func Register(e Executor) {
	mu.Lock()
	defer mu.Unlock()
	k := e.Kind()
	if _, dup := executors[k]; dup {
		panic(fmt.Sprintf("action: second executor registered for %q", k))
	}
	executors[k] = e
}

// For returns the executor of kind k.
func For(k proposal.Kind) (Executor, bool) {
	mu.RLock()
	defer mu.RUnlock()
	e, ok := executors[k]
	return e, ok
}

// noExecutor is ErrNoExecutor for kind k, with what to do instead.
func noExecutor(k proposal.Kind) error {
	if hint, ok := missing[k]; ok {
		return fmt.Errorf("%w: %s: %s", ErrNoExecutor, k, hint)
	}
	return fmt.Errorf("%w: %s", ErrNoExecutor, k)
}
