package action

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

var (
	_ Pusher = (*Consent)(nil)
	_ Pusher = (*UpdateField)(nil)
	_ Pusher = (*MergePeople)(nil)
)

// Pushes: one delivery per fact written, saying the record's new status.
func (e *Consent) Pushes(ctx context.Context, q store.Queries, a proposal.Action, undo []byte) ([]Push, error) {
	var facts []foundation.Consent
	if err := json.Unmarshal(undo, &facts); err != nil {
		return nil, fmt.Errorf("read undo data: %w", err)
	}
	op := "suppress"
	if e.kind == proposal.Unsuppress {
		op = "unsuppress"
	}
	out := make([]Push, 0, len(facts))
	for _, f := range facts {
		email, err := recordEmail(ctx, q, f.System, f.SystemID)
		if err != nil {
			return nil, err
		}
		out = append(out, Push{System: f.System, Delivery: store.Delivery{Op: op, SystemID: f.SystemID, Email: email,
			Channel: string(f.Channel), Status: string(f.Status), Reason: f.Reason}})
	}
	return out, nil
}

// UndoPushes: after the facts are deleted, each record goes back to the
// status its remaining facts give it in its own system — sendable when
// none is left, as it was before Tower changed it.
func (e *Consent) UndoPushes(ctx context.Context, q store.Queries, undo []byte) ([]Push, error) {
	var facts []foundation.Consent
	if err := json.Unmarshal(undo, &facts); err != nil {
		return nil, fmt.Errorf("read undo data: %w", err)
	}
	out := make([]Push, 0, len(facts))
	for _, f := range facts {
		rec, err := findRecord(ctx, q, proposal.RecordID(f.System, f.SystemID), "")
		if err != nil {
			return nil, err
		}
		left, err := q.ConsentList(ctx, &store.ConsentListParams{PersonID: rec.PersonID, System: rec.System, Channel: f.Channel,
			Page: store.Page{Limit: 1000}})
		if err != nil {
			return nil, err
		}
		status := foundation.StatusSubscribed
		for _, l := range left { // ordered by time: the last is the record's state
			if l.SystemID == rec.SystemID {
				status = l.Status
			}
		}
		op := "suppress"
		if status.Sendable() {
			op = "unsuppress"
		}
		out = append(out, Push{System: f.System, Delivery: store.Delivery{Op: op, SystemID: f.SystemID, Email: rec.Email,
			Channel: string(f.Channel), Status: string(status), Reason: "tower: undo of " + f.Reason}})
	}
	return out, nil
}

// Pushes: a field set on a record goes to the record's system; fields of
// people, accounts and campaigns are Tower's own.
func (*UpdateField) Pushes(ctx context.Context, q store.Queries, a proposal.Action, undo []byte) ([]Push, error) {
	return fieldPushes(ctx, q, undo, false)
}

// UndoPushes sends each record's value from before.
func (*UpdateField) UndoPushes(ctx context.Context, q store.Queries, undo []byte) ([]Push, error) {
	return fieldPushes(ctx, q, undo, true)
}

func fieldPushes(ctx context.Context, q store.Queries, undo []byte, before bool) ([]Push, error) {
	var changes []fieldChange
	if err := json.Unmarshal(undo, &changes); err != nil {
		return nil, fmt.Errorf("read undo data: %w", err)
	}
	var out []Push
	for _, c := range changes {
		if c.Entity != store.EntityRecord {
			continue
		}
		system, systemID, ok := proposal.SplitRecordID(c.ID)
		if !ok {
			continue
		}
		email, err := recordEmail(ctx, q, system, systemID)
		if err != nil {
			return nil, err
		}
		v := c.After
		if before {
			v = c.Before
		}
		out = append(out, Push{System: system, Delivery: store.Delivery{Op: "update_field", SystemID: systemID, Email: email,
			Field: c.Field, Value: v}})
	}
	return out, nil
}

// Pushes: a record the merge moved is merged, in its own system, into the
// surviving person's record of that system, when it has one. Records of
// systems the survivor had no record in stay as they are there: Tower
// links them, the system has nothing to merge.
func (*MergePeople) Pushes(ctx context.Context, q store.Queries, a proposal.Action, undo []byte) ([]Push, error) {
	return mergePushes(ctx, q, undo, "merge")
}

// UndoPushes asks each system to split what the merge merged. Most
// systems cannot; their connectors say so, and the delivery waits in the
// dead-letter list as a to-do for a person.
func (*MergePeople) UndoPushes(ctx context.Context, q store.Queries, undo []byte) ([]Push, error) {
	return mergePushes(ctx, q, undo, "unmerge")
}

func mergePushes(ctx context.Context, q store.Queries, undo []byte, op string) ([]Push, error) {
	var res store.PeopleMergeResult
	if err := json.Unmarshal(undo, &res); err != nil {
		return nil, fmt.Errorf("read undo data: %w", err)
	}
	into, err := q.PersonGet(ctx, &store.PersonGetParams{ID: res.Into})
	if err != nil {
		return nil, err
	}
	moved := map[string]bool{}
	for _, m := range res.Moves {
		moved[proposal.RecordID(m.System, m.SystemID)] = true
	}
	survivor := map[string]foundation.Record{} // system → the survivor's own record there
	for _, r := range into.Records {
		if _, ok := survivor[r.System]; !ok && !moved[proposal.RecordID(r.System, r.SystemID)] {
			survivor[r.System] = r
		}
	}
	var out []Push
	for _, m := range res.Moves {
		s, ok := survivor[m.System]
		if !ok {
			continue
		}
		email, err := recordEmail(ctx, q, m.System, m.SystemID)
		if err != nil {
			return nil, err
		}
		out = append(out, Push{System: m.System, Delivery: store.Delivery{Op: op, SystemID: m.SystemID, Email: email, IntoID: s.SystemID}})
	}
	return out, nil
}

// recordEmail is the address a record holds, for systems keyed by address.
func recordEmail(ctx context.Context, q store.Queries, system, systemID string) (string, error) {
	rec, err := findRecord(ctx, q, proposal.RecordID(system, systemID), "")
	if err != nil {
		return "", err
	}
	return rec.Email, nil
}
