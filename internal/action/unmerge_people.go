package action

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// UnmergePeople splits a merge made by an earlier proposal: only that
// merge's own record moves say which records each person had, so the
// action names the proposal (merge_proposal) and its targets must be the
// people of that merge. It marks the merge's execution undone in the same
// transaction, so undoing the merge proposal afterwards finds nothing left
// to undo. It cannot itself be undone: merge them again with a new
// proposal.
type UnmergePeople struct{}

var (
	_ Executor = (*UnmergePeople)(nil)
	_ Pusher   = (*UnmergePeople)(nil)
)

func init() { Register(&UnmergePeople{}) }

func (*UnmergePeople) Kind() proposal.Kind { return proposal.UnmergePeople }

// mergeOf finds the merge execution a's merge_proposal made (undone or
// not) and checks a's targets are its people.
func mergeOf(ctx context.Context, r executionLister, a proposal.Action) (*store.Execution, *store.PeopleMergeResult, error) {
	id := a.Param("merge_proposal")
	execs, err := r.ExecutionsList(ctx, &store.ExecutionsListParams{ProposalID: id})
	if err != nil {
		return nil, nil, fmt.Errorf("read the executions of %s: %w", id, err)
	}
	for _, e := range execs {
		if e.Kind != proposal.MergePeople {
			continue
		}
		var res store.PeopleMergeResult
		if err := json.Unmarshal(e.Undo, &res); err != nil {
			return nil, nil, fmt.Errorf("read the merge of %s: %w", id, err)
		}
		people := append([]int64{res.Into}, res.From...)
		for _, t := range a.Targets {
			n, err := strconv.ParseInt(t.ID, 10, 64)
			if err != nil || !slices.Contains(people, n) {
				return nil, nil, fmt.Errorf("unmerge_people: person %s was not part of the merge made by proposal %s", t.ID, id)
			}
		}
		return &e, &res, nil
	}
	return nil, nil, fmt.Errorf("unmerge_people: proposal %s merged nobody: %w", id, store.ErrNotFound)
}

// executionLister reads a proposal's executions (store.Runtime).
type executionLister interface {
	ExecutionsList(ctx context.Context, p *store.ExecutionsListParams) ([]store.Execution, error)
}

func (*UnmergePeople) Preview(ctx context.Context, r store.Reader, a proposal.Action) ([]proposal.Change, error) {
	l, ok := r.(executionLister)
	if !ok {
		return nil, errors.New("unmerge_people: this reader cannot see executions")
	}
	_, res, err := mergeOf(ctx, l, a)
	if err != nil {
		return nil, err
	}
	// Read the current state, so a preview after the split shows nothing
	// left to change (and measuring it finds the split in place).
	var out []proposal.Change
	for _, from := range res.From {
		d, err := r.PersonGet(ctx, &store.PersonGetParams{ID: from})
		if err != nil {
			return nil, err
		}
		out = append(out, proposal.Change{Target: proposal.Target{Type: proposal.TargetPerson, ID: strconv.FormatInt(from, 10)},
			Field: "merged_into", Before: idText(d.Person.MergedInto), After: ""})
	}
	for _, m := range res.Moves {
		rec, err := findRecord(ctx, r, proposal.RecordID(m.System, m.SystemID), "")
		if err != nil {
			return nil, err
		}
		out = append(out, proposal.Change{Target: proposal.RecordTarget(m.System, m.SystemID, ""), Field: "person",
			Before: idText(rec.PersonID), After: strconv.FormatInt(m.FromPerson, 10)})
	}
	return out, nil
}

func (*UnmergePeople) Execute(ctx context.Context, q store.Queries, x Context, a proposal.Action) (Outcome, error) {
	e, res, err := mergeOf(ctx, q, a)
	if err != nil {
		return Outcome{}, err
	}
	if !e.UndoneAt.IsZero() {
		return Outcome{}, fmt.Errorf("unmerge_people: the merge of proposal %s was already split on %s by %s",
			e.ProposalID, e.UndoneAt.Format("2006-01-02 15:04"), e.UndoneBy)
	}
	if err := q.PeopleUnmerge(ctx, &store.PeopleUnmergeParams{Merge: *res}); err != nil {
		return Outcome{}, err
	}
	if err := q.ExecutionUndone(ctx, &store.ExecutionUndoneParams{Key: e.Key, At: x.Now, By: x.Actor}); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return Outcome{}, fmt.Errorf("unmerge_people: the merge of proposal %s was split meanwhile: %w", e.ProposalID, err)
		}
		return Outcome{}, err
	}
	return Outcome{Result: fmt.Sprintf("split the merge of proposal %s: %d %s back with their people", e.ProposalID,
		len(res.Moves), plural(len(res.Moves), "record")), Undo: marshal(res)}, nil
}

func (*UnmergePeople) Undo(ctx context.Context, q store.Queries, x Context, undo []byte) error {
	return fmt.Errorf("unmerge_people %w: propose merging the people again instead", ErrNotUndoable)
}

// Pushes asks each system to split what the merge merged there.
func (*UnmergePeople) Pushes(ctx context.Context, q store.Queries, a proposal.Action, undo []byte) ([]Push, error) {
	return mergePushes(ctx, q, undo, "unmerge")
}

// UndoPushes is never called: unmerge_people is not undoable.
func (*UnmergePeople) UndoPushes(ctx context.Context, q store.Queries, undo []byte) ([]Push, error) {
	return nil, nil
}
