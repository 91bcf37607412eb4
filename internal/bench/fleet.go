package bench

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/towerops/tower/internal/fleet"
	"github.com/towerops/tower/internal/jobs"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
)

// benchSkill is the trivial skill of the fleet measurement: every agent
// proposes one notification to its owner. Notifications run on their own
// by default, so every proposal is governed, allowed and gets an execution
// job — the full path of a fleet cycle except the executor itself.
type benchSkill struct{}

const benchSkillName = "bench-heartbeat"

func (benchSkill) Manifest() skill.Manifest {
	return skill.Manifest{Name: benchSkillName, Team: "tower", Description: "Measurement only: each agent proposes one notification.",
		Actions: []proposal.Kind{proposal.Notify}}
}

func (benchSkill) Run(_ context.Context, v skill.View, batch []skill.Agent) ([]proposal.Draft, error) {
	out := make([]proposal.Draft, len(batch))
	day := v.Now().Format("2006-01-02")
	for i, a := range batch {
		out[i] = proposal.Draft{Agent: a.Name, Title: "Heartbeat from " + a.Name, Rationale: "measurement", Confidence: 1,
			Key: "heartbeat:" + day,
			Actions: []proposal.Action{{Kind: proposal.Notify, Targets: []proposal.Target{{Type: proposal.TargetOwner, ID: a.Owner}},
				Params: map[string]any{"message": "still here"}}}}
	}
	return out, nil
}

var registerOnce sync.Once

// Fleet creates cfg.Rows agents (default 50,000) of a trivial skill in a
// fresh database and times one fleet cycle: agents read in batches, the
// skill run, every proposal validated, previewed, governed, written with
// its audit entry, and its execution job enqueued in the same transaction.
func Fleet(ctx context.Context, cfg Config) (*Result, error) {
	if cfg.Rows <= 0 {
		cfg.Rows = 50_000
	}
	registerOnce.Do(func() { skill.Register(benchSkill{}) })
	tmp, err := os.MkdirTemp("", "tower-bench-")
	if err != nil {
		return nil, fmt.Errorf("bench folder: %w", err)
	}
	defer os.RemoveAll(tmp)
	st, cleanup, err := freshStore(ctx, cfg.DatabaseURL, tmp)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	if err := jobs.Migrate(ctx, st); err != nil {
		return nil, err
	}
	res := &Result{Name: fmt.Sprintf("fleet cycle of %d agents", cfg.Rows), Backend: st.Backend()}

	cfg.step("creating agents")
	start := time.Now()
	now := time.Now().UTC()
	for i := 0; i < cfg.Rows; i += 5000 {
		batch := make([]store.Agent, 0, 5000)
		for j := i; j < min(i+5000, cfg.Rows); j++ {
			batch = append(batch, store.Agent{Name: "agent-" + strconv.Itoa(100000+j), Skill: benchSkillName,
				Owner: "owner-" + strconv.Itoa(j%50), State: store.AgentActive, Source: "cli", CreatedAt: now, UpdatedAt: now})
		}
		if err := st.AgentsUpsert(ctx, &store.AgentsUpsertParams{Agents: batch}); err != nil {
			return nil, err
		}
	}
	res.add("create agents", int64(cfg.Rows), time.Since(start))

	q, err := jobs.Open(ctx, st, jobs.Config{InsertOnly: true})
	if err != nil {
		return nil, err
	}
	r := &fleet.Runner{Store: st, Enqueuer: fleet.JobEnqueuer{Queue: q}, Logger: slog.New(slog.DiscardHandler)}
	cfg.step("running the fleet")
	out, err := r.Run(ctx, fleet.RunRequest{Skill: benchSkillName, Trigger: skill.Trigger{Kind: "manual"}})
	if err != nil {
		return nil, err
	}
	if len(out.Proposals) != cfg.Rows || out.ByStatus[proposal.StatusAllowed] != cfg.Rows {
		return nil, fmt.Errorf("bench fleet: %d proposals (%v) for %d agents", len(out.Proposals), out.ByStatus, cfg.Rows)
	}
	res.add("fleet cycle (skill, govern, write, enqueue)", int64(len(out.Proposals)), out.Duration)
	res.finish(int64(len(out.Proposals)), out.Duration)
	return res, nil
}
