package bench

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/postgres"
)

// Governance measures the two figures governance is judged on:
//
//   - a policy decision with the default pack, autonomy and caps included
//     (the part of deciding that runs for every proposal; the foundation
//     lookups some rules need are I/O and measured by the fleet cycle),
//     reported as the median over many timed batches;
//   - cfg.Rows (default 10,000) pending approvals whose escalation timers
//     are all due: the store is closed and opened again (a restart), and
//     the time until the escalator has fired every escalation.
func Governance(ctx context.Context, cfg Config) (*Result, error) {
	if cfg.Rows <= 0 {
		cfg.Rows = 10_000
	}
	pack, err := governance.DefaultPack()
	if err != nil {
		return nil, err
	}
	res := &Result{Name: fmt.Sprintf("governance: decisions, and %d due escalations after a restart", cfg.Rows)}
	cfg.step("timing decisions")
	for _, c := range decisionCases() {
		med, err := medianDecision(pack, c.p, c.vars)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.name, err)
		}
		res.add(fmt.Sprintf("decide: %s: median %.2f µs per decision", c.name, float64(med.Nanoseconds())/1000), 1, med)
	}

	tmp, err := os.MkdirTemp("", "tower-bench-")
	if err != nil {
		return nil, fmt.Errorf("bench folder: %w", err)
	}
	defer os.RemoveAll(tmp)
	url, drop, err := scratchURL(ctx, cfg.DatabaseURL, tmp)
	if err != nil {
		return nil, err
	}
	if drop != nil {
		defer func() { _ = drop(context.WithoutCancel(ctx)) }()
	}
	st, err := store.Open(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("bench database: %w", err)
	}
	if _, err := st.MigrateUp(ctx); err != nil {
		st.Close()
		return nil, err
	}
	res.Backend = st.Backend()
	cfg.step("writing pending approvals")
	start := time.Now()
	created := time.Now().UTC().Add(-48 * time.Hour)
	if err := pendingApprovals(ctx, st, pack, cfg.Rows, created); err != nil {
		st.Close()
		return nil, err
	}
	res.add("write pending approvals", int64(cfg.Rows), time.Since(start))
	st.Close()

	cfg.step("restarting and escalating")
	start = time.Now()
	st, err = store.Open(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("reopening: %w", err)
	}
	defer st.Close()
	esc := &governance.Escalator{Store: st, Pack: pack, Logger: slog.New(slog.DiscardHandler)}
	fired := 0
	for {
		n, err := esc.Tick(ctx)
		if err != nil {
			return nil, err
		}
		fired += n
		if n == 0 {
			break
		}
	}
	took := time.Since(start)
	if fired < cfg.Rows {
		return nil, fmt.Errorf("bench governance: %d escalations fired for %d due approvals", fired, cfg.Rows)
	}
	res.add("restart + every due escalation fired", int64(fired), took)
	res.finish(int64(fired), took)
	return res, nil
}

type decisionCase struct {
	name string
	p    *proposal.Proposal
	vars []governance.Vars
}

// decisionCases are typical proposals: a tag on people (the stale-consent
// agent's) and a notification e-mailed to people.
func decisionCases() []decisionCase {
	now := time.Now().UTC()
	tag := &proposal.Proposal{Skill: "stale-consent", Agent: "stale-consent-eu", BlastRadius: 1, Confidence: 0.8,
		Actions: []proposal.Action{{Kind: proposal.Tag, Targets: []proposal.Target{{Type: proposal.TargetPerson, ID: "42"}},
			Params: map[string]any{"tag": "re-permission"}}}}
	notify := &proposal.Proposal{Skill: "campaign-watch", Agent: "watch-newsletter", BlastRadius: 3, Confidence: 0.9,
		Actions: []proposal.Action{{Kind: proposal.Notify, Targets: []proposal.Target{{Type: proposal.TargetPerson, ID: "1"},
			{Type: proposal.TargetPerson, ID: "2"}, {Type: proposal.TargetPerson, ID: "3"}}, Params: map[string]any{"message": "hello", "channel": "email"}}}}
	mk := func(p *proposal.Proposal, av governance.ActionVars) []governance.Vars {
		return []governance.Vars{{Action: av, Now: now, Actor: "agent:" + p.Agent,
			Proposal: governance.ProposalVars{Skill: p.Skill, Confidence: p.Confidence, BlastRadius: p.BlastRadius, Actions: 1},
			Agent:    governance.AgentVars{Name: p.Agent, Owner: "dana"}}}
	}
	return []decisionCase{
		{"tag 1 person", tag, mk(tag, governance.ActionVars{Kind: "tag", Records: 1, People: 1, AudienceSize: 1})},
		{"e-mail 3 people", notify, mk(notify, governance.ActionVars{Kind: "notify", Records: 3, People: 3, AudienceSize: 3,
			Channel: "email", EmailsPeople: true, WithoutConsent: 1, Systems: []string{"crm", "map"}})},
	}
}

// medianDecision times batches of decisions (autonomy level, caps and the
// pack's rules, as the engine runs them) and returns the median time per
// decision over the batches.
func medianDecision(pack *governance.Pack, p *proposal.Proposal, vars []governance.Vars) (time.Duration, error) {
	const batches, per = 200, 500
	agent := store.Agent{Name: p.Agent, Skill: p.Skill, Owner: "dana"}
	caps := pack.Caps.CapsFor(p.Skill, agent.Caps)
	decide := func() error {
		for i := range vars {
			l, _ := pack.Autonomy.LevelFor(agent, p.Actions[i].Kind, nil)
			vars[i].Agent.Autonomy = string(l)
		}
		extra := governance.CheckCaps(caps, governance.Usage{Today: 10}, p, vars, nil)
		_, err := pack.Decide(governance.DecideInput{Vars: vars, Extra: extra, Now: vars[0].Now})
		return err
	}
	for i := 0; i < per; i++ { // warm up
		if err := decide(); err != nil {
			return 0, err
		}
	}
	times := make([]time.Duration, batches)
	for b := range times {
		start := time.Now()
		for i := 0; i < per; i++ {
			if err := decide(); err != nil {
				return 0, err
			}
		}
		times[b] = time.Since(start) / per
	}
	slices.Sort(times)
	return times[batches/2], nil
}

// pendingApprovals writes n proposals waiting for approval, each with an
// approval request whose timer is already due.
func pendingApprovals(ctx context.Context, st store.Store, pack *governance.Pack, n int, created time.Time) error {
	agent := store.Agent{Name: "bench-agent", Skill: "bench", Owner: "dana", State: store.AgentActive, Source: "cli", CreatedAt: created, UpdatedAt: created}
	if err := st.AgentsUpsert(ctx, &store.AgentsUpsertParams{Agents: []store.Agent{agent}}); err != nil {
		return err
	}
	plan := pack.PlanFor(&proposal.Decision{Effect: proposal.EffectRequireApproval})
	plan.SLA = time.Hour
	plan.Escalate = []governance.EscalationLevel{{Roles: []string{"admin"}, SLA: time.Hour}}
	for i := 0; i < n; i += 1000 {
		var props []proposal.Proposal
		var reqs []store.ApprovalRequest
		for j := i; j < min(i+1000, n); j++ {
			p := proposal.New(proposal.Draft{Agent: agent.Name, Title: "bench", Rationale: "bench", Confidence: 1,
				Key: "bench:" + strconv.Itoa(j), Actions: []proposal.Action{{Kind: proposal.Tag,
					Targets: []proposal.Target{{Type: proposal.TargetPerson, ID: strconv.Itoa(j + 1)}}, Params: map[string]any{"tag": "x"}}}}, agent.Skill, created)
			p.Status = proposal.StatusPendingApproval
			p.ExpiresAt = created.Add(30 * 24 * time.Hour)
			p.Decision = &proposal.Decision{Effect: proposal.EffectRequireApproval, Autonomy: "approve", DecidedAt: created}
			props = append(props, p)
			reqs = append(reqs, governance.RequestFor(&p, agent, plan, "agent:"+agent.Name, created))
		}
		err := st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
			if _, err := q.ProposalsInsert(ctx, &store.ProposalsInsertParams{Proposals: props}); err != nil {
				return err
			}
			return q.ApprovalRequestsInsert(ctx, &store.ApprovalRequestsInsertParams{Requests: reqs})
		})
		if err != nil {
			return fmt.Errorf("pending approvals: %w", err)
		}
	}
	return nil
}

// scratchURL is a fresh database to measure on: a SQLite file in dir, or
// a new schema on the PostgreSQL server at url (drop removes it).
func scratchURL(ctx context.Context, url, dir string) (string, func(context.Context) error, error) {
	if url == "" {
		return "sqlite:" + filepath.Join(dir, "bench.db"), nil, nil
	}
	if strings.HasPrefix(url, "postgres") {
		return postgres.ScratchSchema(ctx, url, "bench")
	}
	return url, nil, nil
}
