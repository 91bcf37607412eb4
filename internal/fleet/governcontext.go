package fleet

import (
	"context"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// governContext is what governance needs to know about the agents of one
// batch, read with a few queries per batch rather than a few per
// proposal: their autonomy tracks, what they changed today, their recent
// record (only when a rule looks at it) and the records per system (only
// when a cap is in percent).
type governContext struct {
	reader       store.Reader
	tracks       map[string]map[proposal.Kind]*store.AutonomyTrack
	today        map[string]int
	history      map[string]governance.TrackVars
	systemTotals map[string]int
	run          map[string]int // this run's allowed records per agent
}

// startOfDay is midnight UTC of t's day: caps per day count from it.
func startOfDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// governContext reads the governance state of the agents that drafted.
func (r *Runner) governContext(ctx context.Context, drafts []proposal.Draft, agents map[string]store.Agent, now time.Time, res *RunResult) (*governContext, error) {
	gc := &governContext{reader: r.Store, run: res.usage}
	if len(drafts) == 0 {
		return gc, nil
	}
	pack, err := r.pack()
	if err != nil {
		return nil, err
	}
	var names []string
	seen := map[string]bool{}
	pct := pack.NeedsSystemTotals()
	for _, d := range drafts {
		if !seen[d.Agent] {
			seen[d.Agent] = true
			names = append(names, d.Agent)
			pct = pct || agents[d.Agent].Caps.AudiencePct > 0
		}
	}
	if err := gc.load(ctx, r.Store, pack, names, now); err != nil {
		return nil, err
	}
	if res.systemTotals == nil && pct {
		if res.systemTotals, err = r.Store.RecordsPerSystem(ctx); err != nil {
			return nil, fmt.Errorf("records per system: %w", err)
		}
	}
	gc.systemTotals = res.systemTotals
	return gc, nil
}

// load reads tracks, today's changes and (when rules use it) the recent
// record of the named agents.
func (gc *governContext) load(ctx context.Context, q store.Queries, pack *governance.Pack, names []string, now time.Time) error {
	tracks, err := q.AutonomyTracksList(ctx, &store.AutonomyTracksListParams{Agents: names})
	if err != nil {
		return fmt.Errorf("autonomy tracks: %w", err)
	}
	gc.tracks = map[string]map[proposal.Kind]*store.AutonomyTrack{}
	for i := range tracks {
		t := &tracks[i]
		if gc.tracks[t.Agent] == nil {
			gc.tracks[t.Agent] = map[proposal.Kind]*store.AutonomyTrack{}
		}
		gc.tracks[t.Agent][proposal.Kind(t.Kind)] = t
	}
	if gc.today, err = q.AgentChanges(ctx, &store.AgentChangesParams{Agents: names, Since: startOfDay(now)}); err != nil {
		return fmt.Errorf("changes today: %w", err)
	}
	if pack.NeedsHistory() {
		gc.history = map[string]governance.TrackVars{}
		since := now.Add(-pack.BreakerWindow())
		for _, n := range names {
			c, err := q.ProposalsCount(ctx, &store.ProposalsListParams{Agent: n, Since: since})
			if err != nil {
				return fmt.Errorf("record of %s: %w", n, err)
			}
			gc.history[n] = governance.TrackVars{Approved: c[proposal.StatusApproved] + c[proposal.StatusExecuted] + c[proposal.StatusExecuting],
				Rejected: c[proposal.StatusRejected], Undone: c[proposal.StatusUndone], Failed: c[proposal.StatusFailed]}
		}
	}
	return nil
}

func (gc *governContext) input(p *proposal.Proposal, a store.Agent, now time.Time) governance.Input {
	return governance.Input{Proposal: p, Agent: a, Now: now, Reader: gc.reader, Track: gc.tracks[a.Name],
		Usage:   governance.Usage{Today: gc.today[a.Name], ThisRun: gc.run[a.Name]},
		History: gc.history[a.Name], SystemTotals: gc.systemTotals}
}
