package fleet

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

// testSkill proposes, per agent, a tag on every person whose e-mail starts
// with the agent's "prefix" parameter, and a notification for its owner.
// Agent "liar" also returns a draft with an action kind the skill does not
// declare, and "broken" an invalid action; both must be refused.
type testSkill struct{}

func (testSkill) Manifest() skill.Manifest {
	return skill.Manifest{Name: "test-fleet", Team: "tests", Actions: []proposal.Kind{proposal.Tag, proposal.Notify},
		Params: []skill.Param{{Name: "prefix", Type: skill.String, Default: "a"}}}
}

func (testSkill) Run(ctx context.Context, v skill.View, batch []skill.Agent) ([]proposal.Draft, error) {
	people, err := v.PeopleList(ctx, &store.PeopleListParams{Page: store.Page{Limit: 1000}})
	if err != nil {
		return nil, err
	}
	var out []proposal.Draft
	for _, a := range batch {
		for _, p := range people {
			if !strings.HasPrefix(p.Email, a.Params.String("prefix")) {
				continue
			}
			id := strconv.FormatInt(p.ID, 10)
			out = append(out, proposal.Draft{Agent: a.Name, Title: "tag " + p.Email, Key: "person:" + id, Confidence: 0.8,
				Actions: []proposal.Action{{Kind: proposal.Tag, Targets: []proposal.Target{{Type: proposal.TargetPerson, ID: id, Label: p.Email}},
					Params: map[string]any{"tag": "vip"}}}})
		}
		out = append(out, proposal.Draft{Agent: a.Name, Title: "hello", Key: "hello", Confidence: 1,
			Actions: []proposal.Action{{Kind: proposal.Notify, Targets: []proposal.Target{{Type: proposal.TargetOwner, ID: a.Owner}},
				Params: map[string]any{"message": "ran"}}}})
		switch a.Name {
		case "liar":
			out = append(out, proposal.Draft{Agent: a.Name, Title: "sneaky", Key: "x", Actions: []proposal.Action{{Kind: proposal.Suppress,
				Targets: []proposal.Target{proposal.RecordTarget("crm", "1", "")}, Params: map[string]any{"channel": "email", "reason": "x"}}}})
		case "broken":
			out = append(out, proposal.Draft{Agent: a.Name, Title: "bad", Key: "y", Actions: []proposal.Action{{Kind: proposal.Tag}}})
		}
	}
	return out, nil
}

func init() { skill.Register(testSkill{}) }

var t0 = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

func seed(t *testing.T, st store.Store, agents ...store.Agent) {
	t.Helper()
	ctx := context.Background()
	var recs []foundation.Record
	for _, e := range []string{"ann", "abe", "bob"} {
		recs = append(recs, foundation.Record{System: "crm", SystemID: e, Email: e + "@x.com"})
	}
	if _, err := st.RecordsUpsert(ctx, &store.RecordsUpsertParams{Records: recs}); err != nil {
		t.Fatal(err)
	}
	for i := range agents {
		agents[i].Skill, agents[i].Source, agents[i].CreatedAt, agents[i].UpdatedAt = "test-fleet", "cli", t0, t0
		if agents[i].State == "" {
			agents[i].State = store.AgentActive
		}
		if agents[i].Owner == "" {
			agents[i].Owner = "maria"
		}
	}
	if err := st.AgentsUpsert(ctx, &store.AgentsUpsertParams{Agents: agents}); err != nil {
		t.Fatal(err)
	}
}

func verifyAudit(t *testing.T, st store.Store) {
	t.Helper()
	rep, err := audit.Verify(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK {
		t.Fatalf("audit chain broken: %+v", rep.Problem)
	}
}

func TestRunWritesGovernsAndNeverDuplicates(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		seed(t, st, store.Agent{Name: "a1"}, store.Agent{Name: "b1", Params: map[string]any{"prefix": "b"}},
			store.Agent{Name: "liar"}, store.Agent{Name: "broken"}, store.Agent{Name: "sleepy", State: store.AgentPaused},
			store.Agent{Name: "typo", Params: map[string]any{"prefx": "a"}})
		r := &Runner{Store: st, BatchSize: 2} // several batches
		dry, err := r.Run(ctx, RunRequest{Skill: "test-fleet", Now: t0, DryRun: true})
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := st.ProposalsCount(ctx, &store.ProposalsListParams{}); total(n) != 0 {
			t.Fatalf("a dry run wrote %d proposals", total(n))
		}
		res, err := r.Run(ctx, RunRequest{Skill: "test-fleet", Now: t0, Trigger: skill.Trigger{Kind: "manual"}})
		if err != nil {
			t.Fatal(err)
		}
		// a1: ann, abe + hello; b1: bob + hello; liar: ann, abe + hello; broken: ann, abe + hello.
		if len(res.Proposals) != 11 || len(dry.Proposals) != 11 {
			t.Fatalf("wrote %d proposals (dry run %d), want 11", len(res.Proposals), len(dry.Proposals))
		}
		if res.Agents != 4 {
			t.Errorf("ran %d agents, want 4 (sleepy is paused, typo has a bad parameter)", res.Agents)
		}
		if res.ByStatus[proposal.StatusPendingApproval] != 7 || res.ByStatus[proposal.StatusAllowed] != 4 {
			t.Errorf("by status %v, want 7 pending (tags) and 4 allowed (notifications)", res.ByStatus)
		}
		problems := map[string]string{}
		for _, p := range res.Invalid {
			problems[p.Agent] = p.Err
		}
		if !strings.Contains(problems["liar"], "not declared") || !strings.Contains(problems["broken"], "at least 1 target") ||
			!strings.Contains(problems["typo"], "prefx") || len(problems) != 3 {
			t.Errorf("problems %v", problems)
		}
		for _, p := range res.Proposals {
			got, err := st.ProposalGet(ctx, &store.ProposalGetParams{ID: p.ID})
			if err != nil {
				t.Fatal(err)
			}
			if got.Decision == nil || len(got.Decision.Rules) == 0 || got.Trigger != "manual" {
				t.Errorf("proposal %s stored without decision or trigger: %+v", p.ID, got)
			}
			if got.Actions[0].Kind == proposal.Tag && (len(got.Preview) != 1 || got.Preview[0].After != "vip") {
				t.Errorf("tag proposal preview %+v", got.Preview)
			}
		}
		entries, err := st.AuditList(ctx, &store.AuditListParams{})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 11 {
			t.Errorf("%d audit entries, want one per proposal (11)", len(entries))
		}
		again, err := r.Run(ctx, RunRequest{Skill: "test-fleet", Now: t0.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if len(again.Proposals) != 0 || again.Skipped != 11 {
			t.Errorf("second run wrote %d, skipped %d; want 0 and 11", len(again.Proposals), again.Skipped)
		}
		runs, err := st.RunsList(ctx, &store.RunsListParams{Skill: "test-fleet"})
		if err != nil || len(runs) < 2 {
			t.Errorf("runs recorded: %d, %v", len(runs), err)
		}
		verifyAudit(t, st)
	})
}

func total(m map[proposal.Status]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func TestApproveExecuteUndoExpire(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		seed(t, st, store.Agent{Name: "a1"})
		r := &Runner{Store: st}
		res, err := r.Run(ctx, RunRequest{Skill: "test-fleet", Now: t0})
		if err != nil {
			t.Fatal(err)
		}
		var tagP, helloP proposal.Proposal
		for _, p := range res.Proposals {
			if p.Title == "tag ann@x.com" {
				tagP = p
			}
			if p.Key == "hello" {
				helloP = p
			}
		}
		lc := &Lifecycle{Store: st}
		if _, err := lc.Execute(ctx, tagP.ID); !errors.Is(err, ErrNotRunnable) {
			t.Fatalf("executing a pending proposal: %v", err)
		}
		if _, err := lc.Decide(ctx, tagP.ID, "ops", false, ""); err == nil {
			t.Fatal("rejected without a reason")
		}
		p, err := lc.Decide(ctx, tagP.ID, "ops", true, "")
		if err != nil || p.Status != proposal.StatusApproved || p.Decision.Approvals[0].By != "ops" {
			t.Fatalf("approve: %+v, %v", p, err)
		}
		if _, err := lc.Decide(ctx, tagP.ID, "ops", true, ""); !errors.Is(err, proposal.ErrIllegalTransition) {
			t.Fatalf("approving twice: %v", err)
		}
		if p, err = lc.Execute(ctx, tagP.ID); err != nil || p.Status != proposal.StatusExecuted {
			t.Fatalf("execute: %+v, %v", p, err)
		}
		if p, err = lc.Execute(ctx, tagP.ID); err != nil || p.Status != proposal.StatusExecuted {
			t.Fatalf("execute again: %+v, %v", p, err)
		}
		tags, _ := st.TagsList(ctx, &store.TagsListParams{Tag: "vip"})
		if len(tags) != 1 || tags[0].ProposalID != tagP.ID {
			t.Fatalf("tags after execute: %+v", tags)
		}
		ex, err := st.ExecutionsList(ctx, &store.ExecutionsListParams{ProposalID: tagP.ID})
		if err != nil || len(ex) != 1 || ex[0].Actor != "user:ops" {
			t.Fatalf("execution record: %+v, %v", ex, err)
		}
		if p, err = lc.Undo(ctx, tagP.ID, "ops"); err != nil || p.Status != proposal.StatusUndone {
			t.Fatalf("undo: %+v, %v", p, err)
		}
		if tags, _ = st.TagsList(ctx, &store.TagsListParams{Tag: "vip"}); len(tags) != 0 {
			t.Fatalf("tags after undo: %+v", tags)
		}
		// The notification was allowed: it runs on its own, by autonomy.
		if p, err = lc.Execute(ctx, helloP.ID); err != nil || p.Status != proposal.StatusExecuted {
			t.Fatalf("execute notification: %+v, %v", p, err)
		}
		if ex, _ = st.ExecutionsList(ctx, &store.ExecutionsListParams{ProposalID: helloP.ID}); len(ex) != 1 || ex[0].Actor != "autonomy:auto" {
			t.Fatalf("notification execution: %+v", ex)
		}
		if _, err := lc.Undo(ctx, helloP.ID, "ops"); err == nil {
			t.Fatal("undid a notification")
		}
		// Expiry: the other pending tag lapses once its time has passed.
		lc.Now = func() time.Time { return t0.Add(proposal.DefaultTTL + time.Minute) }
		n, err := lc.Expire(ctx)
		if err != nil || n != 1 {
			t.Fatalf("expired %d, %v; want 1", n, err)
		}
		verifyAudit(t, st)
	})
}

func TestSyncAgentsFromFiles(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		dir := t.TempDir()
		write := func(name, body string) {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		write("team.toml", `
[[agent]]
name = "one"
skill = "test-fleet"
owner = "maria"

[[agent]]
name = "two"
skill = "test-fleet"
owner = "li"
params = { prefix = "b" }
autonomy = { tag = "auto" }
`)
		res, err := SyncAgents(ctx, st, dir, "user:test")
		if err != nil || res.Created != 2 || len(res.Problems) != 0 {
			t.Fatalf("first sync: %+v, %v", res, err)
		}
		two, _ := st.AgentGet(ctx, &store.AgentGetParams{Name: "two"})
		if two.Autonomy[proposal.Tag] != "auto" || two.Params["prefix"] != "b" || two.Source != "workspace" {
			t.Errorf("agent two: %+v", two)
		}
		if _, err := st.AgentStateSet(ctx, &store.AgentStateSetParams{Name: "one", State: store.AgentPaused, Reason: "holiday", At: t0}); err != nil {
			t.Fatal(err)
		}
		res, err = SyncAgents(ctx, st, dir, "user:test")
		if err != nil || res.Unchanged != 2 {
			t.Fatalf("unchanged sync: %+v, %v", res, err)
		}
		if one, _ := st.AgentGet(ctx, &store.AgentGetParams{Name: "one"}); one.State != store.AgentPaused {
			t.Errorf("a paused agent was resumed by a sync")
		}
		write("bad.toml", "[[agent]]\nname = \"three\"\nskill = \"no-such-skill\"\nowner = \"x\"\n")
		res, err = SyncAgents(ctx, st, dir, "user:test")
		if err != nil || len(res.Problems) != 1 || res.Problems[0].Line != 2 || !strings.Contains(res.Problems[0].Error(), "bad.toml:2") {
			t.Fatalf("bad file: %+v, %v", res, err)
		}
		write("team.toml", "[[agent]]\nname = \"one\"\nskill = \"test-fleet\"\nowner = \"maria\"\nparams = { prefix = \"z\" }\n")
		if err := os.Remove(filepath.Join(dir, "bad.toml")); err != nil {
			t.Fatal(err)
		}
		res, err = SyncAgents(ctx, st, dir, "user:test")
		if err != nil || res.Updated != 1 || res.Removed != 1 {
			t.Fatalf("change and removal: %+v, %v", res, err)
		}
		if _, err := st.AgentGet(ctx, &store.AgentGetParams{Name: "two"}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("agent two should be gone: %v", err)
		}
		write("typo.toml", "[[agent]]\nname = \"x\"\nskil = \"test-fleet\"\n")
		res, _ = SyncAgents(ctx, st, dir, "user:test")
		if len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Error(), "skil") {
			t.Errorf("unknown setting: %+v", res.Problems)
		}
		verifyAudit(t, st)
	})
}
