package measure

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
)

// Record is one proposal with what happened to it.
type Record struct {
	Proposal proposal.Proposal
	// Made is when the agent first proposed it: for a person's revision,
	// the creation of the agent's own revision it replaces.
	Made       time.Time
	Executions []store.Execution
	// Outcome is its realised value; nil until measured.
	Outcome *store.Outcome
	// Owner is the agent's owner; Team the team of its skill.
	Owner, Team string
}

// AutonomyChange is one promotion or demotion from the audit log.
type AutonomyChange struct {
	Agent    string        `json:"agent"`
	Skill    string        `json:"skill"`
	Owner    string        `json:"owner"`
	Team     string        `json:"team"`
	Kind     proposal.Kind `json:"kind"`
	Promoted bool          `json:"promoted"`
	At       time.Time     `json:"at"`
}

// History is everything scorecards are computed from, over [Since, Until).
type History struct {
	Since, Until time.Time
	Records      []Record
	Changes      []AutonomyChange
}

// Filter picks the history to load; zero fields do not filter. A zero
// Until loads everything made since Since, up to now or later: a
// proposal stamped a moment ahead by another node's clock still counts,
// as the circuit breaker needs.
type Filter struct {
	Since, Until time.Time
	Agent, Skill string
	// WithoutChanges skips reading promotions and demotions from the
	// audit log: the circuit breaker, which runs inside every rejection,
	// needs only the proposals.
	WithoutChanges bool
}

// loadPage is how many proposals Load reads per query.
const loadPage = 500

// Load reads the proposals made in [f.Since, f.Until), in the order they
// were made, with their executions and outcomes, and the autonomy changes
// of the period. An
// edited proposal is loaded once, as the person's last revision, dated
// by the agent's first.
func Load(ctx context.Context, q store.Queries, f Filter) (*History, error) {
	open := f.Until.IsZero()
	if open {
		f.Until = maxTime(time.Now().UTC(), f.Since.Add(time.Nanosecond))
	}
	if !f.Until.After(f.Since) {
		return nil, fmt.Errorf("the period ends (%s) before it starts (%s)", day(f.Until), day(f.Since))
	}
	agents, err := agentsOf(ctx, q, f.Agent)
	if err != nil {
		return nil, err
	}
	h := &History{Since: f.Since, Until: f.Until}
	// A person's revision is written when they edit, possibly after Until,
	// so proposals are read from Since on and placed by when they were made.
	var all []proposal.Proposal
	for off := 0; ; off += loadPage {
		ps, err := q.ProposalsList(ctx, &store.ProposalsListParams{Page: store.Page{Limit: loadPage, Offset: off},
			Agent: f.Agent, Skill: f.Skill, Since: f.Since})
		if err != nil {
			return nil, fmt.Errorf("read proposals: %w", err)
		}
		all = append(all, ps...)
		if len(ps) < loadPage {
			break
		}
	}
	byID := make(map[string]*proposal.Proposal, len(all))
	for i := range all {
		byID[all[i].ID] = &all[i]
	}
	var ids []string
	for _, p := range all {
		if p.Status == proposal.StatusSuperseded {
			continue
		}
		made, err := madeOf(ctx, q, p, byID)
		if err != nil {
			return nil, err
		}
		if made.Before(f.Since) || (!open && !made.Before(f.Until)) {
			continue
		}
		if open && !made.Before(h.Until) {
			h.Until = made.Add(time.Nanosecond)
		}
		a := agents[p.Agent]
		h.Records = append(h.Records, Record{Proposal: p, Made: made, Owner: a.owner, Team: teamOf(p.Skill)})
		ids = append(ids, p.ID)
	}
	slices.SortFunc(h.Records, func(a, b Record) int {
		if c := a.Made.Compare(b.Made); c != 0 {
			return c
		}
		return strings.Compare(a.Proposal.ID, b.Proposal.ID)
	})
	if err := h.attach(ctx, q, ids); err != nil {
		return nil, err
	}
	if !f.WithoutChanges {
		if err := h.loadChanges(ctx, q, f, agents); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// madeOf follows a revision back to the agent's own proposal.
func madeOf(ctx context.Context, q store.Queries, p proposal.Proposal, byID map[string]*proposal.Proposal) (time.Time, error) {
	made := p.CreatedAt
	for id := p.Revises; id != ""; {
		prev, ok := byID[id]
		if !ok {
			got, err := q.ProposalGet(ctx, &store.ProposalGetParams{ID: id})
			if err != nil {
				return time.Time{}, fmt.Errorf("proposal %s revised by %s: %w", id, p.ID, err)
			}
			prev = got
			byID[id] = got
		}
		made, id = prev.CreatedAt, prev.Revises
	}
	return made.UTC(), nil
}

// attach reads the records' executions and outcomes.
func (h *History) attach(ctx context.Context, q store.Queries, ids []string) error {
	at := make(map[string]int, len(ids))
	for i, r := range h.Records {
		at[r.Proposal.ID] = i
	}
	for start := 0; start < len(ids); start += loadPage {
		chunk := ids[start:min(start+loadPage, len(ids))]
		es, err := q.ExecutionsOf(ctx, &store.ExecutionsOfParams{ProposalIDs: chunk})
		if err != nil {
			return fmt.Errorf("read executions: %w", err)
		}
		for _, e := range es {
			if i, ok := at[e.ProposalID]; ok {
				h.Records[i].Executions = append(h.Records[i].Executions, e)
			}
		}
		os, err := q.OutcomesList(ctx, &store.OutcomesListParams{ProposalIDs: chunk})
		if err != nil {
			return fmt.Errorf("read outcomes: %w", err)
		}
		for _, o := range os {
			if i, ok := at[o.ProposalID]; ok {
				h.Records[i].Outcome = &o
			}
		}
	}
	return nil
}

// loadChanges reads promotions and demotions of the period from the
// audit log.
func (h *History) loadChanges(ctx context.Context, q store.Queries, f Filter, agents map[string]agentInfo) error {
	var after int64
	for {
		es, err := q.AuditList(ctx, &store.AuditListParams{AfterSeq: after, Since: f.Since, Limit: 1000})
		if err != nil {
			return fmt.Errorf("read the audit log: %w", err)
		}
		for _, e := range es {
			after = e.Seq
			c, ok := changeOf(e, agents)
			if !ok || !c.At.Before(f.Until) || (f.Agent != "" && c.Agent != f.Agent) || (f.Skill != "" && c.Skill != f.Skill) {
				continue
			}
			h.Changes = append(h.Changes, c)
		}
		if len(es) < 1000 {
			return nil
		}
	}
}

// changeOf reads an autonomy.promoted or autonomy.demoted entry.
func changeOf(e store.AuditEntry, agents map[string]agentInfo) (AutonomyChange, bool) {
	promoted := e.Action == "autonomy.promoted"
	if !promoted && e.Action != "autonomy.demoted" {
		return AutonomyChange{}, false
	}
	name, ok := strings.CutPrefix(e.Subject, "agent:")
	if !ok {
		return AutonomyChange{}, false
	}
	var d struct {
		Kind proposal.Kind `json:"kind"`
	}
	if err := json.Unmarshal(e.Data, &d); err != nil {
		return AutonomyChange{}, false
	}
	a := agents[name]
	return AutonomyChange{Agent: name, Skill: a.skill, Owner: a.owner, Team: teamOf(a.skill), Kind: d.Kind,
		Promoted: promoted, At: e.At.UTC()}, true
}

type agentInfo struct{ skill, owner string }

// agentsOf maps every agent (or only the one named) to its skill and
// owner. A removed agent is left out: its proposals keep no owner.
func agentsOf(ctx context.Context, q store.Queries, only string) (map[string]agentInfo, error) {
	out := map[string]agentInfo{}
	if only != "" {
		a, err := q.AgentGet(ctx, &store.AgentGetParams{Name: only})
		if errors.Is(err, store.ErrNotFound) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read agent %s: %w", only, err)
		}
		out[a.Name] = agentInfo{skill: a.Skill, owner: a.Owner}
		return out, nil
	}
	after := ""
	for {
		as, err := q.AgentsList(ctx, &store.AgentsListParams{After: after, Limit: loadPage})
		if err != nil {
			return nil, fmt.Errorf("read agents: %w", err)
		}
		for _, a := range as {
			out[a.Name] = agentInfo{skill: a.Skill, owner: a.Owner}
			after = a.Name
		}
		if len(as) < loadPage {
			return out, nil
		}
	}
}

// teamOf is the team a skill's manifest names ("" for a skill no longer
// installed).
func teamOf(skillName string) string {
	s, err := skill.Lookup(skillName)
	if err != nil {
		return ""
	}
	return s.Manifest().Team
}

func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }
