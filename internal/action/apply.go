package action

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// Report says what Apply did.
type Report struct {
	Applied int // actions executed by this call
	Skipped int // actions found already executed (by an earlier call or another node)
	// Results has one line per action, by index: what this call did, or
	// what the earlier execution recorded.
	Results []string
}

// lookup finds the executor of a kind; For in production, a stand-in in
// tests that need an executor to fail on cue.
type lookup func(proposal.Kind) (Executor, bool)

// Preview runs every action's Preview; Change.Action is the action index.
func Preview(ctx context.Context, r store.Reader, p *proposal.Proposal) ([]proposal.Change, error) {
	out := []proposal.Change{}
	for i, a := range p.Actions {
		e, ok := For(a.Kind)
		if !ok {
			return nil, fmt.Errorf("preview action %d: %w", i, noExecutor(a.Kind))
		}
		changes, err := e.Preview(ctx, r, a)
		if err != nil {
			return nil, fmt.Errorf("preview action %d (%s): %w", i, a.Kind, err)
		}
		for _, c := range changes {
			c.Action = i
			out = append(out, c)
		}
	}
	return out, nil
}

// Apply executes every action of p exactly once. Each action runs in one
// transaction with its execution record and audit entry: an action found
// already recorded is skipped, and a crash anywhere leaves each action
// either fully applied and recorded or not at all, so running Apply again
// finishes the rest. Apply checks every action has an executor and is
// valid before it changes anything. It does not change p's status.
func Apply(ctx context.Context, st store.Store, p *proposal.Proposal, x Context) (*Report, error) {
	return applyGated(ctx, st, p, x, For, nil)
}

// Gate is asked, inside each action's transaction and just before the
// action runs, whether execution may go on: the kill switch, or an agent
// stopped meanwhile. An error stops Apply before that action; the actions
// before it stay applied, and a later Apply carries on from there, each
// action still exactly once. Asking inside the transaction means that
// once a pause is committed, no action that has not yet asked runs.
type Gate func(ctx context.Context, q store.Queries) error

// ApplyGated is Apply asking gate before every action it runs (not before
// actions found already executed).
func ApplyGated(ctx context.Context, st store.Store, p *proposal.Proposal, x Context, gate Gate) (*Report, error) {
	return applyGated(ctx, st, p, x, For, gate)
}

func apply(ctx context.Context, st store.Store, p *proposal.Proposal, x Context, find lookup) (*Report, error) {
	return applyGated(ctx, st, p, x, find, nil)
}

func applyGated(ctx context.Context, st store.Store, p *proposal.Proposal, x Context, find lookup, gate Gate) (*Report, error) {
	execs := make([]Executor, len(p.Actions))
	for i, a := range p.Actions {
		e, ok := find(a.Kind)
		if !ok {
			return nil, fmt.Errorf("proposal %s action %d: %w", p.ID, i, noExecutor(a.Kind))
		}
		if err := proposal.Validate(a); err != nil {
			return nil, fmt.Errorf("proposal %s action %d: %w", p.ID, i, err)
		}
		execs[i] = e
	}
	x = x.of(p)
	rep := &Report{Results: make([]string, len(p.Actions))}
	for i, a := range p.Actions {
		xi := x
		xi.Index = i
		skipped := false
		err := st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
			done, err := q.ExecutionGet(ctx, &store.ExecutionGetParams{Key: xi.Key()})
			if err == nil {
				skipped, rep.Results[i] = true, done.Result
				return nil
			}
			if !errors.Is(err, store.ErrNotFound) {
				return err
			}
			if gate != nil {
				if err := gate(ctx, q); err != nil {
					return err
				}
			}
			out, err := execs[i].Execute(ctx, q, xi, a)
			if err != nil {
				return err
			}
			rep.Results[i] = out.Result
			if err := pushesAfterExecute(ctx, q, xi, execs[i], a, out.Undo); err != nil {
				return err
			}
			if err := q.ExecutionRecord(ctx, &store.ExecutionRecordParams{Execution: store.Execution{
				Key: xi.Key(), ProposalID: p.ID, Action: i, Kind: a.Kind, Actor: x.Actor,
				Result: out.Result, Undo: out.Undo, ExecutedAt: x.Now,
			}}); err != nil {
				return err
			}
			return audit.Append(ctx, q, audit.Entry{Actor: x.Actor, Action: "execution.done",
				Subject: "proposal:" + p.ID, At: x.Now, Data: map[string]any{
					"action": i, "kind": a.Kind, "key": xi.Key(), "result": out.Result,
					"skill": p.Skill, "agent": p.Agent,
				}})
		})
		switch {
		case errors.Is(err, store.ErrConflict):
			// Another node recorded this action between our check and our
			// record; our transaction, effect included, was rolled back.
			skipped, rep.Results[i] = true, "already executed elsewhere"
		case err != nil:
			return rep, fmt.Errorf("proposal %s action %d (%s): %w", p.ID, i, a.Kind, err)
		}
		if skipped {
			rep.Skipped++
		} else {
			rep.Applied++
		}
	}
	return rep, nil
}

// UndoAll undoes the executed actions of p, last first, each in one
// transaction with its ExecutionUndone mark and an "execution.undone"
// audit entry. It first checks that every executed action can be undone
// and returns ErrNotUndoable (naming the action) before changing anything
// when one cannot. Actions already undone are left alone, so UndoAll can
// be run again after a crash.
func UndoAll(ctx context.Context, st store.Store, p *proposal.Proposal, x Context) error {
	return undoAll(ctx, st, p, x, For)
}

func undoAll(ctx context.Context, st store.Store, p *proposal.Proposal, x Context, find lookup) error {
	done, err := st.ExecutionsList(ctx, &store.ExecutionsListParams{ProposalID: p.ID})
	if err != nil {
		return fmt.Errorf("undo proposal %s: %w", p.ID, err)
	}
	var todo []store.Execution
	execs := map[string]Executor{}
	for _, e := range done {
		if !e.UndoneAt.IsZero() {
			continue
		}
		spec, _ := proposal.SpecOf(e.Kind)
		if !spec.Undoable {
			return fmt.Errorf("undo proposal %s: action %d (%s) %w; nothing was undone", p.ID, e.Action, e.Kind, ErrNotUndoable)
		}
		ex, ok := find(e.Kind)
		if !ok {
			return fmt.Errorf("undo proposal %s action %d: %w", p.ID, e.Action, noExecutor(e.Kind))
		}
		todo, execs[e.Key] = append(todo, e), ex
	}
	x = x.of(p)
	for i := len(todo) - 1; i >= 0; i-- {
		e := todo[i]
		xi := x
		xi.Index = e.Action
		err := st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
			cur, err := q.ExecutionGet(ctx, &store.ExecutionGetParams{Key: e.Key})
			if err != nil {
				return err
			}
			if !cur.UndoneAt.IsZero() {
				return nil // undone meanwhile
			}
			if err := execs[e.Key].Undo(ctx, q, xi, cur.Undo); err != nil {
				return err
			}
			if err := pushesAfterUndo(ctx, q, xi, execs[e.Key], cur.Undo); err != nil {
				return err
			}
			if err := q.ExecutionUndone(ctx, &store.ExecutionUndoneParams{Key: e.Key, At: x.Now, By: x.Actor}); err != nil {
				return err
			}
			return audit.Append(ctx, q, audit.Entry{Actor: x.Actor, Action: "execution.undone",
				Subject: "proposal:" + p.ID, At: x.Now, Data: map[string]any{
					"action": e.Action, "kind": e.Kind, "key": e.Key, "result": e.Result,
				}})
		})
		if err != nil && !errors.Is(err, store.ErrConflict) {
			return fmt.Errorf("undo proposal %s action %d (%s): %w", p.ID, e.Action, e.Kind, err)
		}
	}
	return nil
}

// of fills x from p, and Now when the caller left it zero.
func (x Context) of(p *proposal.Proposal) Context {
	x.ProposalID, x.Skill, x.Agent = p.ID, p.Skill, p.Agent
	if x.Now.IsZero() {
		x.Now = time.Now()
	}
	x.Now = x.Now.UTC().Truncate(time.Microsecond)
	return x
}
