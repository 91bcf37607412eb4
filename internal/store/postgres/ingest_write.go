package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// writePeople writes what the run changed, before the events themselves:
// the people changed (created ones are already in, see create), then
// stored events without a person that carry a newly linked id get that
// person (the call's own events already have theirs), then the new
// identities. Each step is one round trip.
func (r *ingestRun) writePeople(ctx context.Context) error {
	if len(r.links) == 0 && len(r.people) == 0 {
		return nil
	}
	now := time.Now().UTC()
	var b pgx.Batch
	for _, id := range slices.Sorted(maps.Keys(r.people)) {
		p := r.people[id]
		if !p.changed {
			continue
		}
		traits, err := json.Marshal(p.traits)
		if err != nil {
			return fmt.Errorf("person %d: %w", p.id, err)
		}
		b.Queue(`UPDATE people SET email = $1, account_id = NULLIF($2, ''), traits = $3::jsonb, updated_at = $4
			WHERE id = $5`, p.email, p.account, string(traits), now, p.id)
	}
	// The conditions spell out the partial indexes' own, so PostgreSQL
	// finds the unlinked events through them.
	for _, l := range r.links {
		for _, q := range [2]string{
			`UPDATE events SET person_id = $1 WHERE user_id = $2 AND user_id <> '' AND person_id IS NULL`,
			`UPDATE events SET person_id = $1 WHERE anonymous_id = $2 AND anonymous_id <> '' AND person_id IS NULL`,
		} {
			b.Queue(q, l.person, l.id).Exec(func(tag pgconn.CommandTag) error {
				r.res.EventsLinked += int(tag.RowsAffected())
				return nil
			})
		}
	}
	if len(r.links) > 0 {
		id, person, kind := make([]string, len(r.links)), make([]int64, len(r.links)), make([]string, len(r.links))
		for n, l := range r.links {
			id[n], person[n], kind[n] = l.id, l.person, l.kind
		}
		b.Queue(`INSERT INTO identities (id, person_id, kind, created_at)
			SELECT id, person_id, kind, $4 FROM unnest($1::text[], $2::int8[], $3::text[]) AS v(id, person_id, kind)`,
			id, person, kind, now)
	}
	if b.Len() == 0 {
		return nil
	}
	if err := r.tx.SendBatch(ctx, &b).Close(); err != nil {
		return fmt.Errorf("save people and identities: %w", err)
	}
	return nil
}
