package action

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// Consent writes one consent fact per record target and channel: for
// suppress, the status the proposal names (a propagated complaint,
// unsubscribe or bounce keeps its meaning), by default do_not_contact — a
// stop made by staff (here, on their behalf), which ranks with an
// unsubscribe and, unlike an unsubscribe, does not claim the person asked;
// for unsuppress, subscribed (an explicit new opt-in). Facts are written in the record's own system, so a
// connector can push them there, with the reason prefixed "tower:" to say
// where they came from. Undo deletes exactly the facts written.
type Consent struct {
	kind   proposal.Kind
	status foundation.ConsentStatus
	verb   string
}

var _ Executor = (*Consent)(nil)

func init() {
	Register(&Consent{kind: proposal.Suppress, status: foundation.StatusDoNotContact, verb: "suppressed"})
	Register(&Consent{kind: proposal.Unsuppress, status: foundation.StatusSubscribed, verb: "unsuppressed"})
}

func (e *Consent) Kind() proposal.Kind { return e.kind }

// channelsOf expands the channel parameter: "all" is every channel Tower
// keeps consent for.
func channelsOf(a proposal.Action) []foundation.Channel {
	ch := a.Param("channel")
	if ch == "all" {
		return foundation.Channels
	}
	return []foundation.Channel{foundation.Channel(ch)}
}

func (e *Consent) Preview(ctx context.Context, r store.Reader, a proposal.Action) ([]proposal.Change, error) {
	var out []proposal.Change
	for _, t := range a.Targets {
		rec, err := findRecord(ctx, r, t.ID, t.Label)
		if err != nil {
			return nil, err
		}
		facts, err := r.ConsentList(ctx, &store.ConsentListParams{PersonID: rec.PersonID, System: rec.System,
			Page: store.Page{Limit: 1000}})
		if err != nil {
			return nil, err
		}
		for _, ch := range channelsOf(a) {
			before := "none"
			for _, f := range facts { // ordered by time: the last one is the record's state
				if f.SystemID == rec.SystemID && f.Channel == ch {
					before = string(f.Status)
				}
			}
			out = append(out, proposal.Change{Target: t, Field: "consent." + string(ch), Before: before, After: string(e.statusOf(a))})
		}
	}
	return out, nil
}

func (e *Consent) Execute(ctx context.Context, q store.Queries, x Context, a proposal.Action) (Outcome, error) {
	var facts []foundation.Consent
	for _, t := range a.Targets {
		system, systemID, ok := proposal.SplitRecordID(t.ID)
		if !ok {
			return Outcome{}, fmt.Errorf("%s: record %q must be system:system_id", e.kind, t.ID)
		}
		for _, ch := range channelsOf(a) {
			facts = append(facts, foundation.Consent{System: system, SystemID: systemID, Channel: ch, Status: e.statusOf(a),
				Reason: "tower: " + a.Param("reason"), At: x.Now.UTC().Truncate(time.Microsecond)})
		}
	}
	res, err := q.ConsentUpsert(ctx, &store.ConsentUpsertParams{Consents: facts})
	if err != nil {
		return Outcome{}, err
	}
	if len(res.Rejected) > 0 {
		var why []string
		for _, r := range res.Rejected {
			why = append(why, r.Reason)
		}
		return Outcome{}, fmt.Errorf("%s: %s", e.kind, strings.Join(why, "; "))
	}
	return Outcome{Result: fmt.Sprintf("%s %d %s on %s (%s)", e.verb, len(a.Targets), plural(len(a.Targets), "record"),
		a.Param("channel"), e.statusOf(a)), Undo: marshal(facts)}, nil
}

// statusOf is the status a suppress writes: the one its proposal names
// (a propagated unsubscribe, complaint or bounce keeps its meaning), or
// the executor's default.
func (e *Consent) statusOf(a proposal.Action) foundation.ConsentStatus {
	if e.kind == proposal.Suppress {
		if s := a.Param("status"); s != "" {
			return foundation.ConsentStatus(s)
		}
	}
	return e.status
}

func (e *Consent) Undo(ctx context.Context, q store.Queries, x Context, undo []byte) error {
	var facts []foundation.Consent
	if err := json.Unmarshal(undo, &facts); err != nil {
		return fmt.Errorf("read undo data: %w", err)
	}
	_, err := q.ConsentDelete(ctx, &store.ConsentDeleteParams{Consents: facts})
	return err
}
