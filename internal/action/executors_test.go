package action

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

func TestUpdateField(t *testing.T) {
	t.Parallel()
	onBackends(t, func(t *testing.T, st store.Store, w world) {
		p := prop(t,
			act(proposal.UpdateField, map[string]any{"field": "title", "value": "CMO"}, personTarget(w.ana), proposal.RecordTarget("crm", "c2", "bo@x.test")),
			act(proposal.UpdateField, map[string]any{"field": "traits.score", "value": 42.0}, target(proposal.TargetAccount, "A-1")))
		changes, err := Preview(t.Context(), st, p)
		if err != nil {
			t.Fatal(err)
		}
		pa := strconv.FormatInt(w.ana, 10)
		wantChanges(t, changes, "person:"+pa+" title:  → CMO", "record:crm:c2 title:  → CMO", "account:A-1 traits.score:  → 42")
		equal(t, "second action index", changes[2].Action, 1)

		rep := mustApply(t, st, p)
		equal(t, "applied", rep.Applied, 2)
		d, _ := st.PersonGet(t.Context(), &store.PersonGetParams{ID: w.ana})
		equal(t, "person title", d.Person.Title, "CMO")
		a, _ := st.AccountGet(t.Context(), &store.AccountGetParams{ID: "A-1"})
		equal(t, "account trait", a.Account.Traits["score"], any("42"))
		if !strings.Contains(rep.Results[0], "2 targets") {
			t.Errorf("result = %q", rep.Results[0])
		}
		// The preview after execution shows the new values as "before".
		changes, _ = Preview(t.Context(), st, p)
		equal(t, "before after apply", changes[0].Before, "CMO")

		mustUndo(t, st, p)
		d, _ = st.PersonGet(t.Context(), &store.PersonGetParams{ID: w.ana})
		equal(t, "person title undone", d.Person.Title, "")
		a, _ = st.AccountGet(t.Context(), &store.AccountGetParams{ID: "A-1"})
		equal(t, "trait undone", len(a.Account.Traits), 0)
		equal(t, "audit", strings.Join(auditActions(t, st, p), ","),
			"execution.done,execution.done,execution.undone,execution.undone")
	})
}

func TestSuppressAndUnsuppress(t *testing.T) {
	t.Parallel()
	onBackends(t, func(t *testing.T, st store.Store, w world) {
		esp := proposal.RecordTarget("esp", "e1", "ana@x.test")
		crm := proposal.RecordTarget("crm", "c1", "") // no label: found by paging the system
		p := prop(t, act(proposal.Suppress, map[string]any{"channel": "email", "reason": "hard bounce 5.1.1"}, esp, crm))
		changes, err := Preview(t.Context(), st, p)
		if err != nil {
			t.Fatal(err)
		}
		wantChanges(t, changes, "record:esp:e1 consent.email: subscribed → do_not_contact", "record:crm:c1 consent.email: none → do_not_contact")
		mustApply(t, st, p)
		facts, _ := st.ConsentList(t.Context(), &store.ConsentListParams{PersonID: w.ana, Status: foundation.StatusDoNotContact})
		if len(facts) != 2 {
			t.Fatalf("suppressions = %+v, want 2", facts)
		}
		for _, f := range facts {
			equal(t, "reason", f.Reason, "tower: hard bounce 5.1.1")
			equal(t, "at", f.At.Equal(t0), true)
		}
		changes, _ = Preview(t.Context(), st, p)
		equal(t, "state after", changes[0].Before, "do_not_contact")

		// Unsuppress on every channel, then undo it: only its facts go.
		u := prop(t, act(proposal.Unsuppress, map[string]any{"channel": "all", "reason": "re-opted in"}, crm))
		mustApply(t, st, u)
		subs, _ := st.ConsentList(t.Context(), &store.ConsentListParams{PersonID: w.ana, System: "crm", Status: foundation.StatusSubscribed})
		equal(t, "opt-ins on every channel", len(subs), len(foundation.Channels))
		mustUndo(t, st, u)
		subs, _ = st.ConsentList(t.Context(), &store.ConsentListParams{PersonID: w.ana, System: "crm", Status: foundation.StatusSubscribed})
		equal(t, "opt-ins after undo", len(subs), 0)

		mustUndo(t, st, p)
		all, _ := st.ConsentList(t.Context(), &store.ConsentListParams{PersonID: w.ana})
		equal(t, "facts after undo (the seeded one)", len(all), 1)
		equal(t, "seeded fact kept", all[0].Status, foundation.StatusSubscribed)

		bad := prop(t, act(proposal.Suppress, map[string]any{"channel": "email", "reason": "x"}, proposal.RecordTarget("crm", "nope", "")))
		_, err = Apply(t.Context(), st, bad, x0)
		if err == nil || !strings.Contains(err.Error(), "nope") {
			t.Errorf("suppress unknown record: err = %v, want one naming it", err)
		}
	})
}

func TestMergePeopleAndUndo(t *testing.T) {
	t.Parallel()
	onBackends(t, func(t *testing.T, st store.Store, w world) {
		p := prop(t, act(proposal.MergePeople, nil, personTarget(w.ana), personTarget(w.cy)))
		changes, err := Preview(t.Context(), st, p)
		if err != nil {
			t.Fatal(err)
		}
		pa, pc := strconv.FormatInt(w.ana, 10), strconv.FormatInt(w.cy, 10)
		wantChanges(t, changes, "person:"+pc+" merged_into:  → "+pa, "record:esp:e9 person: "+pc+" → "+pa)
		mustApply(t, st, p)
		d, _ := st.PersonGet(t.Context(), &store.PersonGetParams{ID: w.ana})
		equal(t, "records after merge", len(d.Records), 3)
		worst := foundation.StatusSubscribed
		for _, c := range d.Consent {
			if c.Status.Rank() < worst.Rank() {
				worst = c.Status
			}
		}
		equal(t, "strictest consent of the merged person", worst, foundation.StatusComplaint)

		mustUndo(t, st, p)
		d, _ = st.PersonGet(t.Context(), &store.PersonGetParams{ID: w.ana})
		equal(t, "records after undo", len(d.Records), 2)
		c, _ := st.PersonGet(t.Context(), &store.PersonGetParams{ID: w.cy})
		equal(t, "cy has its record back", len(c.Records), 1)
		equal(t, "cy not merged", c.Person.MergedInto, int64(0))
		equal(t, "cy has its consent back", len(c.Consent), 1)
	})
}

func TestTagUndoesOnlyWhatItAdded(t *testing.T) {
	t.Parallel()
	onBackends(t, func(t *testing.T, st store.Store, w world) {
		if _, err := st.TagsAdd(t.Context(), &store.TagsParams{Tags: []store.Tag{{Entity: store.EntityAccount, ID: "A-1", Tag: "vip"}}}); err != nil {
			t.Fatal(err)
		}
		p := prop(t, act(proposal.Tag, map[string]any{"tag": "vip"}, target(proposal.TargetAccount, "A-1"), target(proposal.TargetAccount, "A-2")))
		changes, err := Preview(t.Context(), st, p)
		if err != nil {
			t.Fatal(err)
		}
		wantChanges(t, changes, "account:A-1 tags: vip → vip", "account:A-2 tags:  → vip")
		rep := mustApply(t, st, p)
		equal(t, "result", rep.Results[0], `tagged 1 target "vip"; 1 already had it`)
		tags, _ := st.TagsList(t.Context(), &store.TagsListParams{Tag: "vip"})
		equal(t, "tagged", len(tags), 2)
		mustUndo(t, st, p)
		tags, _ = st.TagsList(t.Context(), &store.TagsListParams{Tag: "vip"})
		if len(tags) != 1 || tags[0].ID != "A-1" {
			t.Errorf("after undo = %+v, want only A-1's own tag", tags)
		}
	})
}

func TestPauseResumeCampaigns(t *testing.T) {
	t.Parallel()
	onBackends(t, func(t *testing.T, st store.Store, w world) {
		p := prop(t, act(proposal.PauseCampaign, map[string]any{"reason": "CTR collapsed"},
			target(proposal.TargetCampaign, "C-1"), target(proposal.TargetCampaign, "C-3")))
		changes, err := Preview(t.Context(), st, p)
		if err != nil {
			t.Fatal(err)
		}
		wantChanges(t, changes, "campaign:C-1 status: active → paused", "campaign:C-3 status: paused → paused")
		rep := mustApply(t, st, p)
		equal(t, "result", rep.Results[0], "paused campaign C-1; C-3 already paused, left as it was")
		equal(t, "C-1", campaign(t, st, "C-1").Status, "paused")
		mustUndo(t, st, p)
		equal(t, "C-1 after undo", campaign(t, st, "C-1").Status, "active")
		equal(t, "C-3 after undo (was paused before)", campaign(t, st, "C-3").Status, "paused")

		r := prop(t, act(proposal.ResumeCampaign, nil, target(proposal.TargetCampaign, "C-3")))
		mustApply(t, st, r)
		equal(t, "C-3 resumed", campaign(t, st, "C-3").Status, "active")
		mustUndo(t, st, r)
		equal(t, "C-3 paused again", campaign(t, st, "C-3").Status, "paused")
	})
}

func TestShiftBudget(t *testing.T) {
	t.Parallel()
	onBackends(t, func(t *testing.T, st store.Store, w world) {
		c1, c2 := target(proposal.TargetCampaign, "C-1"), target(proposal.TargetCampaign, "C-2")
		p := prop(t, act(proposal.ShiftBudget, map[string]any{"amount": 250.5}, c1, c2))
		changes, err := Preview(t.Context(), st, p)
		if err != nil {
			t.Fatal(err)
		}
		wantChanges(t, changes, "campaign:C-1 budget: 1000 → 749.5", "campaign:C-2 budget: 200 → 450.5")
		// Applied twice, the budget moves once.
		mustApply(t, st, p)
		rep := mustApply(t, st, p)
		equal(t, "second apply skipped", rep.Skipped, 1)
		equal(t, "second apply applied", rep.Applied, 0)
		equal(t, "C-1", campaign(t, st, "C-1").Budget, 749.5)
		equal(t, "C-2", campaign(t, st, "C-2").Budget, 450.5)
		equal(t, "audit once", strings.Join(auditActions(t, st, p), ","), "execution.done")

		mustUndo(t, st, p)
		equal(t, "C-1 after undo", campaign(t, st, "C-1").Budget, 1000.0)
		equal(t, "C-2 after undo", campaign(t, st, "C-2").Budget, 200.0)

		tooMuch := prop(t, act(proposal.ShiftBudget, map[string]any{"amount": 1000.01}, c1, c2))
		_, err = Apply(t.Context(), st, tooMuch, x0)
		wantIs(t, "below zero", err, ErrInsufficientBudget)
		_, err = Preview(t.Context(), st, tooMuch)
		wantIs(t, "preview below zero", err, ErrInsufficientBudget)
		equal(t, "C-1 untouched", campaign(t, st, "C-1").Budget, 1000.0)
	})
}

func TestAssignOwner(t *testing.T) {
	t.Parallel()
	onBackends(t, func(t *testing.T, st store.Store, w world) {
		p := prop(t, act(proposal.AssignOwner, map[string]any{"owner_id": "O-2"}, target(proposal.TargetAccount, "A-1"), target(proposal.TargetAccount, "A-2")))
		changes, err := Preview(t.Context(), st, p)
		if err != nil {
			t.Fatal(err)
		}
		wantChanges(t, changes, "account:A-1 owner_id: O-1 → O-2", "account:A-2 owner_id:  → O-2")
		mustApply(t, st, p)
		a, _ := st.AccountGet(t.Context(), &store.AccountGetParams{ID: "A-2"})
		equal(t, "A-2 owner", a.Account.OwnerID, "O-2")
		mustUndo(t, st, p)
		a1, _ := st.AccountGet(t.Context(), &store.AccountGetParams{ID: "A-1"})
		a2, _ := st.AccountGet(t.Context(), &store.AccountGetParams{ID: "A-2"})
		equal(t, "owners after undo", a1.Account.OwnerID+"|"+a2.Account.OwnerID, "O-1|")

		bad := prop(t, act(proposal.AssignOwner, map[string]any{"owner_id": "O-404"}, target(proposal.TargetAccount, "A-1")))
		_, err = Apply(t.Context(), st, bad, x0)
		wantIs(t, "unknown owner", err, store.ErrBadFieldValue)
	})
}

func TestCutLicenseSeatsAndFixTemplate(t *testing.T) {
	t.Parallel()
	onBackends(t, func(t *testing.T, st store.Store, w world) {
		lic := target(proposal.TargetLicense, "figma")
		raise := prop(t, act(proposal.CutLicenseSeats, map[string]any{"seats": 12}, lic))
		_, err := Apply(t.Context(), st, raise, x0)
		wantIs(t, "raise seats", err, ErrRaisesSeats)
		_, err = Preview(t.Context(), st, raise)
		wantIs(t, "preview raise", err, ErrRaisesSeats)

		tpl := target(proposal.TargetTemplate, "T-1")
		p := prop(t, act(proposal.CutLicenseSeats, map[string]any{"seats": 6}, lic),
			act(proposal.FixTemplate, map[string]any{"field": "body", "value": "Hello {{name}}"}, tpl))
		changes, err := Preview(t.Context(), st, p)
		if err != nil {
			t.Fatal(err)
		}
		wantChanges(t, changes, "license:figma seats: 10 → 6", "template:T-1 body: Hello {{name} → Hello {{name}}")
		mustApply(t, st, p)
		ls, _ := st.LicensesList(t.Context(), &store.LicensesListParams{})
		equal(t, "seats", ls[0].Seats, 6)
		tp, _ := st.TemplateGet(t.Context(), &store.TemplateGetParams{ID: "T-1"})
		equal(t, "body", tp.Body, "Hello {{name}}")
		mustUndo(t, st, p)
		ls, _ = st.LicensesList(t.Context(), &store.LicensesListParams{})
		equal(t, "seats after undo", ls[0].Seats, 10)
		tp, _ = st.TemplateGet(t.Context(), &store.TemplateGetParams{ID: "T-1"})
		equal(t, "body after undo", tp.Body, "Hello {{name}")
	})
}

func TestTaskAndNotify(t *testing.T) {
	t.Parallel()
	onBackends(t, func(t *testing.T, st store.Store, w world) {
		p := prop(t,
			act(proposal.CreateTask, map[string]any{"title": "Call Acme", "due": "2025-06-10"}, target(proposal.TargetAccount, "A-1")),
			act(proposal.Notify, map[string]any{"message": "Acme renewal at risk", "to": "#cs"}, target(proposal.TargetAccount, "A-1")))
		mustApply(t, st, p)
		mustApply(t, st, p) // a retry creates nothing more
		tasks, _ := st.TasksList(t.Context(), &store.TasksListParams{ProposalID: p.ID})
		if len(tasks) != 1 {
			t.Fatalf("tasks = %+v, want 1", tasks)
		}
		equal(t, "task id is the action key", tasks[0].ID, proposal.ActionKey(p.ID, 0))
		equal(t, "task owner defaults to the agent's owner", tasks[0].OwnerID, x0.Owner)
		equal(t, "due", tasks[0].Due.Format("2006-01-02"), "2025-06-10")
		ns, _ := st.NotificationsList(t.Context(), &store.NotificationsListParams{ProposalID: p.ID})
		if len(ns) != 1 || ns[0].To != "#cs" || ns[0].ID != proposal.ActionKey(p.ID, 1) {
			t.Fatalf("notifications = %+v, want one to #cs", ns)
		}
		// The notification cannot be unsent, so nothing is undone.
		err := UndoAll(t.Context(), st, p, x0)
		wantIs(t, "undo with a notification", err, ErrNotUndoable)
		tasks, _ = st.TasksList(t.Context(), &store.TasksListParams{ProposalID: p.ID})
		equal(t, "task kept", len(tasks), 1)

		task := prop(t, act(proposal.CreateTask, map[string]any{"title": "Check list", "owner_id": "O-2"}))
		mustApply(t, st, task)
		mustUndo(t, st, task)
		tasks, _ = st.TasksList(t.Context(), &store.TasksListParams{ProposalID: task.ID})
		equal(t, "task undone", len(tasks), 0)
	})
}

// A campaign's landing link is a trait; update_field sets and undoes it
// like any other field.
func TestUpdateFieldOnACampaign(t *testing.T) {
	t.Parallel()
	onBackends(t, func(t *testing.T, st store.Store, w world) {
		tagged := "https://x.test/lp?utm_source=google&utm_medium=cpc&utm_campaign=2026-q1-x"
		p := prop(t, act(proposal.UpdateField, map[string]any{"field": "traits.landing_url", "value": tagged}, target(proposal.TargetCampaign, "C-1")))
		changes, err := Preview(t.Context(), st, p)
		if err != nil {
			t.Fatal(err)
		}
		wantChanges(t, changes, "campaign:C-1 traits.landing_url:  → "+tagged)
		mustApply(t, st, p)
		equal(t, "landing link", campaign(t, st, "C-1").Traits["landing_url"], any(tagged))
		mustUndo(t, st, p)
		equal(t, "landing link undone", len(campaign(t, st, "C-1").Traits), 0)
	})
}

func TestCreateSegment(t *testing.T) {
	t.Parallel()
	onBackends(t, func(t *testing.T, st store.Store, w world) {
		a := act(proposal.CreateSegment, map[string]any{"rule": `account.name == "Acme"`, "name": "Acme people"},
			proposal.Target{Type: proposal.TargetSegment, ID: "acme"})
		p := prop(t, a)
		changes, err := Preview(t.Context(), st, p)
		if err != nil {
			t.Fatal(err)
		}
		if len(changes) != 1 || changes[0].Before != "(none)" || !strings.Contains(changes[0].After, "people today") {
			t.Fatalf("preview: %+v", changes)
		}
		rep := mustApply(t, st, p)
		seg, err := st.SegmentGet(t.Context(), &store.SegmentGetParams{ID: "acme"})
		if err != nil {
			t.Fatal(err)
		}
		if seg.Name != "Acme people" || seg.ProposalID != p.ID || seg.RefreshedAt.IsZero() {
			t.Fatalf("saved segment: %+v", seg)
		}
		equal(t, "result", rep.Results[0], fmt.Sprintf("created segment acme with %d %s", seg.Size, map[bool]string{true: "person", false: "people"}[seg.Size == 1]))
		mustUndo(t, st, p)
		_, err = st.SegmentGet(t.Context(), &store.SegmentGetParams{ID: "acme"})
		wantIs(t, "after undo", err, store.ErrNotFound)

		// Someone else's segment with the same id and another rule is
		// never overwritten.
		if _, err := st.SegmentSave(t.Context(), &store.SegmentSaveParams{ID: "acme", Name: "Mine", Rule: `person.country == "DE"`}); err != nil {
			t.Fatal(err)
		}
		_, err = Apply(t.Context(), st, prop(t, a), x0)
		if err == nil || !strings.Contains(err.Error(), "another rule") {
			t.Fatalf("overwrite: %v", err)
		}
		bad := prop(t, act(proposal.CreateSegment, map[string]any{"rule": `person.titel == "x"`}, proposal.Target{Type: proposal.TargetSegment, ID: "bad"}))
		if _, err := Preview(t.Context(), st, bad); err == nil || !strings.Contains(err.Error(), "titel") {
			t.Fatalf("a bad rule previewed: %v", err)
		}
	})
}
