package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/store"
)

// entityTable is where an entity kind lives and how its id finds a row.
type entityTable struct {
	table string
	where string // matches the values store.EntityKeyOf returns
	// stamped tables have an updated_at that a change moves.
	stamped bool
}

var entityTables = map[string]entityTable{
	store.EntityPerson:   {"people", "id = ?", true},
	store.EntityRecord:   {"records", "system = ? AND system_id = ?", true},
	store.EntityAccount:  {"accounts", "id = ?", false},
	store.EntityCampaign: {"campaigns", "id = ?", false},
	store.EntityLicense:  {"licenses", "tool = ?", false},
	store.EntityTemplate: {"templates", "id = ?", false},
}

// entityRow returns the table and key values of entity id.
func entityRow(entity, id string) (entityTable, []any, error) {
	key, err := store.EntityKeyOf(entity, id)
	if err != nil {
		return entityTable{}, nil, err
	}
	return entityTables[entity], key, nil
}

// FieldSet sets one whitelisted field and returns its value before as
// text. It reads and writes in one write transaction, so the "before" it
// returns is exactly what it replaced.
func (q *queries) FieldSet(ctx context.Context, p *store.FieldSetParams) (string, error) {
	what := fmt.Sprintf("set %s %q %s", p.Entity, p.ID, p.Field)
	spec, err := store.CheckField(p.Entity, p.Field)
	if err != nil {
		return "", fmt.Errorf("%s: %w", what, err)
	}
	val, err := spec.Parse(p.Value)
	if err != nil {
		return "", fmt.Errorf("%s: %w", what, err)
	}
	t, key, err := entityRow(p.Entity, p.ID)
	if err != nil {
		return "", fmt.Errorf("%s: %w", what, err)
	}
	var before string
	err = q.writeTx(ctx, func(tx *sql.Tx) error {
		var cur any
		err := tx.QueryRowContext(ctx, "SELECT "+spec.Column+" FROM "+t.table+" WHERE "+t.where, key...).Scan(&cur)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%s %q: %w", p.Entity, p.ID, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		arg := val
		switch spec.Kind {
		case store.FieldTrait:
			raw, _ := cur.(string)
			after, old, err := store.SetTrait(raw, spec.Trait, p.Value)
			if err != nil {
				return err
			}
			before, arg = old, nullStr(after)
		case store.FieldDate:
			before, arg = store.TextOf(cur), encDate(timeOrZero(val))
		case store.FieldRef:
			before = store.TextOf(cur)
			if val != nil {
				var one int
				err := tx.QueryRowContext(ctx, "SELECT 1 FROM "+spec.RefTable+" WHERE id = ?", val).Scan(&one)
				if errors.Is(err, sql.ErrNoRows) {
					return fmt.Errorf("%w: %s: %s %q not found; import it first or pick an existing one",
						store.ErrBadFieldValue, spec.Column, spec.RefWhat, p.Value)
				}
				if err != nil {
					return err
				}
			}
		default:
			before = store.TextOf(cur)
		}
		set := spec.Column + " = ?"
		args := []any{arg}
		if t.stamped {
			set += ", updated_at = ?"
			args = append(args, encTime(time.Now()))
		}
		_, err = tx.ExecContext(ctx, "UPDATE "+t.table+" SET "+set+" WHERE "+t.where, append(args, key...)...)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("%s: %w", what, err)
	}
	return before, nil
}

func timeOrZero(v any) time.Time {
	t, _ := v.(time.Time)
	return t
}

// entityExists reports whether entity id names a stored row.
func entityExists(ctx context.Context, db dbtx, entity, id string) error {
	t, key, err := entityRow(entity, id)
	if err != nil {
		return err
	}
	var one int
	err = db.QueryRowContext(ctx, "SELECT 1 FROM "+t.table+" WHERE "+t.where, key...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s %q: %w", entity, id, store.ErrNotFound)
	}
	return err
}
