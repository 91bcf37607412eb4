package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/towerops/tower/internal/auth"
	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/measure"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
)

func init() {
	addFuncs(template.FuncMap{
		// dur prints a duration plainly: "45 min", "3.5 h", "2 days".
		"dur": plainDuration,
		// can reports whether the signed-in person has at least role.
		"can": func(v view, role string) bool {
			return v.Session != nil && auth.Allows(v.Session.Principal.Role, store.Role(role))
		},
	})
}

// plainDuration prints how long something took, for people.
func plainDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return "—"
	case d < time.Hour:
		return fmt.Sprintf("%d min", max(1, int(d.Round(time.Minute)/time.Minute)))
	case d < 48*time.Hour:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", d.Hours()), ".0") + " h"
	}
	return fmt.Sprintf("%.0f days", d.Hours()/24)
}

// agentRow is one line of the agents page.
type agentRow struct {
	Agent    store.Agent
	Schedule string
	LastRun  time.Time
	Score    measure.Card
}

type agentsData struct {
	Rows []agentRow
	Days int
}

// scorecardDays is the period the agents pages score agents over.
const scorecardDays = 30

// agentScores reads the scorecards of the last scorecardDays days (today
// included) with a daily trend, of one agent or of all when agent is "",
// keyed by agent.
func agentScores(ctx context.Context, q store.Queries, agent string, now time.Time) (map[string]measure.Card, error) {
	until := dayOf(now).AddDate(0, 0, 1)
	since := until.AddDate(0, 0, -scorecardDays)
	h, err := measure.Load(ctx, q, measure.Filter{Since: since, Until: until, Agent: agent})
	if err != nil {
		return nil, err
	}
	out := map[string]measure.Card{}
	for _, c := range measure.Scorecards(h, measure.Options{By: measure.ByAgent, Trend: measure.TrendDay}) {
		out[c.Key] = c
	}
	return out, nil
}

// scoreOr is an agent's card, or an empty one over the same period when
// it proposed nothing.
func scoreOr(cards map[string]measure.Card, agent string, now time.Time) measure.Card {
	if c, ok := cards[agent]; ok {
		return c
	}
	until := dayOf(now).AddDate(0, 0, 1)
	return measure.Card{By: measure.ByAgent, Key: agent, Since: until.AddDate(0, 0, -scorecardDays), Until: until}
}

// agentsPage lists every agent with its state and its scorecard over the
// last 30 days.
func (s *Server) agentsPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	agents, err := allAgents(ctx, s.Store)
	if err != nil {
		s.readFailed(w, r, "agents", err)
		return
	}
	now := s.now()
	scores, err := agentScores(ctx, s.Store, "", now)
	if err != nil {
		s.readFailed(w, r, "agents' scorecards", err)
		return
	}
	lastRun := map[string]time.Time{}
	data := agentsData{Days: scorecardDays}
	for _, a := range agents {
		if _, ok := lastRun[a.Skill]; !ok {
			runs, err := s.Store.RunsList(ctx, &store.RunsListParams{Skill: a.Skill, Page: store.Page{Limit: 1}})
			if err != nil {
				s.readFailed(w, r, "agent runs", err)
				return
			}
			lastRun[a.Skill] = time.Time{}
			if len(runs) > 0 {
				lastRun[a.Skill] = runs[0].StartedAt
			}
		}
		data.Rows = append(data.Rows, agentRow{Agent: a, Schedule: scheduleOf(a), LastRun: lastRun[a.Skill],
			Score: scoreOr(scores, a.Name, now)})
	}
	s.render(w, r, http.StatusOK, "agents", "Agents", data)
}

// allAgents reads the whole fleet, by name.
func allAgents(ctx context.Context, q store.Queries) ([]store.Agent, error) {
	var out []store.Agent
	after := ""
	for {
		as, err := q.AgentsList(ctx, &store.AgentsListParams{After: after, Limit: 1000})
		if err != nil {
			return nil, err
		}
		out = append(out, as...)
		if len(as) < 1000 {
			return out, nil
		}
		after = as[len(as)-1].Name
	}
}

// scheduleOf says when an agent runs: its own schedule, else its
// skill's, and the events that start it.
func scheduleOf(a store.Agent) string {
	var parts []string
	sched := a.Schedule
	var events []string
	if sk, err := skill.Lookup(a.Skill); err == nil {
		m := sk.Manifest()
		if sched == "" {
			sched = m.Triggers.Schedule
		}
		events = m.Triggers.Events
	}
	if sched != "" {
		parts = append(parts, "cron "+sched+" (UTC)")
	}
	if len(events) > 0 {
		parts = append(parts, "on "+strings.Join(events, ", "))
	}
	if len(parts) == 0 {
		return "when run by hand"
	}
	return strings.Join(parts, "; ")
}

// kindLevel is an agent's autonomy for one action kind and where it
// comes from.
type kindLevel struct {
	Kind   proposal.Kind
	Level  governance.Level
	Source governance.LevelSource
	Streak int
	// Why says why an earned level changed.
	Why string
}

type agentData struct {
	Agent    store.Agent
	Skill    *skill.Manifest
	Schedule string
	Levels   []kindLevel
	Caps     governance.Caps
	Breaker  governance.BreakerConfig
	Record   governance.BreakerRecord
	Score    measure.Card
	Recent   []proposal.Proposal
	Days     int
	CanRun   bool
}

// agentPage shows one agent: configuration, autonomy per action kind,
// the circuit breaker, its record and recent proposals, with the forms
// that pause, resume, reset or run it.
func (s *Server) agentPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, err := s.Store.AgentGet(ctx, &store.AgentGetParams{Name: r.PathValue("name")})
	if err != nil {
		s.readFailed(w, r, "agent", err)
		return
	}
	now := s.now()
	d := agentData{Agent: *a, Schedule: scheduleOf(*a), Days: scorecardDays, CanRun: s.Runner != nil}
	var pack governance.Pack
	if s.Pack != nil {
		pack = *s.Pack
	}
	tracks, err := s.Store.AutonomyTracksList(ctx, &store.AutonomyTracksListParams{Agents: []string{a.Name}})
	if err != nil {
		s.readFailed(w, r, "agent's autonomy", err)
		return
	}
	byKind := map[proposal.Kind]*store.AutonomyTrack{}
	for i := range tracks {
		byKind[proposal.Kind(tracks[i].Kind)] = &tracks[i]
	}
	var kinds []proposal.Kind
	if sk, err := skill.Lookup(a.Skill); err == nil {
		m := sk.Manifest()
		d.Skill = &m
		kinds = append(kinds, m.Actions...)
	}
	for k := range a.Autonomy {
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		l, src := pack.Autonomy.LevelOf(*a, k, byKind[k])
		kl := kindLevel{Kind: k, Level: l, Source: src}
		if t := byKind[k]; t != nil {
			kl.Streak, kl.Why = t.Streak, t.Reason
		}
		d.Levels = append(d.Levels, kl)
	}
	d.Caps = pack.Caps.CapsFor(a.Skill, a.Caps)
	d.Breaker = pack.Breaker
	if d.Record, err = (governance.Breaker{Pack: s.Pack}).Record(ctx, s.Store, a.Name, now); err != nil {
		s.readFailed(w, r, "agent's record", err)
		return
	}
	scores, err := agentScores(ctx, s.Store, a.Name, now)
	if err != nil {
		s.readFailed(w, r, "agent's scorecard", err)
		return
	}
	d.Score = scoreOr(scores, a.Name, now)
	if d.Recent, err = s.Store.ProposalsList(ctx, &store.ProposalsListParams{Agent: a.Name, Page: store.Page{Limit: 20}}); err != nil {
		s.readFailed(w, r, "agent's proposals", err)
		return
	}
	r = r.WithContext(context.WithValue(ctx, navKey{}, "agents"))
	s.render(w, r, http.StatusOK, "agent", "Agent "+a.Name, d)
}
