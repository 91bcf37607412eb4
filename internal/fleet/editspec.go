package fleet

import (
	"errors"
	"fmt"
	"slices"

	"github.com/towerops/tower/internal/proposal"
)

// ErrBadEdit is returned (wrapped) for an edit that does not fit the
// proposal: a target it does not have, an action number out of range.
var ErrBadEdit = errors.New("the edit does not fit the proposal")

// EditSpec is a person's edit of a pending proposal, as the command line
// and the API take it: targets to leave out and parameters to set.
type EditSpec struct {
	// DropTargets are "TYPE:ID" (person:42, record:crm:123).
	DropTargets []string
	SetParams   []ParamSet
}

// ParamSet sets one parameter of one action.
type ParamSet struct {
	Action int // numbered from 1, as "tower proposals show" numbers them
	Name   string
	Value  any
}

// Change is the change Lifecycle.Edit applies. An action that loses all
// its targets is dropped; a target or action the proposal does not have
// is an error, so a typo never goes unnoticed.
func (e EditSpec) Change(p *proposal.Proposal) error {
	for _, s := range e.SetParams {
		if s.Action < 1 || s.Action > len(p.Actions) || s.Name == "" {
			return fmt.Errorf("%w: set %d.%s: the proposal has %d action(s), numbered from 1", ErrBadEdit, s.Action, s.Name, len(p.Actions))
		}
		a := &p.Actions[s.Action-1]
		if a.Params == nil {
			a.Params = map[string]any{}
		}
		a.Params[s.Name] = s.Value
	}
	emptied := make([]bool, len(p.Actions))
	for _, d := range e.DropTargets {
		found := false
		for i := range p.Actions {
			before := len(p.Actions[i].Targets)
			p.Actions[i].Targets = slices.DeleteFunc(p.Actions[i].Targets, func(t proposal.Target) bool { return t.String() == d })
			if len(p.Actions[i].Targets) < before {
				found = true
				emptied[i] = len(p.Actions[i].Targets) == 0
			}
		}
		if !found {
			return fmt.Errorf("%w: drop %s: the proposal has no such target", ErrBadEdit, d)
		}
	}
	kept := p.Actions[:0]
	for i, a := range p.Actions {
		if !emptied[i] {
			kept = append(kept, a)
		}
	}
	p.Actions = kept
	return nil
}
