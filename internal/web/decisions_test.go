package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// pending returns n proposals the user may decide now, of skill ("" for
// any), the inbox's order.
func (w *world) pending(user, skill string, n int) []proposal.Proposal {
	w.t.Helper()
	items, err := governance.Inbox(context.Background(), w.st, user, time.Now(), 1000)
	if err != nil {
		w.t.Fatal(err)
	}
	var out []proposal.Proposal
	for _, it := range items {
		if (skill == "" || it.Proposal.Skill == skill) && len(out) < n {
			out = append(out, it.Proposal)
		}
	}
	if len(out) < n {
		w.t.Fatalf("only %d pending %q proposals for %s, want %d", len(out), skill, user, n)
	}
	return out
}

// status reads a proposal's status from the store.
func (w *world) status(id string) proposal.Status {
	w.t.Helper()
	p, err := w.st.ProposalGet(context.Background(), &store.ProposalGetParams{ID: id})
	if err != nil {
		w.t.Fatal(err)
	}
	return p.Status
}

var statusEl = regexp.MustCompile(`id="status"[^>]*>([a-z_]+)<`)

// pageStatus reads #status from a proposal page.
func (b *browser) pageStatus(id string) (string, string) {
	b.t.Helper()
	code, body, _ := b.get("/proposals/" + id)
	if code != http.StatusOK {
		b.t.Fatalf("proposal page %s: %d", id, code)
	}
	m := statusEl.FindStringSubmatch(body)
	if m == nil {
		b.t.Fatalf("proposal page %s has no #status", id)
	}
	return m[1], body
}

// TestInboxIsPerPerson: an approver's inbox lists exactly what governance
// says they may decide, each row with its decision forms; a viewer's
// explains that nothing waits for them, with no decision forms at all.
func TestInboxIsPerPerson(t *testing.T) {
	w := newWorld(t)
	ap := w.signIn(store.RoleApprover)
	code, body, _ := ap.get("/?limit=500")
	if code != http.StatusOK {
		t.Fatalf("inbox: %d", code)
	}
	items, err := governance.Inbox(context.Background(), w.st, "approver", time.Now(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) == 0 {
		t.Fatal("the world has nothing pending for the approver")
	}
	rows := regexp.MustCompile(`<tr data-proposal="(p_[0-9a-z]+)"`).FindAllStringSubmatch(body, -1)
	if len(rows) != len(items) {
		t.Fatalf("inbox shows %d rows, governance lists %d", len(rows), len(items))
	}
	for i, it := range items {
		if rows[i][1] != it.Proposal.ID {
			t.Fatalf("row %d is %s, want %s (most valuable first)", i, rows[i][1], it.Proposal.ID)
		}
	}
	if n := strings.Count(body, `class="decide"`); n != len(items) {
		t.Errorf("%d approve forms for %d rows", n, len(items))
	}
	// Filters narrow the list to one skill.
	_, body, _ = ap.get("/?skill=license-auditor&limit=500")
	for _, m := range regexp.MustCompile(`<tr data-proposal="(p_[0-9a-z]+)"`).FindAllStringSubmatch(body, -1) {
		p, _ := w.st.ProposalGet(context.Background(), &store.ProposalGetParams{ID: m[1]})
		if p.Skill != "license-auditor" {
			t.Errorf("filtered by license-auditor, the inbox shows %s of %s", p.ID, p.Skill)
		}
	}
	// The default page is cut, with a link to more.
	_, body, _ = ap.get("/")
	if got := strings.Count(body, "<tr data-proposal="); got != min(inboxPageSize, len(items)) || !strings.Contains(body, "Show more") {
		t.Errorf("first page: %d rows, want %d and a Show more link", got, inboxPageSize)
	}

	_, body, _ = w.signIn(store.RoleViewer).get("/")
	if strings.Contains(body, "data-proposal=") || strings.Contains(body, `class="decide"`) || !strings.Contains(body, "Nothing here needs you") {
		t.Errorf("a viewer's inbox should explain that nothing waits for them, without rows or forms")
	}
}

// TestApproveExecutesAndAudits: approving from the inbox applies the
// proposal at once; its page says executed and shows the approval and
// the execution in its audit trail. Undo then reverses it.
func TestApproveExecutesAndAudits(t *testing.T) {
	w := newWorld(t)
	b := w.signIn(store.RoleApprover)
	p := w.pending("approver", "stale-consent", 1)[0]
	code, _, loc := b.post("/proposals/"+p.ID+"/approve", url.Values{"csrf": {b.csrf()}, "decision": {"approve"}, "back": {"/?sort=newest"}})
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/?") || !strings.Contains(loc, "done=") {
		t.Fatalf("approve: %d → %q, want a redirect back to the inbox with a message", code, loc)
	}
	st, body := b.pageStatus(p.ID)
	if st != "executed" || w.status(p.ID) != proposal.StatusExecuted {
		t.Fatalf("after approving: page says %s, store says %s; want executed", st, w.status(p.ID))
	}
	for _, a := range []string{"proposal.proposed", "proposal.approved", "execution.done", "proposal.executed"} {
		if !strings.Contains(body, `data-action="`+a+`"`) {
			t.Errorf("the audit trail on the page lacks %s", a)
		}
	}
	if !strings.Contains(body, `id="undo-form"`) {
		t.Fatal("an executed, undoable proposal has no undo form")
	}
	code, _, loc = b.post("/proposals/"+p.ID+"/undo", url.Values{"csrf": {b.csrf()}})
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/proposals/"+p.ID) {
		t.Fatalf("undo: %d → %q", code, loc)
	}
	st, body = b.pageStatus(p.ID)
	if st != "undone" || !strings.Contains(body, `data-action="execution.undone"`) {
		t.Fatalf("after undo: %s, want undone with execution.undone audited", st)
	}
	// Deciding again is a plain sentence, not an error page.
	code, body, _ = b.post("/proposals/"+p.ID+"/approve", url.Values{"csrf": {b.csrf()}})
	if code != http.StatusConflict || !strings.Contains(body, "already undone") {
		t.Errorf("approving an undone proposal: %d, want 409 saying it is already undone", code)
	}
}

// TestRejectNeedsReason: a rejection without a reason is refused with a
// sentence on the proposal page and changes nothing; with a reason the
// proposal is rejected and the reason audited.
func TestRejectNeedsReason(t *testing.T) {
	w := newWorld(t)
	b := w.signIn(store.RoleApprover)
	p := w.pending("approver", "link-audit", 1)[0]
	code, body, _ := b.post("/proposals/"+p.ID+"/reject", url.Values{"csrf": {b.csrf()}, "reason": {"   "}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Say why you reject it") || !strings.Contains(body, `id="reject-form"`) {
		t.Fatalf("reject without reason: %d, want 422 with the reason asked for on the page", code)
	}
	if got := w.status(p.ID); got != proposal.StatusPendingApproval {
		t.Fatalf("a refused rejection changed the proposal to %s", got)
	}
	code, _, _ = b.post("/proposals/"+p.ID+"/reject", url.Values{"csrf": {b.csrf()}, "reason": {"that landing page is being retired"}})
	if code != http.StatusSeeOther {
		t.Fatalf("reject: %d", code)
	}
	st, body := b.pageStatus(p.ID)
	if st != "rejected" || !strings.Contains(body, `data-action="proposal.rejected"`) || !strings.Contains(body, "that landing page is being retired") {
		t.Fatalf("after rejecting: %s; want rejected, audited with the reason", st)
	}
}

// TestBulkApprove approves three proposals at once, each executed, and
// reports a fourth (already decided) as failed with its reason.
func TestBulkApprove(t *testing.T) {
	w := newWorld(t)
	b := w.signIn(store.RoleApprover)
	ps := w.pending("approver", "stale-consent", 4)
	csrf := b.csrf()
	if code, _, _ := b.post("/proposals/"+ps[3].ID+"/reject", url.Values{"csrf": {csrf}, "reason": {"not this one"}}); code != http.StatusSeeOther {
		t.Fatal("rejecting the fourth failed")
	}
	form := url.Values{"csrf": {csrf}, "decision": {"approve"}}
	for _, p := range ps {
		form.Add("id", p.ID)
	}
	code, body, _ := b.post("/inbox/bulk", form)
	if code != http.StatusOK || !strings.Contains(body, "Approved 3 of 4") || !strings.Contains(body, "already rejected") {
		t.Fatalf("bulk approve: %d; want 3 of 4 approved and the rejected one explained", code)
	}
	for _, p := range ps[:3] {
		if got := w.status(p.ID); got != proposal.StatusExecuted {
			t.Errorf("%s after bulk approve: %s, want executed", p.ID, got)
		}
	}
	// Bulk reject without a reason changes nothing.
	rest := w.pending("approver", "stale-consent", 1)
	code, _, _ = b.post("/inbox/bulk", url.Values{"csrf": {csrf}, "decision": {"reject"}, "id": {rest[0].ID}})
	if code != http.StatusUnprocessableEntity || w.status(rest[0].ID) != proposal.StatusPendingApproval {
		t.Errorf("bulk reject without a reason: %d, %s", code, w.status(rest[0].ID))
	}
}

// TestEditDropsTarget: leaving a target out of a pending proposal makes a
// new revision without it, waiting for approval again; the old one is
// superseded and links to it. Changing a parameter works the same way.
func TestEditDropsTarget(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	b := w.signIn(store.RoleApprover)
	two := w.pending("approver", "stale-consent", 2)
	// A proposal tagging two people, as the agent would write it.
	np := two[0]
	np.ID, np.Key = proposal.NewID(time.Now()), "test:two-people"
	np.Actions = []proposal.Action{{Kind: proposal.Tag, Params: map[string]any{"tag": "re-permission"},
		Targets: append(append([]proposal.Target{}, two[0].Actions[0].Targets...), two[1].Actions[0].Targets...)}}
	np.BlastRadius = 2
	a, err := w.st.AgentGet(ctx, &store.AgentGetParams{Name: np.Agent})
	if err != nil {
		t.Fatal(err)
	}
	err = w.st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		if _, err := q.ProposalsInsert(ctx, &store.ProposalsInsertParams{Proposals: []proposal.Proposal{np}}); err != nil {
			return err
		}
		req := governance.RequestFor(&np, *a, w.console.Pack.PlanFor(np.Decision), "", time.Now())
		return q.ApprovalRequestsInsert(ctx, &store.ApprovalRequestsInsertParams{Requests: []store.ApprovalRequest{req}})
	})
	if err != nil {
		t.Fatal(err)
	}
	drop := np.Actions[0].Targets[1]
	code, _, loc := b.post("/proposals/"+np.ID+"/edit", url.Values{"csrf": {b.csrf()}, "drop": {drop.String()},
		"param.1.tag": {"re-permission"}, "edit_reason": {"the second person re-confirmed by phone"}})
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/proposals/p_") || strings.HasPrefix(loc, "/proposals/"+np.ID) {
		t.Fatalf("edit: %d → %q, want the new revision's page", code, loc)
	}
	newID := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/proposals/")
	rev, err := w.st.ProposalGet(ctx, &store.ProposalGetParams{ID: newID})
	if err != nil {
		t.Fatal(err)
	}
	if rev.Revises != np.ID || rev.EditedBy != "approver" || len(rev.Actions[0].Targets) != 1 || rev.Actions[0].Targets[0] == drop ||
		rev.Status != proposal.StatusPendingApproval || rev.Actions[0].Param("tag") != "re-permission" {
		t.Fatalf("revision: revises %s, by %s, targets %v, status %s", rev.Revises, rev.EditedBy, rev.Actions[0].Targets, rev.Status)
	}
	if w.status(np.ID) != proposal.StatusSuperseded {
		t.Fatalf("the edited proposal is %s, want superseded", w.status(np.ID))
	}
	_, body := b.pageStatus(np.ID)
	if !strings.Contains(body, `href="/proposals/`+newID+`"`) || !strings.Contains(body, `data-action="proposal.edited"`) {
		t.Error("the superseded revision's page should link to the new one and show the edit in its audit trail")
	}
	// A parameter edit on the new revision.
	code, _, loc = b.post("/proposals/"+newID+"/edit", url.Values{"csrf": {b.csrf()}, "param.1.tag": {"vip"}})
	if code != http.StatusSeeOther {
		t.Fatalf("parameter edit: %d", code)
	}
	third, _ := w.st.ProposalGet(ctx, &store.ProposalGetParams{ID: strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/proposals/")})
	if third == nil || third.Actions[0].Param("tag") != "vip" || third.Revision != rev.Revision+1 {
		t.Fatalf("parameter edit did not make revision %d with tag vip", rev.Revision+1)
	}
	// An edit that changes nothing is refused in words.
	code, body, _ = b.post("/proposals/"+third.ID+"/edit", url.Values{"csrf": {b.csrf()}, "param.1.tag": {"vip"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "nothing was changed") {
		t.Errorf("an empty edit: %d", code)
	}
}

// TestKillSwitch: pausing needs a reason; once paused the banner shows on
// every page and an approval does not execute; an approver cannot
// resume, an architect can, and what was approved meanwhile then runs.
func TestKillSwitch(t *testing.T) {
	w := newWorld(t)
	ap := w.signIn(store.RoleApprover)
	if code, body, _ := ap.post("/execution/pause", url.Values{"csrf": {ap.csrf()}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "Say why you stop execution") {
		t.Fatalf("pause without a reason: %d", code)
	}
	if code, _, _ := ap.post("/execution/pause", url.Values{"csrf": {ap.csrf()}, "reason": {"the CRM sync sent a wrong list"}}); code != http.StatusSeeOther {
		t.Fatalf("pause: %d", code)
	}
	for _, path := range []string{"/", "/proposals"} {
		if _, body, _ := ap.get(path); !strings.Contains(body, `id="kill-banner"`) || !strings.Contains(body, "the CRM sync sent a wrong list") {
			t.Errorf("%s while paused: no banner with the reason", path)
		}
	}
	p := w.pending("approver", "stale-consent", 1)[0]
	code, _, loc := ap.post("/proposals/"+p.ID+"/approve", url.Values{"csrf": {ap.csrf()}})
	if code != http.StatusSeeOther || !strings.Contains(loc, "paused") {
		t.Fatalf("approve while paused: %d → %q, want a message that it waits", code, loc)
	}
	if got := w.status(p.ID); got != proposal.StatusApproved {
		t.Fatalf("approved while paused: %s, want approved (not executed)", got)
	}
	if code, _, _ := ap.post("/execution/resume", url.Values{"csrf": {ap.csrf()}}); code != http.StatusForbidden {
		t.Fatalf("an approver resuming: %d, want 403", code)
	}
	ar := w.signIn(store.RoleArchitect)
	if _, body, _ := ar.get("/"); !strings.Contains(body, `id="resume-form"`) {
		t.Fatal("an architect sees no resume form while paused")
	}
	if code, _, _ := ar.post("/execution/resume", url.Values{"csrf": {ar.csrf()}}); code != http.StatusSeeOther {
		t.Fatalf("resume: %d", code)
	}
	if _, body, _ := ap.get("/"); strings.Contains(body, `id="kill-banner"`) || !strings.Contains(body, `id="pause-form"`) {
		t.Error("after resuming the banner is still there, or the pause form is missing")
	}
	if got := w.status(p.ID); got != proposal.StatusExecuted {
		t.Errorf("the proposal approved while paused is %s after resuming, want executed", got)
	}
	st, err := governance.ExecutionState(context.Background(), w.st)
	if err != nil || st.Paused {
		t.Fatalf("kill switch after resume: %+v %v", st, err)
	}
}

// TestDecisionsAreGuarded: without the CSRF value, or as a viewer, a
// decision is refused and nothing changes.
func TestDecisionsAreGuarded(t *testing.T) {
	w := newWorld(t)
	p := w.pending("approver", "", 1)[0]
	ap := w.signIn(store.RoleApprover)
	// A forged value differs from the real one in its first character
	// (flipping it, so a token that starts with "0" is forged too).
	tok := ap.csrf()
	forged := "0" + tok[1:]
	if tok[0] == '0' {
		forged = "1" + tok[1:]
	}
	for _, form := range []url.Values{{}, {"csrf": {forged}}} {
		if code, _, _ := ap.post("/proposals/"+p.ID+"/approve", form); code != http.StatusForbidden {
			t.Errorf("approve with csrf %q: %d, want 403", form.Get("csrf"), code)
		}
	}
	if code, _, _ := ap.post("/inbox/bulk", url.Values{"id": {p.ID}, "decision": {"approve"}}); code != http.StatusForbidden {
		t.Errorf("bulk without csrf: %d, want 403", code)
	}
	if code, _, _ := ap.post("/execution/pause", url.Values{"reason": {"x"}}); code != http.StatusForbidden {
		t.Errorf("pause without csrf: %d, want 403", code)
	}
	vw := w.signIn(store.RoleViewer)
	if code, _, _ := vw.post("/proposals/"+p.ID+"/approve", url.Values{"csrf": {vw.csrf()}}); code != http.StatusForbidden {
		t.Errorf("a viewer approving: %d, want 403", code)
	}
	if _, body, _ := vw.get("/proposals/" + p.ID); strings.Contains(body, `id="approve-form"`) || !strings.Contains(body, "needs the approver role") {
		t.Error("a viewer's proposal page should explain, not offer, the decision")
	}
	if got := w.status(p.ID); got != proposal.StatusPendingApproval {
		t.Fatalf("after refused decisions the proposal is %s", got)
	}
	st, _ := governance.ExecutionState(context.Background(), w.st)
	if st.Paused {
		t.Fatal("a refused pause paused execution")
	}
}
