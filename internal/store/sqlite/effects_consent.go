package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// ConsentDelete removes consent facts by the natural key ConsentUpsert
// writes them on: (system, system_id, normalised e-mail, channel, status,
// at). Undoing a suppression removes exactly the facts it wrote.
func (q *queries) ConsentDelete(ctx context.Context, p *store.ConsentDeleteParams) (int, error) {
	n := 0
	err := q.writeTx(ctx, func(tx *sql.Tx) (err error) {
		n, err = execEach(ctx, tx, `DELETE FROM consent
			WHERE system = ? AND system_id = ? AND email = ? AND channel = ? AND status = ? AND at IS ?`, p.Consents,
			func(c foundation.Consent) []any {
				return []any{c.System, c.SystemID, foundation.NormalizeEmail(c.Email), string(c.Channel), string(c.Status), encTime(c.At)}
			})
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("delete consent: %w", err)
	}
	return n, nil
}
