package governance

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// Earner keeps agents' autonomy tracks: streaks, promotion, demotion.
//
// An agent earns autonomy one action kind at a time: each proposal a
// person approves without editing adds one to the streak of every kind
// in it; at Promote.After in a row, with no undo of that kind within
// Promote.NoUndoFor, the kind moves from Promote.From (approve) to
// Promote.To (auto). A rejection or an edit starts the streak again; an
// undo, an incident or a breaker trip takes an earned level away. Policy
// still applies on top: a rule that requires approval or denies wins over
// any level.
//
// Every method works in the caller's transaction (q), so a promotion and
// its audit entry are written together with the approval that earned it.
type Earner struct {
	Pack *Pack
}

// Causes that take autonomy away (AutonomyConfig.DemoteOn).
const (
	CauseUndo     = "undo"
	CauseIncident = "incident"
	CauseBreaker  = "breaker"
)

func (e Earner) config() AutonomyConfig {
	if e.Pack == nil {
		return AutonomyConfig{}
	}
	return e.Pack.Autonomy
}

// Approved records a person's approval without edit of p.
func (e Earner) Approved(ctx context.Context, q store.Queries, p *proposal.Proposal, a store.Agent, now time.Time) error {
	c := e.config()
	rule := c.Promote
	from, to := orLevel(rule.From, Approve), orLevel(rule.To, Auto)
	tracks, err := tracksOf(ctx, q, a.Name)
	if err != nil {
		return err
	}
	var promoted []proposal.Kind
	var lastReason string
	for _, kind := range kindsOf(p) {
		old := tracks[kind]
		if l, _ := c.LevelFor(a, kind, old); l != from {
			continue // already above (or below) what a streak earns
		}
		t := trackOr(old, a.Name, kind)
		t.Streak++
		t.UpdatedAt = now
		promote := rule.earned(t, kind, now)
		why := ""
		if promote {
			var held string
			if why, held, err = rule.scorecardAllows(ctx, q, a.Name, kind, now); err != nil {
				return err
			}
			if held != "" {
				promote = false
				slog.DebugContext(ctx, "autonomy not promoted: the scorecard falls short", "agent", a.Name, "kind", kind, "why", held)
			}
		}
		if promote {
			t.Level, t.ChangedAt, t.Reason = string(to), now, why
			promoted, lastReason = append(promoted, kind), why
		}
		if err := q.AutonomyTrackPut(ctx, &store.AutonomyTrackPutParams{Track: t}); err != nil {
			return fmt.Errorf("autonomy of %s for %s: %w", a.Name, kind, err)
		}
		if promote {
			err := audit.Append(ctx, q, audit.Entry{Actor: "system", Action: "autonomy.promoted", Subject: "agent:" + a.Name, At: now,
				Data: map[string]any{"kind": kind, "from": from, "to": to, "streak": t.Streak, "reason": why, "proposal": p.ID}})
			if err != nil {
				return err
			}
		}
	}
	if len(promoted) == 0 {
		return nil
	}
	return notifyOwner(ctx, q, a, p.ID, "promoted", now, fmt.Sprintf("Agent %s may now %s on its own (%s): %s.",
		a.Name, kindList(promoted), to, lastReason))
}

// earned reports whether track t, just approved once more, earns the
// promotion.
func (r PromotionRule) earned(t store.AutonomyTrack, kind proposal.Kind, now time.Time) bool {
	if r.After <= 0 || t.Streak < r.After || slices.Contains(r.Except, kind) {
		return false
	}
	return r.NoUndoFor <= 0 || t.LastUndoAt.IsZero() || now.Sub(t.LastUndoAt) >= r.NoUndoFor
}

// reason says why an agent was promoted, in the words of the rule.
func (r PromotionRule) reason() string {
	s := fmt.Sprintf("%d approvals in a row without edit", r.After)
	if r.NoUndoFor > 0 {
		s += ", no undo in " + humanDuration(r.NoUndoFor)
	}
	return s
}

// Reset breaks the streaks of p's kinds (rejected or edited).
func (e Earner) Reset(ctx context.Context, q store.Queries, p *proposal.Proposal, why string, now time.Time) error {
	tracks, err := tracksOf(ctx, q, p.Agent)
	if err != nil {
		return err
	}
	for _, kind := range kindsOf(p) {
		t := tracks[kind]
		if t == nil || t.Streak == 0 {
			continue
		}
		t.Streak, t.UpdatedAt = 0, now
		if err := q.AutonomyTrackPut(ctx, &store.AutonomyTrackPutParams{Track: *t}); err != nil {
			return fmt.Errorf("autonomy of %s for %s: %w", p.Agent, kind, err)
		}
		slog.DebugContext(ctx, "autonomy streak reset", "agent", p.Agent, "kind", kind, "proposal", p.ID, "why", why)
	}
	return nil
}

// Demote takes earned levels away (kinds nil: every kind) for cause
// "undo", "incident" or "breaker": each kind whose level is above approve
// goes back to approve, and its streak starts again. A cause not in
// DemoteOn takes no level away, but an undo is always remembered (the
// promotion rule asks for none within NoUndoFor) and breaks the streak.
func (e Earner) Demote(ctx context.Context, q store.Queries, a store.Agent, kinds []proposal.Kind, cause, reason string, now time.Time) error {
	c := e.config()
	demote := len(c.DemoteOn) == 0 || slices.Contains(c.DemoteOn, cause)
	if !demote && cause != CauseUndo {
		return nil
	}
	if reason == "" {
		reason = cause
	}
	tracks, err := tracksOf(ctx, q, a.Name)
	if err != nil {
		return err
	}
	if kinds == nil {
		kinds = c.kindsAbove(a, tracks)
	}
	var demoted []proposal.Kind
	for _, kind := range kinds {
		old := tracks[kind]
		l, _ := c.LevelFor(a, kind, old)
		t := trackOr(old, a.Name, kind)
		changed := demote && l.above(Approve)
		if !changed && cause != CauseUndo && (old == nil || old.Streak == 0) {
			continue // nothing to take away or to remember
		}
		if changed {
			t.Level, t.ChangedAt, t.Reason = string(Approve), now, reason
			demoted = append(demoted, kind)
		}
		if cause == CauseUndo {
			t.LastUndoAt = now
		}
		t.Streak, t.UpdatedAt = 0, now
		if err := q.AutonomyTrackPut(ctx, &store.AutonomyTrackPutParams{Track: t}); err != nil {
			return fmt.Errorf("autonomy of %s for %s: %w", a.Name, kind, err)
		}
		if changed {
			err := audit.Append(ctx, q, audit.Entry{Actor: "system", Action: "autonomy.demoted", Subject: "agent:" + a.Name, At: now,
				Data: map[string]any{"kind": kind, "from": l, "to": Approve, "cause": cause, "reason": reason}})
			if err != nil {
				return err
			}
		}
	}
	if len(demoted) == 0 {
		return nil
	}
	return notifyOwner(ctx, q, a, "", "demoted", now, fmt.Sprintf("Agent %s needs approval again to %s (%s): %s.",
		a.Name, kindList(demoted), cause, reason))
}

// kindsAbove lists, in order, every kind the agent has a track for or
// may do above approve by configuration: what "take every level away"
// has to look at.
func (c AutonomyConfig) kindsAbove(a store.Agent, tracks map[proposal.Kind]*store.AutonomyTrack) []proposal.Kind {
	set := map[proposal.Kind]bool{}
	for k := range tracks {
		set[k] = true
	}
	consider := func(k proposal.Kind) {
		if l, _ := c.LevelFor(a, k, tracks[k]); l.above(Approve) {
			set[k] = true
		}
	}
	for k := range a.Autonomy {
		consider(k)
	}
	for k := range c.Skills[a.Skill] {
		consider(k)
	}
	for k := range c.Defaults {
		consider(k)
	}
	for k := range DefaultLevels {
		consider(k)
	}
	out := make([]proposal.Kind, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// tracksOf reads an agent's tracks by kind.
func tracksOf(ctx context.Context, q store.Queries, agent string) (map[proposal.Kind]*store.AutonomyTrack, error) {
	ts, err := q.AutonomyTracksList(ctx, &store.AutonomyTracksListParams{Agents: []string{agent}})
	if err != nil {
		return nil, fmt.Errorf("autonomy of %s: %w", agent, err)
	}
	out := make(map[proposal.Kind]*store.AutonomyTrack, len(ts))
	for i := range ts {
		out[proposal.Kind(ts[i].Kind)] = &ts[i]
	}
	return out, nil
}

// trackOr is a copy of t, or a new track for (agent, kind).
func trackOr(t *store.AutonomyTrack, agent string, kind proposal.Kind) store.AutonomyTrack {
	if t != nil {
		return *t
	}
	return store.AutonomyTrack{Agent: agent, Kind: string(kind)}
}

// kindsOf lists p's distinct action kinds in order of first appearance.
func kindsOf(p *proposal.Proposal) []proposal.Kind {
	var out []proposal.Kind
	for _, a := range p.Actions {
		if !slices.Contains(out, a.Kind) {
			out = append(out, a.Kind)
		}
	}
	return out
}

func orLevel(l, fallback Level) Level {
	if l.valid() {
		return l
	}
	return fallback
}

func kindList(ks []proposal.Kind) string {
	s := make([]string, len(ks))
	for i, k := range ks {
		s[i] = strings.ReplaceAll(string(k), "_", " ")
	}
	return strings.Join(s, ", ")
}

// notifyOwner tells the agent's owner what changed; an agent without an
// owner has nobody to tell (the audit log still says it).
func notifyOwner(ctx context.Context, q store.Queries, a store.Agent, proposalID, what string, now time.Time, msg string) error {
	if a.Owner == "" {
		return nil
	}
	n := store.Notification{ID: fmt.Sprintf("%s:%s:%d", what, a.Name, now.UnixNano()), To: a.Owner, Message: msg,
		Targets: []string{"agent:" + a.Name}, ProposalID: proposalID, CreatedAt: now}
	if err := q.NotificationsInsert(ctx, &store.NotificationsInsertParams{Notifications: []store.Notification{n}}); err != nil {
		return fmt.Errorf("tell %s about agent %s: %w", a.Owner, a.Name, err)
	}
	return nil
}

// humanDuration writes whole days as days and anything else as hours or
// minutes: "30 days", "24 hours", "90 minutes".
func humanDuration(d time.Duration) string {
	plural := func(n int64, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return fmt.Sprintf("%d %ss", n, unit)
	}
	switch {
	case d >= 24*time.Hour && d%(24*time.Hour) == 0 && d != 24*time.Hour:
		return plural(int64(d/(24*time.Hour)), "day")
	case d >= time.Hour && d%time.Hour == 0:
		return plural(int64(d/time.Hour), "hour")
	case d >= time.Minute && d%time.Minute == 0:
		return plural(int64(d/time.Minute), "minute")
	}
	return d.String()
}
