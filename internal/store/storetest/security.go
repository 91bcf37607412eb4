package storetest

import (
	"testing"
	"time"

	"github.com/towerops/tower/internal/store"
)

// securityTests check the security part of the store contract
// (store.Security): users here, tokens in security_tokens.go, the audit
// log in security_audit.go.
var securityTests = append(append([]test{
	{"UsersUpsertGetList", testUsersUpsertGetList},
	{"UserPasswordKeptWhenEmpty", testUserPasswordKept},
	{"UserRoleChecked", testUserRoleChecked},
}, tokenTests...), auditTests...)

func testUsersUpsertGetList(t *testing.T, s store.Store) {
	created := time.Date(2026, 3, 1, 9, 30, 0, 123456789, time.UTC)
	users := []store.User{
		{Name: "zoe", Email: "zoe@x.test", Role: store.RoleViewer, PasswordHash: "h-zoe", CreatedAt: created, UpdatedAt: created},
		{Name: "ana", Email: "ana@x.test", Role: store.RoleAdmin, CreatedAt: created, UpdatedAt: created},
		{Name: "bo", Role: store.RoleApprover, Disabled: true, CreatedAt: created, UpdatedAt: created},
	}
	if err := s.UsersUpsert(ctx(t), &store.UsersUpsertParams{Users: users}); err != nil {
		t.Fatal(err)
	}
	got := must[*store.User](t)(s.UserGet(ctx(t), &store.UserGetParams{Name: "zoe"}))
	checkEqual(t, "zoe", [4]string{got.Name, got.Email, string(got.Role), got.PasswordHash},
		[4]string{"zoe", "zoe@x.test", "viewer", "h-zoe"})
	checkTime(t, "zoe.CreatedAt", got.CreatedAt, created)
	checkTime(t, "zoe.UpdatedAt", got.UpdatedAt, created)
	bo := must[*store.User](t)(s.UserGet(ctx(t), &store.UserGetParams{Name: "bo"}))
	if !bo.Disabled || bo.Role != store.RoleApprover {
		t.Errorf("bo = %+v, want a disabled approver", *bo)
	}
	_, err := s.UserGet(ctx(t), &store.UserGetParams{Name: "nobody"})
	wantNotFound(t, "UserGet(nobody)", err)

	list := must[[]store.User](t)(s.UsersList(ctx(t), &store.UsersListParams{}))
	checkEqual(t, "UsersList order", ids(list, func(u store.User) string { return u.Name }), []string{"ana", "bo", "zoe"})
	page := must[[]store.User](t)(s.UsersList(ctx(t), &store.UsersListParams{Page: store.Page{Limit: 1, Offset: 1}}))
	checkEqual(t, "UsersList page", ids(page, func(u store.User) string { return u.Name }), []string{"bo"})

	// An update keeps created_at and changes the rest.
	later := created.Add(time.Hour)
	if err := s.UsersUpsert(ctx(t), &store.UsersUpsertParams{Users: []store.User{
		{Name: "bo", Email: "bo@x.test", Role: store.RoleMarketer, CreatedAt: later, UpdatedAt: later}}}); err != nil {
		t.Fatal(err)
	}
	bo = must[*store.User](t)(s.UserGet(ctx(t), &store.UserGetParams{Name: "bo"}))
	if bo.Disabled || bo.Role != store.RoleMarketer || bo.Email != "bo@x.test" {
		t.Errorf("after update bo = %+v, want an enabled marketer with an e-mail", *bo)
	}
	checkTime(t, "bo.CreatedAt after update", bo.CreatedAt, created)
	checkTime(t, "bo.UpdatedAt after update", bo.UpdatedAt, later)
}

func testUserPasswordKept(t *testing.T, s store.Store) {
	put := func(u store.User) {
		t.Helper()
		if err := s.UsersUpsert(ctx(t), &store.UsersUpsertParams{Users: []store.User{u}}); err != nil {
			t.Fatal(err)
		}
	}
	hash := func() string {
		t.Helper()
		return must[*store.User](t)(s.UserGet(ctx(t), &store.UserGetParams{Name: "ana"})).PasswordHash
	}
	put(store.User{Name: "ana", Role: store.RoleAdmin, PasswordHash: "first"})
	put(store.User{Name: "ana", Role: store.RoleArchitect})
	checkEqual(t, "hash after an upsert without one", hash(), "first")
	put(store.User{Name: "ana", Role: store.RoleArchitect, PasswordHash: "second"})
	checkEqual(t, "hash after an upsert with a new one", hash(), "second")
}

func testUserRoleChecked(t *testing.T, s store.Store) {
	err := s.UsersUpsert(ctx(t), &store.UsersUpsertParams{Users: []store.User{{Name: "x", Role: "superuser"}}})
	if err == nil {
		t.Fatal("a user with an unknown role was stored")
	}
	err = s.UsersUpsert(ctx(t), &store.UsersUpsertParams{Users: []store.User{{Role: store.RoleViewer}}})
	if err == nil {
		t.Fatal("a user without a name was stored")
	}
	list := must[[]store.User](t)(s.UsersList(ctx(t), &store.UsersListParams{}))
	if len(list) != 0 {
		t.Errorf("users after refused writes = %d, want 0", len(list))
	}
}
