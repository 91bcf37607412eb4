package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/store"
)

// lastAudit returns the newest audit entry.
func lastAudit(t *testing.T, st store.Store) store.AuditEntry {
	t.Helper()
	var last store.AuditEntry
	var after int64
	for {
		es, err := st.AuditList(context.Background(), &store.AuditListParams{AfterSeq: after, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if len(es) == 0 {
			return last
		}
		last = es[len(es)-1]
		after = last.Seq
	}
}

// TestAgentsPages: the list shows every agent with its record, the page
// of one agent its autonomy and controls; pausing, resuming, resetting
// and running change the store, write the audit log, and are refused to
// roles below the one they need.
func TestAgentsPages(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	agents, err := allAgents(ctx, w.st)
	if err != nil || len(agents) == 0 {
		t.Fatalf("the world has no agents: %v", err)
	}
	name := agents[0].Name
	for _, role := range store.Roles() {
		b := w.signIn(role)
		code, body, _ := b.get("/agents")
		if code != http.StatusOK {
			t.Fatalf("%s: /agents → %d", role, code)
		}
		for _, a := range agents {
			if !strings.Contains(body, `<tr data-agent="`+a.Name+`">`) {
				t.Errorf("%s: /agents lacks a row for %s", role, a.Name)
			}
		}
		code, body, _ = b.get("/agents/" + name)
		if code != http.StatusOK || !strings.Contains(body, "Autonomy per action") {
			t.Fatalf("%s: /agents/%s → %d", role, name, code)
		}
		canPause := strings.Contains(body, `action="/agents/`+name+`/pause"`)
		if canPause != (role == store.RoleAdmin || role == store.RoleArchitect) {
			t.Errorf("%s sees the pause form: %v", role, canPause)
		}
	}
	b := w.signIn(store.RoleViewer)
	if code, _, _ := b.get("/agents/no-such-agent"); code != http.StatusNotFound {
		t.Errorf("an unknown agent: %d, want 404", code)
	}

	// The proposals counted on the list are the agent's real ones.
	ps, err := w.st.ProposalsList(ctx, &store.ProposalsListParams{Agent: name, Page: store.Page{Limit: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	_, body, _ := b.get("/agents")
	row := body[strings.Index(body, `<tr data-agent="`+name+`">`):]
	row = row[:strings.Index(row, "</tr>")]
	if n := len(ps); !strings.Contains(row, `<td class="num">`+itoa(n)+`</td>`) {
		t.Errorf("the row of %s does not show its %d proposals:\n%s", name, n, row)
	}

	// A marketer may run an agent but not pause it.
	m := w.signIn(store.RoleMarketer)
	csrf := m.csrf()
	if code, _, _ := m.post("/agents/"+name+"/pause", url.Values{"csrf": {csrf}, "reason": {"x"}}); code != http.StatusForbidden {
		t.Errorf("a marketer pausing: %d, want 403", code)
	}
	code, _, loc := m.post("/agents/"+name+"/run", url.Values{"csrf": {csrf}})
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/agents/"+name+"?done=") {
		t.Fatalf("run: %d → %q", code, loc)
	}
	if e := lastAudit(t, w.st); e.Action != "agent.run" || e.Actor != "user:marketer" || e.Subject != "agent:"+name {
		t.Errorf("the run's audit entry: %+v", e)
	}

	// An architect pauses (with a reason) and resumes.
	a := w.signIn(store.RoleArchitect)
	csrf = a.csrf()
	if code, _, _ := a.post("/agents/"+name+"/pause", url.Values{"csrf": {csrf}}); code != http.StatusBadRequest {
		t.Errorf("pause without a reason: %d, want 400", code)
	}
	if code, _, _ := a.post("/agents/"+name+"/pause", url.Values{"csrf": {csrf}, "reason": {"checking a complaint"}}); code != http.StatusSeeOther {
		t.Fatalf("pause: %d", code)
	}
	got, _ := w.st.AgentGet(ctx, &store.AgentGetParams{Name: name})
	if got.State != store.AgentPaused || got.StateReason != "checking a complaint" {
		t.Errorf("after pausing: %s (%s)", got.State, got.StateReason)
	}
	if e := lastAudit(t, w.st); e.Action != "agent.state" || e.Actor != "user:architect" || !strings.Contains(string(e.Data), "paused") {
		t.Errorf("the pause's audit entry: %+v", e)
	}
	if code, _, _ := m.post("/agents/"+name+"/run", url.Values{"csrf": {m.csrf()}}); code != http.StatusConflict {
		t.Errorf("running a paused agent: %d, want 409", code)
	}
	if code, _, _ := a.post("/agents/"+name+"/reset", url.Values{"csrf": {csrf}}); code != http.StatusConflict {
		t.Errorf("resetting a paused agent: %d, want 409", code)
	}
	if code, _, _ := a.post("/agents/"+name+"/resume", url.Values{"csrf": {csrf}}); code != http.StatusSeeOther {
		t.Fatalf("resume: %d", code)
	}
	if got, _ := w.st.AgentGet(ctx, &store.AgentGetParams{Name: name}); got.State != store.AgentActive {
		t.Errorf("after resuming: %s", got.State)
	}

	// A tripped agent is reset, not resumed.
	if _, err := w.st.AgentStateSet(ctx, &store.AgentStateSetParams{Name: name, State: store.AgentTripped, Reason: "circuit breaker: test"}); err != nil {
		t.Fatal(err)
	}
	if code, body, _ := a.post("/agents/"+name+"/resume", url.Values{"csrf": {csrf}}); code != http.StatusConflict || !strings.Contains(body, "Reset") {
		t.Errorf("resuming a tripped agent: %d", code)
	}
	if code, _, _ := a.post("/agents/"+name+"/reset", url.Values{"csrf": {csrf}}); code != http.StatusSeeOther {
		t.Fatalf("reset: %d", code)
	}
	if got, _ := w.st.AgentGet(ctx, &store.AgentGetParams{Name: name}); got.State != store.AgentActive {
		t.Errorf("after reset: %s", got.State)
	}
	if e := lastAudit(t, w.st); e.Action != "agent.reset" || e.Actor != "user:architect" {
		t.Errorf("the reset's audit entry: %+v", e)
	}
	if rep, err := audit.Verify(ctx, w.st); err != nil || !rep.OK {
		t.Errorf("the audit chain after the console's changes: %+v %v", rep, err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
