package action

import (
	"context"
	"fmt"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// UpdateField sets one field (or traits.NAME) of people, records,
// accounts or campaigns. Undo puts back each target's value from before.
type UpdateField struct{}

var _ Executor = (*UpdateField)(nil)

func init() { Register(&UpdateField{}) }

func (*UpdateField) Kind() proposal.Kind { return proposal.UpdateField }

func (*UpdateField) Preview(ctx context.Context, r store.Reader, a proposal.Action) ([]proposal.Change, error) {
	return previewFields(ctx, r, a.Targets, a.Param("field"), paramText(a, "value"))
}

func (*UpdateField) Execute(ctx context.Context, q store.Queries, x Context, a proposal.Action) (Outcome, error) {
	field, value := a.Param("field"), paramText(a, "value")
	changes, err := setFields(ctx, q, a.Targets, field, value)
	if err != nil {
		return Outcome{}, err
	}
	return Outcome{Result: fmt.Sprintf("set %s to %q on %d %s", field, value, len(changes), plural(len(changes), "target")),
		Undo: marshal(changes)}, nil
}

func (*UpdateField) Undo(ctx context.Context, q store.Queries, x Context, undo []byte) error {
	return restoreFields(ctx, q, undo)
}

// plural returns word, with an s unless n is 1.
func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
