package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/towerops/tower/internal/store"
)

// entityTable is where an entity kind lives and how its id finds a row.
type entityTable struct {
	table string
	where string // matches the values store.EntityKeyOf returns, as $1 (and $2)
	// stamped tables have an updated_at that a change moves.
	stamped bool
}

var entityTables = map[string]entityTable{
	store.EntityPerson:   {"people", "id = $1", true},
	store.EntityRecord:   {"records", "system = $1 AND system_id = $2", true},
	store.EntityAccount:  {"accounts", "id = $1", false},
	store.EntityCampaign: {"campaigns", "id = $1", false},
	store.EntityLicense:  {"licenses", "tool = $1", false},
	store.EntityTemplate: {"templates", "id = $1", false},
}

// entityRow returns the table and key values of entity id.
func entityRow(entity, id string) (entityTable, []any, error) {
	key, err := store.EntityKeyOf(entity, id)
	if err != nil {
		return entityTable{}, nil, err
	}
	return entityTables[entity], key, nil
}

// shift renumbers the $n placeholders of a key condition to follow n
// arguments already bound.
func shift(where string, n int) string {
	return strings.NewReplacer("$1", fmt.Sprintf("$%d", n+1), "$2", fmt.Sprintf("$%d", n+2)).Replace(where)
}

// FieldSet sets one whitelisted field and returns its value before as
// text. The row is locked (FOR UPDATE) between reading and writing, so
// the "before" it returns is exactly what it replaced.
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
	err = q.batch(ctx, what, nil, func(tx pgx.Tx) error {
		col := spec.Column
		if spec.Kind == store.FieldTrait {
			col = "traits::text"
		}
		var cur any
		err := tx.QueryRow(ctx, "SELECT "+col+" FROM "+t.table+" WHERE "+t.where+" FOR UPDATE", key...).Scan(&cur)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("%s %q: %w", p.Entity, p.ID, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		arg, cast := val, ""
		switch spec.Kind {
		case store.FieldTrait:
			raw, _ := cur.(string)
			after, old, err := store.SetTrait(raw, spec.Trait, p.Value)
			if err != nil {
				return err
			}
			if after == "" {
				after = "{}"
			}
			before, arg, cast = old, after, "::jsonb"
		case store.FieldDate:
			d, _ := val.(time.Time)
			before, arg = store.TextOf(cur), dateParam(d)
		case store.FieldRef:
			before = store.TextOf(cur)
			if val != nil {
				var one int
				err := tx.QueryRow(ctx, "SELECT 1 FROM "+spec.RefTable+" WHERE id = $1", val).Scan(&one)
				if errors.Is(err, pgx.ErrNoRows) {
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
		set := spec.Column + " = $1" + cast
		if t.stamped {
			set += ", updated_at = now()"
		}
		_, err = tx.Exec(ctx, "UPDATE "+t.table+" SET "+set+" WHERE "+shift(t.where, 1), append([]any{arg}, key...)...)
		return err
	})
	if err != nil {
		return "", err
	}
	return before, nil
}

// entityExists fails with store.ErrNotFound unless entity id names a row.
func entityExists(ctx context.Context, tx pgx.Tx, entity, id string) error {
	t, key, err := entityRow(entity, id)
	if err != nil {
		return err
	}
	var one int
	err = tx.QueryRow(ctx, "SELECT 1 FROM "+t.table+" WHERE "+t.where, key...).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%s %q: %w", entity, id, store.ErrNotFound)
	}
	return err
}
