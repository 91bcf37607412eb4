package storetest

import (
	"strconv"
	"testing"
	"time"

	"github.com/towerops/tower/internal/store"
)

var listEffectTests = []test{
	{"TagsAddRemoveList", func(t *testing.T, s store.Store) {
		ana, bo := seedEffects(t, s)
		at := time.Date(2025, 4, 1, 8, 0, 0, 0, time.UTC)
		pa, pb := strconv.FormatInt(ana, 10), strconv.FormatInt(bo, 10)
		n := must[int](t)(s.TagsAdd(ctx(t), &store.TagsParams{Tags: []store.Tag{
			{Entity: store.EntityPerson, ID: pb, Tag: "repermission", ProposalID: "p_1", CreatedAt: at},
			{Entity: store.EntityPerson, ID: pa, Tag: "repermission", ProposalID: "p_1", CreatedAt: at},
			{Entity: store.EntityAccount, ID: "A-001", Tag: "at-risk", ProposalID: "p_2", CreatedAt: at},
		}}))
		checkEqual(t, "added", n, 3)
		// Present tags are not added again, nor counted.
		n = must[int](t)(s.TagsAdd(ctx(t), &store.TagsParams{Tags: []store.Tag{
			{Entity: store.EntityPerson, ID: pa, Tag: "repermission", ProposalID: "p_9"},
			{Entity: store.EntityRecord, ID: "crm:c1", Tag: "repermission", ProposalID: "p_9"},
		}}))
		checkEqual(t, "added again", n, 1)
		all := must[[]store.Tag](t)(s.TagsList(ctx(t), &store.TagsListParams{}))
		key := func(tg store.Tag) string { return tg.Entity + "/" + tg.ID + "/" + tg.Tag }
		want := []string{"account/A-001/at-risk", "person/" + pa + "/repermission", "person/" + pb + "/repermission", "record/crm:c1/repermission"}
		if pb < pa {
			want[1], want[2] = want[2], want[1]
		}
		checkEqual(t, "order", ids(all, key), want)
		first := must[[]store.Tag](t)(s.TagsList(ctx(t), &store.TagsListParams{Entity: store.EntityPerson, ID: pa}))
		if len(first) != 1 {
			t.Fatalf("tags of %s = %d, want 1", pa, len(first))
		}
		checkEqual(t, "kept proposal", first[0].ProposalID, "p_1")
		checkTime(t, "CreatedAt", first[0].CreatedAt, at)
		checkEqual(t, "by tag", len(must[[]store.Tag](t)(s.TagsList(ctx(t), &store.TagsListParams{Tag: "repermission"}))), 3)
		checkEqual(t, "page", ids(must[[]store.Tag](t)(s.TagsList(ctx(t), &store.TagsListParams{Page: store.Page{Limit: 1, Offset: 3}})), key), want[3:])

		n = must[int](t)(s.TagsRemove(ctx(t), &store.TagsParams{Tags: []store.Tag{
			{Entity: store.EntityPerson, ID: pa, Tag: "repermission"},
			{Entity: store.EntityPerson, ID: pa, Tag: "never-there"},
		}}))
		checkEqual(t, "removed", n, 1)
		checkEqual(t, "left", len(must[[]store.Tag](t)(s.TagsList(ctx(t), &store.TagsListParams{}))), 3)

		_, err := s.TagsAdd(ctx(t), &store.TagsParams{Tags: []store.Tag{{Entity: store.EntityAccount, ID: "A-404", Tag: "x"}}})
		wantErr(t, "tag unknown account", err, store.ErrNotFound, "A-404")
		_, err = s.TagsAdd(ctx(t), &store.TagsParams{Tags: []store.Tag{{Entity: store.EntityAccount, ID: "A-001", Tag: ""}}})
		wantErr(t, "empty tag", err, nil, "tag")
	}},
	{"TasksInsertDeleteList", func(t *testing.T, s store.Store) {
		created := time.Date(2025, 4, 1, 8, 0, 0, 0, time.UTC)
		tasks := []store.Task{
			{ID: "p_1/0", Title: "Call Acme", OwnerID: "O-001", Due: date(2025, 4, 10), Note: "renewal", Targets: []string{"account:A-001"}, ProposalID: "p_1", CreatedAt: created},
			{ID: "p_2/0", Title: "Check list", OwnerID: "O-001", ProposalID: "p_2", CreatedAt: created},
			{ID: "p_3/1", Title: "Fix template", OwnerID: "O-002", Due: date(2025, 4, 5), ProposalID: "p_3", Status: "done", CreatedAt: created},
		}
		if err := s.TasksInsert(ctx(t), &store.TasksInsertParams{Tasks: tasks}); err != nil {
			t.Fatal(err)
		}
		// A retried insert changes nothing: the first write stays.
		again := tasks[0]
		again.Title = "Call Acme twice"
		if err := s.TasksInsert(ctx(t), &store.TasksInsertParams{Tasks: []store.Task{again}}); err != nil {
			t.Fatal(err)
		}
		all := must[[]store.Task](t)(s.TasksList(ctx(t), &store.TasksListParams{}))
		key := func(x store.Task) string { return x.ID }
		checkEqual(t, "order (due, id), no due last", ids(all, key), []string{"p_3/1", "p_1/0", "p_2/0"})
		got := all[1]
		checkTime(t, "Due", got.Due, tasks[0].Due)
		checkTime(t, "CreatedAt", got.CreatedAt, created)
		checkEqual(t, "task", []any{got.Title, got.OwnerID, got.Note, got.Targets, got.ProposalID, got.Status},
			[]any{"Call Acme", "O-001", "renewal", []string{"account:A-001"}, "p_1", "open"})
		checkEqual(t, "done status", all[0].Status, "done")
		if !all[2].Due.IsZero() {
			t.Errorf("Due = %v, want zero", all[2].Due)
		}
		checkEqual(t, "by owner", ids(must[[]store.Task](t)(s.TasksList(ctx(t), &store.TasksListParams{OwnerID: "O-001"})), key), []string{"p_1/0", "p_2/0"})
		checkEqual(t, "by proposal", ids(must[[]store.Task](t)(s.TasksList(ctx(t), &store.TasksListParams{ProposalID: "p_3"})), key), []string{"p_3/1"})
		n := must[int](t)(s.TasksDelete(ctx(t), &store.TasksDeleteParams{IDs: []string{"p_1/0", "p_404/0"}}))
		checkEqual(t, "deleted", n, 1)
		checkEqual(t, "left", ids(must[[]store.Task](t)(s.TasksList(ctx(t), &store.TasksListParams{})), key), []string{"p_3/1", "p_2/0"})
		err := s.TasksInsert(ctx(t), &store.TasksInsertParams{Tasks: []store.Task{{ID: "p_9/0"}}})
		wantErr(t, "task without title", err, nil, "title")
	}},
	{"NotificationsInsertList", func(t *testing.T, s store.Store) {
		t0 := time.Date(2025, 4, 1, 8, 0, 0, 0, time.UTC)
		ns := []store.Notification{
			{ID: "p_2/0", To: "user:ana", Message: "later", ProposalID: "p_2", CreatedAt: t0.Add(time.Hour)},
			{ID: "p_1/0", To: "user:ana", Message: "first", Targets: []string{"campaign:C-001"}, ProposalID: "p_1", CreatedAt: t0},
			{ID: "p_1/1", To: "#ops", Message: "sent", ProposalID: "p_1", CreatedAt: t0, SentAt: t0.Add(time.Minute)},
		}
		if err := s.NotificationsInsert(ctx(t), &store.NotificationsInsertParams{Notifications: ns}); err != nil {
			t.Fatal(err)
		}
		dup := ns[1]
		dup.Message = "duplicate"
		if err := s.NotificationsInsert(ctx(t), &store.NotificationsInsertParams{Notifications: []store.Notification{dup}}); err != nil {
			t.Fatal(err)
		}
		key := func(n store.Notification) string { return n.ID }
		all := must[[]store.Notification](t)(s.NotificationsList(ctx(t), &store.NotificationsListParams{}))
		checkEqual(t, "oldest first", ids(all, key), []string{"p_1/0", "p_1/1", "p_2/0"})
		checkEqual(t, "first", []any{all[0].To, all[0].Message, all[0].Targets, all[0].ProposalID}, []any{"user:ana", "first", []string{"campaign:C-001"}, "p_1"})
		checkTime(t, "CreatedAt", all[0].CreatedAt, t0)
		checkTime(t, "SentAt", all[1].SentAt, t0.Add(time.Minute))
		if !all[0].SentAt.IsZero() {
			t.Errorf("SentAt = %v, want zero", all[0].SentAt)
		}
		checkEqual(t, "unsent", ids(must[[]store.Notification](t)(s.NotificationsList(ctx(t), &store.NotificationsListParams{Unsent: true})), key), []string{"p_1/0", "p_2/0"})
		checkEqual(t, "to", ids(must[[]store.Notification](t)(s.NotificationsList(ctx(t), &store.NotificationsListParams{To: "#ops"})), key), []string{"p_1/1"})
		checkEqual(t, "proposal", ids(must[[]store.Notification](t)(s.NotificationsList(ctx(t), &store.NotificationsListParams{ProposalID: "p_2"})), key), []string{"p_2/0"})
		err := s.NotificationsInsert(ctx(t), &store.NotificationsInsertParams{Notifications: []store.Notification{{ID: "x", To: "user:ana"}}})
		wantErr(t, "no message", err, nil, "message")
	}},
}
