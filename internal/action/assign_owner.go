package action

import (
	"context"
	"fmt"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// AssignOwner gives accounts to an owner. The owner must exist (FieldSet
// checks); undo gives each account back to its previous owner.
type AssignOwner struct{}

var _ Executor = (*AssignOwner)(nil)

func init() { Register(&AssignOwner{}) }

func (*AssignOwner) Kind() proposal.Kind { return proposal.AssignOwner }

func (*AssignOwner) Preview(ctx context.Context, r store.Reader, a proposal.Action) ([]proposal.Change, error) {
	return previewFields(ctx, r, a.Targets, "owner_id", a.Param("owner_id"))
}

func (*AssignOwner) Execute(ctx context.Context, q store.Queries, x Context, a proposal.Action) (Outcome, error) {
	owner := a.Param("owner_id")
	changes, err := setFields(ctx, q, a.Targets, "owner_id", owner)
	if err != nil {
		return Outcome{}, err
	}
	return Outcome{Result: fmt.Sprintf("assigned %d %s to owner %s", len(changes), plural(len(changes), "account"), owner),
		Undo: marshal(changes)}, nil
}

func (*AssignOwner) Undo(ctx context.Context, q store.Queries, x Context, undo []byte) error {
	return restoreFields(ctx, q, undo)
}
