package briefing

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// listPage is how many rows Build reads at a time.
const listPage = 1000

// agentOwners maps every agent to its owner.
func agentOwners(ctx context.Context, q store.Queries) (map[string]string, error) {
	out := map[string]string{}
	after := ""
	for {
		as, err := q.AgentsList(ctx, &store.AgentsListParams{After: after, Limit: listPage})
		if err != nil {
			return nil, fmt.Errorf("briefing: reading agents: %w", err)
		}
		for _, a := range as {
			out[a.Name] = a.Owner
		}
		if len(as) < listPage {
			return out, nil
		}
		after = as[len(as)-1].Name
	}
}

// flagWhy says why a proposal is a flag for people, "" when it is not.
func flagWhy(p proposal.Proposal) string {
	if p.Decision != nil && p.Decision.Autonomy == "suggest" {
		return "suggested: a person does it by hand"
	}
	var why []string
	for _, a := range p.Actions {
		var w string
		switch a.Kind {
		case proposal.Notify:
			w = "alert"
		case proposal.CreateTask:
			w = "task"
		case proposal.AssignOwner:
			w = "routed to an owner"
		}
		if w != "" && !slices.Contains(why, w) {
			why = append(why, w)
		}
	}
	return strings.Join(why, ", ")
}

// onItsOwn reports whether governance let p run without a person.
func onItsOwn(p proposal.Proposal) bool {
	return p.Decision != nil && p.Decision.Effect == proposal.EffectAllow && len(p.Decision.Approvals) == 0
}

// addProposals reads the proposals that can have done something in the
// window — those created up to lookback before it — and fills the flags,
// what agents did on their own, the value and the counts.
func (d *Digest) addProposals(ctx context.Context, q store.Queries, waiting map[string]bool, owners map[string]string) error {
	for off := 0; ; off += listPage {
		ps, err := q.ProposalsList(ctx, &store.ProposalsListParams{Page: store.Page{Limit: listPage, Offset: off},
			Since: d.Since.Add(-lookback), Until: d.At.Add(1)})
		if err != nil {
			return fmt.Errorf("briefing: reading proposals: %w", err)
		}
		for _, p := range ps {
			if err := d.addProposal(ctx, q, p, waiting, owners); err != nil {
				return err
			}
		}
		if len(ps) < listPage {
			break
		}
	}
	slices.SortStableFunc(d.OnTheirOwn, func(a, b Item) int {
		if c := b.At.Compare(a.At); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	if len(d.OnTheirOwn) > MaxItems {
		d.OnTheirOwn = d.OnTheirOwn[:MaxItems]
	}
	return nil
}

func (d *Digest) addProposal(ctx context.Context, q store.Queries, p proposal.Proposal, waiting map[string]bool, owners map[string]string) error {
	if d.in(p.CreatedAt) {
		d.Counts.Proposed++
		if why := flagWhy(p); why != "" && !waiting[p.ID] {
			d.Counts.Flags++
			if len(d.Flags) < MaxItems {
				d.Flags = append(d.Flags, itemOf(p, p.CreatedAt, why, owners, d.For))
			}
		}
	}
	if p.Decision != nil {
		for _, a := range p.Decision.Approvals {
			if a.Verdict == "approved" && d.in(a.At) && p.Status != proposal.StatusPendingApproval && p.Status != proposal.StatusRejected {
				d.Counts.Approved++
				break
			}
		}
	}
	changed := d.in(p.UpdatedAt)
	switch p.Status {
	case proposal.StatusRejected:
		if changed {
			d.Counts.Rejected++
		}
	case proposal.StatusExpired:
		if changed {
			d.Counts.Expired++
		}
	case proposal.StatusFailed:
		if changed {
			d.Counts.Failed++
		}
	case proposal.StatusExecuted:
		if changed {
			d.executed(p, p.UpdatedAt, owners)
			d.Value.PipelineUSD += p.ExpectedValue.PipelineUSD
			d.Value.SavingsUSD += p.ExpectedValue.SavingsUSD
			d.Value.HoursSaved += p.ExpectedValue.HoursSaved
			d.Value.Conversions += p.ExpectedValue.Conversions
			d.Value.Proposals++
		}
	case proposal.StatusUndone:
		if changed {
			d.Counts.Undone++
		}
		// When was it executed? Its executions say; it counts as executed
		// in the window if that was in it, though its value is gone.
		if p.UpdatedAt.After(d.Since) {
			ex, err := q.ExecutionsList(ctx, &store.ExecutionsListParams{ProposalID: p.ID})
			if err != nil {
				return fmt.Errorf("briefing: executions of %s: %w", p.ID, err)
			}
			if len(ex) > 0 {
				first := ex[0].ExecutedAt
				for _, e := range ex[1:] {
					if e.ExecutedAt.Before(first) {
						first = e.ExecutedAt
					}
				}
				if d.in(first) {
					d.executed(p, first, owners)
				}
			}
		}
	}
	return nil
}

// executed counts a proposal executed at `at` (in the window).
func (d *Digest) executed(p proposal.Proposal, at time.Time, owners map[string]string) {
	d.Counts.Executed++
	if onItsOwn(p) {
		d.Counts.OnTheirOwn++
		why := "run on its own at autonomy " + p.Decision.Autonomy
		if p.Status == proposal.StatusUndone {
			why += "; since undone"
		}
		d.OnTheirOwn = append(d.OnTheirOwn, itemOf(p, at, why, owners, d.For))
	}
}

// addAgentChanges reads the audit log of the window for agents stopped,
// started and promoted or demoted.
func (d *Digest) addAgentChanges(ctx context.Context, q store.Queries) error {
	var after int64
	for {
		es, err := q.AuditList(ctx, &store.AuditListParams{AfterSeq: after, Since: d.Since, Limit: listPage})
		if err != nil {
			return fmt.Errorf("briefing: reading the audit log: %w", err)
		}
		for _, e := range es {
			if c, ok := changeOf(e); ok && d.in(e.At) {
				d.AgentChanges = append(d.AgentChanges, c)
			}
		}
		if len(es) < listPage {
			return nil
		}
		after = es[len(es)-1].Seq
	}
}

// changeOf reads an audit entry about an agent's state or autonomy.
func changeOf(e store.AuditEntry) (AgentChange, bool) {
	name, ok := strings.CutPrefix(e.Subject, "agent:")
	if !ok {
		return AgentChange{}, false
	}
	var data struct {
		State  string `json:"state"`
		Reason string `json:"reason"`
		Was    string `json:"was"`
		Kind   string `json:"kind"`
		From   string `json:"from"`
		To     string `json:"to"`
	}
	_ = json.Unmarshal(e.Data, &data) // a change without readable details is still a change
	c := AgentChange{Agent: name, By: e.Actor, At: e.At.UTC(), Reason: data.Reason, Link: "/agents/" + name}
	switch e.Action {
	case "agent.tripped":
		c.Change = "tripped"
	case "agent.state":
		switch store.AgentState(data.State) {
		case store.AgentPaused:
			c.Change = "paused"
		case store.AgentActive:
			c.Change = "resumed"
		default:
			return AgentChange{}, false
		}
	case "agent.reset":
		c.Change = "reset"
		if data.Was != "" {
			c.Reason = "was stopped: " + data.Was
		}
	case "autonomy.promoted", "autonomy.demoted":
		c.Change = strings.TrimPrefix(e.Action, "autonomy.")
		c.Kind, c.From, c.To = data.Kind, data.From, data.To
	default:
		return AgentChange{}, false
	}
	return c, true
}

// addStopped lists the agents paused or tripped now.
func (d *Digest) addStopped(ctx context.Context, q store.Queries) error {
	for _, st := range []store.AgentState{store.AgentTripped, store.AgentPaused} {
		after := ""
		for {
			as, err := q.AgentsList(ctx, &store.AgentsListParams{State: st, After: after, Limit: listPage})
			if err != nil {
				return fmt.Errorf("briefing: reading agents: %w", err)
			}
			for _, a := range as {
				d.Stopped = append(d.Stopped, StoppedAgent{Agent: a.Name, State: a.State, Reason: a.StateReason,
					Since: a.UpdatedAt.UTC(), Owner: a.Owner, Link: "/agents/" + a.Name})
			}
			if len(as) < listPage {
				break
			}
			after = as[len(as)-1].Name
		}
	}
	return nil
}
