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
	"github.com/towerops/tower/internal/fleet"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// TestFleetRoutes decides on proposals and pauses an agent through the
// API, checking the answers and what the store holds afterwards.
func TestFleetRoutes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := openTestStore(t)
	if _, err := auth.CreateUser(ctx, st, "system", auth.NewUser{Name: "ana", Role: store.RoleArchitect}); err != nil {
		t.Fatal(err)
	}
	secret, _, err := auth.CreateToken(ctx, st, "system", auth.NewToken{User: "ana", Name: "t"})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.AgentsUpsert(ctx, &store.AgentsUpsertParams{Agents: []store.Agent{{Name: "bot", Skill: "x", Owner: "ana", State: store.AgentActive}}}); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := 0; i < 2; i++ {
		p := proposal.New(proposal.Draft{Agent: "bot", Title: "t", Key: string(rune('a' + i)), Confidence: 1,
			Actions: []proposal.Action{{Kind: proposal.CreateTask, Params: map[string]any{"title": "call"}}}}, "x", time.Now())
		p.Status = proposal.StatusPendingApproval
		p.Decision = &proposal.Decision{Effect: proposal.EffectRequireApproval, Autonomy: "approve"}
		if _, err := st.ProposalsInsert(ctx, &store.ProposalsInsertParams{Proposals: []proposal.Proposal{p}}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	s := New(st, nil, "test")
	s.Fleet = &Fleet{Runner: &fleet.Runner{Store: st}, Lifecycle: &fleet.Lifecycle{Store: st}}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	do := func(method, path, body string) (int, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+secret)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var out map[string]any
		_ = json.Unmarshal(b, &out)
		return resp.StatusCode, out
	}
	if code, out := do("POST", "/api/v1/proposals/"+ids[0]+"/reject", ""); code != http.StatusBadRequest ||
		!strings.Contains(out["error"].(map[string]any)["message"].(string), "reason") {
		t.Errorf("reject without a reason: %d %v", code, out)
	}
	if code, out := do("POST", "/api/v1/proposals/"+ids[0]+"/reject", `{"reason":"not now"}`); code != http.StatusOK || out["status"] != "rejected" {
		t.Errorf("reject: %d %v", code, out)
	}
	if code, _ := do("POST", "/api/v1/proposals/"+ids[0]+"/approve", ""); code != http.StatusConflict {
		t.Errorf("approving a rejected proposal: %d, want 409", code)
	}
	if code, out := do("POST", "/api/v1/proposals/"+ids[1]+"/approve", ""); code != http.StatusOK || out["status"] != "approved" {
		t.Errorf("approve: %d %v", code, out)
	}
	got, _ := st.ProposalGet(ctx, &store.ProposalGetParams{ID: ids[1]})
	if got.Decision.Approvals[0].By != "ana" {
		t.Errorf("approval recorded as %+v", got.Decision.Approvals)
	}
	if code, _ := do("GET", "/api/v1/proposals/p_nope", ""); code != http.StatusNotFound {
		t.Errorf("unknown proposal: %d", code)
	}
	code, out := do("POST", "/api/v1/agents/bot/pause", `{"reason":"holiday"}`)
	if code != http.StatusOK || out["state"] != "paused" || out["state_reason"] != "holiday" {
		t.Errorf("pause: %d %v", code, out)
	}
	if code, out := do("POST", "/api/v1/agents/bot/run", ""); code != http.StatusConflict {
		t.Errorf("running a paused agent: %d %v, want 409", code, out)
	}

	// Agents page by name: add more, then walk with limit=2 while one more
	// agent is added behind the cursor; each agent comes exactly once.
	var more []store.Agent
	for _, n := range []string{"a1", "c3", "d4", "e5"} {
		more = append(more, store.Agent{Name: n, Skill: "x", Owner: "ana", State: store.AgentActive})
	}
	if err := st.AgentsUpsert(ctx, &store.AgentsUpsertParams{Agents: more}); err != nil {
		t.Fatal(err)
	}
	var names []string
	cur := ""
	for pages := 0; pages < 10; pages++ {
		_, page := do("GET", "/api/v1/agents?limit=2&cursor="+cur, "")
		for _, it := range page["items"].([]any) {
			names = append(names, it.(map[string]any)["name"].(string))
		}
		if pages == 0 {
			if err := st.AgentsUpsert(ctx, &store.AgentsUpsertParams{Agents: []store.Agent{{Name: "a0", Skill: "x", Owner: "ana", State: store.AgentActive}}}); err != nil {
				t.Fatal(err)
			}
		}
		next, _ := page["next_cursor"].(string)
		if next == "" {
			break
		}
		cur = next
	}
	if got := strings.Join(names, ","); got != "a1,bot,c3,d4,e5" {
		t.Errorf("agents page by page: %s, want a1,bot,c3,d4,e5 (a0 was added before the cursor)", got)
	}
}
