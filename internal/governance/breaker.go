package governance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/measure"
	"github.com/towerops/tower/internal/store"
)

// Breaker trips agents whose record over the window is bad: too many of
// their proposals rejected, undone or failing. A tripped agent proposes
// nothing and its autonomous proposals wait until a person resets it
// (tower agents reset NAME); its earned autonomy is taken away.
type Breaker struct {
	Pack *Pack
}

// ErrNotTripped is returned (wrapped) by ResetBreaker for an agent the
// breaker did not stop.
var ErrNotTripped = errors.New("agent is not tripped")

func (b Breaker) config() BreakerConfig {
	if b.Pack == nil {
		return BreakerConfig{}
	}
	return b.Pack.Breaker
}

// BreakerRecord is an agent's record over the breaker's window.
type BreakerRecord struct {
	Decided, Rejected, Undone, Failed int
	Window                            time.Duration
}

// Record counts the agent's proposals created in the window (or since the
// breaker was last reset, if later) by how they ended, as its scorecard
// does (measure.Compute). Decided is everything governance or a person
// let through or turned down: all but those waiting, expired or denied.
func (b Breaker) Record(ctx context.Context, q store.Queries, agent string, now time.Time) (BreakerRecord, error) {
	c := b.config()
	r := BreakerRecord{Window: c.Window}
	if r.Window <= 0 {
		r.Window = 24 * time.Hour
	}
	since := now.Add(-r.Window)
	if reset, err := lastReset(ctx, q, agent); err != nil {
		return r, err
	} else if reset.After(since) {
		since = reset
	}
	// The same figures as the agent's scorecard: what a leader sees there
	// is what trips the breaker.
	h, err := measure.Load(ctx, q, measure.Filter{Agent: agent, Since: since, WithoutChanges: true})
	if err != nil {
		return r, fmt.Errorf("record of agent %s: %w", agent, err)
	}
	card := measure.Compute(h, 0)
	r.Rejected, r.Undone, r.Failed = card.Rejected, card.Undone, card.Failed
	r.Decided = card.Proposals - card.Waiting - card.Expired - card.Denied
	return r, nil
}

// trips says why the record trips the breaker ("" when it does not).
// Zero limits are not checked.
func (c BreakerConfig) trips(r BreakerRecord) string {
	var why []string
	if c.RejectRate > 0 && r.Decided > 0 && r.Decided >= c.MinDecided && float64(r.Rejected)/float64(r.Decided) >= c.RejectRate {
		why = append(why, fmt.Sprintf("%d of %d proposals decided in the last %s were rejected (limit %s%%)",
			r.Rejected, r.Decided, humanDuration(r.Window), percent(c.RejectRate*100)))
	}
	if c.Undos > 0 && r.Undone >= c.Undos {
		why = append(why, fmt.Sprintf("%d proposals undone in the last %s (limit %d)", r.Undone, humanDuration(r.Window), c.Undos))
	}
	if c.Errors > 0 && r.Failed >= c.Errors {
		why = append(why, fmt.Sprintf("%d executions failed in the last %s (limit %d)", r.Failed, humanDuration(r.Window), c.Errors))
	}
	return strings.Join(why, "; ")
}

// Check trips agent if its rejections, undos or failures are over the
// limits; it reports whether it tripped it. Only an active agent is
// tripped: a paused one already does nothing, and a tripped one stays
// tripped with its first reason. Call it in the transaction that records
// the rejection, undo or failure, so the trip is never lost.
func (b Breaker) Check(ctx context.Context, q store.Queries, agent string, now time.Time) (bool, error) {
	c := b.config()
	if c.RejectRate <= 0 && c.Undos <= 0 && c.Errors <= 0 {
		return false, nil
	}
	r, err := b.Record(ctx, q, agent, now)
	if err != nil {
		return false, err
	}
	why := c.trips(r)
	if why == "" {
		return false, nil
	}
	a, err := q.AgentGet(ctx, &store.AgentGetParams{Name: agent})
	if errors.Is(err, store.ErrNotFound) {
		return false, nil // the agent was removed; nothing left to stop
	}
	if err != nil {
		return false, err
	}
	if a.State != store.AgentActive {
		return false, nil
	}
	reason := "circuit breaker: " + why
	if _, err := q.AgentStateSet(ctx, &store.AgentStateSetParams{Name: agent, State: store.AgentTripped, Reason: reason, At: now}); err != nil {
		return false, fmt.Errorf("trip agent %s: %w", agent, err)
	}
	err = audit.Append(ctx, q, audit.Entry{Actor: "system", Action: "agent.tripped", Subject: "agent:" + agent, At: now,
		Data: map[string]any{"reason": reason, "decided": r.Decided, "rejected": r.Rejected, "undone": r.Undone,
			"failed": r.Failed, "window": r.Window.String()}})
	if err != nil {
		return false, err
	}
	if err := notifyOwner(ctx, q, *a, "", "tripped", now, fmt.Sprintf("Agent %s was stopped by the circuit breaker: %s. "+
		"It proposes nothing until someone runs: tower agents reset %s", agent, why, agent)); err != nil {
		return false, err
	}
	if err := (Earner{Pack: b.Pack}).Demote(ctx, q, *a, nil, CauseBreaker, reason, now); err != nil {
		return false, err
	}
	return true, nil
}

// breakerResetKey is the setting that remembers when a person last reset
// an agent's breaker: the breaker then counts only what came after, so a
// reset agent is not tripped again by the record that tripped it.
func breakerResetKey(agent string) string { return "breaker.reset:" + agent }

type resetSetting struct {
	At time.Time `json:"at"`
}

func lastReset(ctx context.Context, q store.Queries, agent string) (time.Time, error) {
	s, err := q.SettingGet(ctx, &store.SettingGetParams{Key: breakerResetKey(agent)})
	if errors.Is(err, store.ErrNotFound) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, err
	}
	var r resetSetting
	if err := json.Unmarshal(s.Value, &r); err != nil {
		return time.Time{}, fmt.Errorf("breaker reset of %s: %w", agent, err)
	}
	return r.At, nil
}

// ResetBreaker lets a tripped agent run again (tripped → active) and
// records who decided so (by: a user name or an audit actor). The breaker then starts counting afresh.
func ResetBreaker(ctx context.Context, q store.Queries, agent, by string, now time.Time) error {
	a, err := q.AgentGet(ctx, &store.AgentGetParams{Name: agent})
	if err != nil {
		return fmt.Errorf("agent %s: %w", agent, err)
	}
	if a.State != store.AgentTripped {
		return fmt.Errorf("agent %s is %s, not tripped (a paused agent is resumed with: tower agents resume %s): %w",
			agent, a.State, agent, ErrNotTripped)
	}
	if _, err := q.AgentStateSet(ctx, &store.AgentStateSetParams{Name: agent, State: store.AgentActive, At: now}); err != nil {
		return fmt.Errorf("reset agent %s: %w", agent, err)
	}
	actor, name := actorOf(by)
	v, _ := json.Marshal(resetSetting{At: now.UTC()})
	if err := q.SettingSet(ctx, &store.SettingSetParams{Key: breakerResetKey(agent), Value: v, By: name, At: now}); err != nil {
		return fmt.Errorf("reset agent %s: %w", agent, err)
	}
	return audit.Append(ctx, q, audit.Entry{Actor: actor, Action: "agent.reset", Subject: "agent:" + agent, At: now,
		Data: map[string]any{"was": a.StateReason}})
}
