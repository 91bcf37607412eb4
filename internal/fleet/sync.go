package fleet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/store"
)

// SyncResult says what syncing the workspace's agent files changed.
type SyncResult struct {
	Created, Updated, Removed, Unchanged int
	Problems                             []FileError
}

// SyncAgents makes the workspace-declared agents in the database match
// the files in dir: new ones are created, changed ones updated, ones
// whose declaration was deleted are removed. A state a person set (paused,
// or tripped by the breaker) survives an update unless the file itself
// says paused. Agents created from the command line are never touched.
// Bad declarations are reported and leave their agent as it was.
func SyncAgents(ctx context.Context, st store.Store, dir, actor string) (*SyncResult, error) {
	declared, problems := LoadAgentFiles(dir)
	res := &SyncResult{Problems: problems}
	now := time.Now().UTC()
	err := st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		*res = SyncResult{Problems: problems}
		existing := map[string]store.Agent{}
		after := ""
		for {
			page, err := q.AgentsList(ctx, &store.AgentsListParams{Source: "workspace", After: after, Limit: 1000})
			if err != nil {
				return err
			}
			for _, a := range page {
				existing[a.Name] = a
			}
			if len(page) < 1000 {
				break
			}
			after = page[len(page)-1].Name
		}
		var upserts []store.Agent
		var entries []audit.Entry
		for _, a := range declared {
			old, had := existing[a.Name]
			delete(existing, a.Name)
			if !had {
				if cur, err := q.AgentGet(ctx, &store.AgentGetParams{Name: a.Name}); err == nil {
					return fmt.Errorf("agent %q is declared in the workspace but was created from the command line (owner %s); rename one of them", a.Name, cur.Owner)
				} else if !errors.Is(err, store.ErrNotFound) {
					return err
				}
			}
			if had {
				if old.State != store.AgentActive && a.State == store.AgentActive {
					a.State, a.StateReason = old.State, old.StateReason
				}
				if sameConfig(old, a) {
					res.Unchanged++
					continue
				}
				res.Updated++
			} else {
				res.Created++
			}
			a.UpdatedAt = now
			a.CreatedAt = now
			upserts = append(upserts, a)
			entries = append(entries, audit.Entry{Actor: actor, Action: "agent.configured", Subject: "agent:" + a.Name, At: now, Data: agentData(a)})
		}
		if len(upserts) > 0 {
			if err := q.AgentsUpsert(ctx, &store.AgentsUpsertParams{Agents: upserts}); err != nil {
				return err
			}
		}
		if len(existing) > 0 && len(problems) == 0 {
			// Only remove when every file parsed: a typo must not delete a fleet.
			names := make([]string, 0, len(existing))
			for n := range existing {
				names = append(names, n)
				entries = append(entries, audit.Entry{Actor: actor, Action: "agent.removed", Subject: "agent:" + n, At: now})
			}
			n, err := q.AgentsDelete(ctx, &store.AgentsDeleteParams{Names: names})
			if err != nil {
				return err
			}
			res.Removed = n
		}
		return audit.Append(ctx, q, entries...)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// sameConfig compares what a file declares, ignoring timestamps.
func sameConfig(a, b store.Agent) bool {
	a.CreatedAt, a.UpdatedAt, b.CreatedAt, b.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return reflect.DeepEqual(normal(a), normal(b))
}

// normal round-trips an agent through JSON so maps decoded from TOML and
// from the database compare equal (numbers as float64, nil vs empty).
func normal(a store.Agent) map[string]any {
	b, _ := json.Marshal(agentData(a))
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m
}

// agentData is the configuration recorded in the audit log.
func agentData(a store.Agent) map[string]any {
	d := map[string]any{"skill": a.Skill, "owner": a.Owner, "state": a.State, "scope": a.Scope, "caps": a.Caps}
	if a.Description != "" {
		d["description"] = a.Description
	}
	if a.Schedule != "" {
		d["schedule"] = a.Schedule
	}
	if len(a.Params) > 0 {
		d["params"] = a.Params
	}
	if len(a.Autonomy) > 0 {
		d["autonomy"] = a.Autonomy
	}
	return d
}
