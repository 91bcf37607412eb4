package action

import (
	"context"
	"fmt"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// FixTemplate replaces a template's body or subject; undo restores the
// text it replaced.
type FixTemplate struct{}

var _ Executor = (*FixTemplate)(nil)

func init() { Register(&FixTemplate{}) }

func (*FixTemplate) Kind() proposal.Kind { return proposal.FixTemplate }

func (*FixTemplate) Preview(ctx context.Context, r store.Reader, a proposal.Action) ([]proposal.Change, error) {
	return previewFields(ctx, r, a.Targets, a.Param("field"), a.Param("value"))
}

func (*FixTemplate) Execute(ctx context.Context, q store.Queries, x Context, a proposal.Action) (Outcome, error) {
	field := a.Param("field")
	changes, err := setFields(ctx, q, a.Targets, field, a.Param("value"))
	if err != nil {
		return Outcome{}, err
	}
	return Outcome{Result: fmt.Sprintf("replaced the %s of template %s", field, a.Targets[0].ID), Undo: marshal(changes)}, nil
}

func (*FixTemplate) Undo(ctx context.Context, q store.Queries, x Context, undo []byte) error {
	return restoreFields(ctx, q, undo)
}
