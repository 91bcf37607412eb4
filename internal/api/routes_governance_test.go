package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/auth"
	"github.com/towerops/tower/internal/briefing"
	"github.com/towerops/tower/internal/fleet"
	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// TestGovernanceRoutes goes through the governance routes as an approver
// and an architect: the inbox, an edit that supersedes a proposal, its
// explanation, the policies, a delegation, the kill switch and a breaker
// reset — checking the answers and what the store holds afterwards.
func TestGovernanceRoutes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := openTestStore(t)
	var err error
	tokens := map[string]string{}
	for name, role := range map[string]store.Role{"ana": store.RoleArchitect, "bo": store.RoleApprover} {
		if _, err := auth.CreateUser(ctx, st, "system", auth.NewUser{Name: name, Role: role}); err != nil {
			t.Fatal(err)
		}
		if tokens[name], _, err = auth.CreateToken(ctx, st, "system", auth.NewToken{User: name, Name: "t"}); err != nil {
			t.Fatal(err)
		}
	}
	agent := store.Agent{Name: "bot", Skill: "x", Owner: "ana", State: store.AgentActive}
	if err := st.AgentsUpsert(ctx, &store.AgentsUpsertParams{Agents: []store.Agent{agent}}); err != nil {
		t.Fatal(err)
	}
	pack, err := governance.DefaultPack()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	p := proposal.New(proposal.Draft{Agent: "bot", Title: "Tag two people", Key: "k", Confidence: 1,
		Actions: []proposal.Action{{Kind: proposal.Tag, Params: map[string]any{"tag": "vip"},
			Targets: []proposal.Target{{Type: proposal.TargetPerson, ID: "1"}, {Type: proposal.TargetPerson, ID: "2"}}}}}, "x", now)
	p.Status = proposal.StatusPendingApproval
	p.Decision = &proposal.Decision{Effect: proposal.EffectRequireApproval, Autonomy: "approve", Rules: []string{"autonomy:tag=approve"}}
	err = st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		if _, err := q.ProposalsInsert(ctx, &store.ProposalsInsertParams{Proposals: []proposal.Proposal{p}}); err != nil {
			return err
		}
		req := governance.RequestFor(&p, agent, pack.PlanFor(p.Decision), "agent:bot", now)
		return q.ApprovalRequestsInsert(ctx, &store.ApprovalRequestsInsertParams{Requests: []store.ApprovalRequest{req}})
	})
	if err != nil {
		t.Fatal(err)
	}
	runner := &fleet.Runner{Store: st, Pack: pack}
	s := New(st, nil, "test")
	s.Fleet = &Fleet{Runner: runner, Lifecycle: &fleet.Lifecycle{Store: st, Pack: pack, Runner: runner}}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	do := func(user, method, path, body string) (int, any) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tokens[user])
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var out any
		_ = json.Unmarshal(b, &out)
		return resp.StatusCode, out
	}

	code, out := do("bo", "GET", "/api/v1/inbox", "")
	items := itemsOf(out)
	if code != http.StatusOK || len(items) != 1 || items[0].(map[string]any)["proposal"].(map[string]any)["id"] != p.ID {
		t.Fatalf("inbox: %d %v", code, out)
	}

	t.Run("briefing", func(t *testing.T) {
		if code, out := do("bo", "GET", "/api/v1/briefing?for=ana", ""); code != http.StatusForbidden {
			t.Errorf("an approver reading someone else's briefing: %d %v, want 403", code, out)
		}
		if code, out := do("ana", "GET", "/api/v1/briefing?for=nobody", ""); code != http.StatusNotFound {
			t.Errorf("the briefing of nobody: %d %v, want 404", code, out)
		}
		want, err := briefing.Build(ctx, st, "bo", time.Now(), briefingWindow)
		if err != nil && strings.Contains(err.Error(), "not built yet") {
			t.Skip("briefing.Build is not built yet")
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, who := range []struct{ user, path string }{{"bo", "/api/v1/briefing"}, {"ana", "/api/v1/briefing?for=bo"}} {
			code, out := do(who.user, "GET", who.path, "")
			d, _ := out.(map[string]any)
			if code != http.StatusOK || d["for"] != "bo" {
				t.Fatalf("%s GET %s: %d %v", who.user, who.path, code, out)
			}
			decisions, _ := d["decisions"].([]any)
			if len(decisions) != len(want.Decisions) || len(decisions) != 1 || decisions[0].(map[string]any)["id"] != p.ID {
				t.Errorf("%s GET %s: decisions %v, want the one proposal waiting (%d from Build)", who.user, who.path, decisions, len(want.Decisions))
			}
		}
	})

	code, out = do("bo", "GET", "/api/v1/proposals/"+p.ID+"/approvals", "")
	if ap, _ := out.(map[string]any); code != http.StatusOK || ap["request"] == nil ||
		ap["request"].(map[string]any)["state"] != "open" || ap["request"].(map[string]any)["required"] != float64(1) {
		t.Errorf("approvals: %d %v", code, out)
	}

	code, out = do("bo", "POST", "/api/v1/proposals/"+p.ID+"/edit", `{"drop_targets":["person:2"],"set_params":{"1.tag":"gold"},"reason":"only one"}`)
	rev, _ := out.(map[string]any)
	if code != http.StatusOK || rev["revises"] != p.ID || rev["id"] == p.ID {
		t.Fatalf("edit: %d %v", code, out)
	}
	if code, out := do("bo", "POST", "/api/v1/proposals/"+rev["id"].(string)+"/edit", `{"set_params":{"x.tag":"gold"}}`); code != http.StatusBadRequest {
		t.Errorf("edit with a bad key: %d %v, want 400", code, out)
	}
	old, err := st.ProposalGet(ctx, &store.ProposalGetParams{ID: p.ID})
	if err != nil || old.Status != proposal.StatusSuperseded {
		t.Fatalf("old revision: %v %v", old.Status, err)
	}
	got, err := st.ProposalGet(ctx, &store.ProposalGetParams{ID: rev["id"].(string)})
	if err != nil || len(got.Actions[0].Targets) != 1 || got.Actions[0].Params["tag"] != "gold" || got.Decision == nil {
		t.Fatalf("new revision: %+v %v", got, err)
	}

	code, out = do("bo", "GET", "/api/v1/proposals/"+got.ID+"/explain", "")
	if ex, _ := out.(map[string]any); code != http.StatusOK || ex["decision"] == nil {
		t.Errorf("explain: %d %v", code, out)
	}
	code, out = do("bo", "GET", "/api/v1/policies", "")
	if rules := itemsOf(out); code != http.StatusOK || !strings.Contains(mustJSON(t, rules), `"consent.email"`) {
		t.Errorf("policies: %d %v", code, out)
	}

	until := now.Add(48 * time.Hour).Format(time.RFC3339)
	if code, out := do("bo", "POST", "/api/v1/delegations", `{"to":"ana","until":"`+until+`"}`); code != http.StatusOK {
		t.Errorf("delegate: %d %v", code, out)
	}
	code, out = do("bo", "GET", "/api/v1/delegations", "")
	if ds := itemsOf(out); code != http.StatusOK || len(ds) != 1 {
		t.Errorf("delegations: %d %v", code, out)
	}
	if code, _ := do("bo", "POST", "/api/v1/delegations", `{"to":"bo","until":"`+until+`"}`); code != http.StatusBadRequest {
		t.Errorf("delegating to oneself: %d, want 400", code)
	}

	if code, out := do("bo", "POST", "/api/v1/execution/pause", `{"reason":"bad upload"}`); code != http.StatusOK {
		t.Fatalf("pause: %d %v", code, out)
	}
	if paused, err := governance.ExecutionPaused(ctx, st); err != nil || !paused {
		t.Fatalf("after pause the store says paused=%v (%v)", paused, err)
	}
	code, out = do("bo", "GET", "/api/v1/execution", "")
	if m, _ := out.(map[string]any); code != http.StatusOK || m["paused"] != true {
		t.Errorf("execution status: %d %v", code, out)
	}
	if code, _ := do("bo", "POST", "/api/v1/execution/resume", ""); code != http.StatusForbidden {
		t.Errorf("an approver resuming: %d, want 403", code)
	}
	if code, out := do("ana", "POST", "/api/v1/execution/resume", ""); code != http.StatusOK {
		t.Errorf("resume: %d %v", code, out)
	}
	if paused, _ := governance.ExecutionPaused(ctx, st); paused {
		t.Error("still paused after resume")
	}

	if code, _ := do("ana", "POST", "/api/v1/agents/bot/reset", ""); code != http.StatusConflict {
		t.Errorf("resetting an agent that is not tripped: %d, want 409", code)
	}
	if _, err := st.AgentStateSet(ctx, &store.AgentStateSetParams{Name: "bot", State: store.AgentTripped, Reason: "test", At: now}); err != nil {
		t.Fatal(err)
	}
	code, out = do("ana", "POST", "/api/v1/agents/bot/reset", "")
	if code != http.StatusOK {
		t.Fatalf("reset: %d %v", code, out)
	}
	if a, err := st.AgentGet(ctx, &store.AgentGetParams{Name: "bot"}); err != nil || a.State != store.AgentActive {
		t.Errorf("after reset the agent is %v (%v)", a.State, err)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// itemsOf returns the items of a decoded list answer, {"items":[…]}.
func itemsOf(out any) []any {
	m, _ := out.(map[string]any)
	items, _ := m["items"].([]any)
	return items
}
