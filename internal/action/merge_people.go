package action

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// MergePeople merges the other target people into the first. Consent
// facts stay on their records, so the merged person keeps the strictest
// suppression of its parts. Undo splits them again from the record moves
// the merge returned. (There is no separate unmerge_people executor: only
// the merge's own moves say which records each person had.)
type MergePeople struct{}

var _ Executor = (*MergePeople)(nil)

func init() { Register(&MergePeople{}) }

func (*MergePeople) Kind() proposal.Kind { return proposal.MergePeople }

func mergeParams(a proposal.Action) (*store.PeopleMergeParams, error) {
	p := &store.PeopleMergeParams{}
	for i, t := range a.Targets {
		id, err := strconv.ParseInt(t.ID, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("merge_people: person %q: %w", t.ID, store.ErrNotFound)
		}
		if i == 0 {
			p.Into = id
		} else {
			p.From = append(p.From, id)
		}
	}
	return p, nil
}

func (*MergePeople) Preview(ctx context.Context, r store.Reader, a proposal.Action) ([]proposal.Change, error) {
	p, err := mergeParams(a)
	if err != nil {
		return nil, err
	}
	into := strconv.FormatInt(p.Into, 10)
	if _, err := r.PersonGet(ctx, &store.PersonGetParams{ID: p.Into}); err != nil {
		return nil, err
	}
	var out []proposal.Change
	for i, from := range p.From {
		d, err := r.PersonGet(ctx, &store.PersonGetParams{ID: from})
		if err != nil {
			return nil, err
		}
		t := a.Targets[i+1]
		out = append(out, proposal.Change{Target: t, Field: "merged_into", Before: idText(d.Person.MergedInto), After: into})
		for _, rec := range d.Records {
			out = append(out, proposal.Change{Target: proposal.RecordTarget(rec.System, rec.SystemID, rec.Email),
				Field: "person", Before: t.ID, After: into})
		}
	}
	return out, nil
}

func idText(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

func (*MergePeople) Execute(ctx context.Context, q store.Queries, x Context, a proposal.Action) (Outcome, error) {
	p, err := mergeParams(a)
	if err != nil {
		return Outcome{}, err
	}
	res, err := q.PeopleMerge(ctx, p)
	if err != nil {
		return Outcome{}, err
	}
	return Outcome{Result: fmt.Sprintf("merged %d %s into person %d (%d %s moved)", len(p.From), peopleWord(len(p.From)),
		p.Into, len(res.Moves), plural(len(res.Moves), "record")), Undo: marshal(res)}, nil
}

func (*MergePeople) Undo(ctx context.Context, q store.Queries, x Context, undo []byte) error {
	var res store.PeopleMergeResult
	if err := json.Unmarshal(undo, &res); err != nil {
		return fmt.Errorf("read undo data: %w", err)
	}
	return q.PeopleUnmerge(ctx, &store.PeopleUnmergeParams{Merge: res})
}

func peopleWord(n int) string {
	if n == 1 {
		return "person"
	}
	return "people"
}
