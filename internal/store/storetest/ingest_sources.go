package storetest

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/towerops/tower/internal/store"
)

var sourceTests = []test{
	{"SourcesInsertGetList", testSourcesInsertGetList},
	{"SourceActiveNameUnique", testSourceActiveName},
	{"SourceRevokeOnce", testSourceRevokeOnce},
	{"SourceUsed", testSourceUsed},
}

func testSourcesInsertGetList(t *testing.T, s store.Store) {
	t0 := time.Date(2026, 4, 1, 8, 0, 0, 987654321, time.UTC)
	srcs := []store.Source{
		{ID: "src_web", Name: "website", KeyHash: tokenHash("w"), KeyHint: "wk_1a", CreatedBy: "ana", CreatedAt: t0},
		{ID: "src_app", Name: "app", KeyHash: tokenHash("a"), KeyHint: "wk_2b", CreatedAt: t0.Add(time.Hour)},
		{ID: "src_old", Name: "app-old", KeyHash: tokenHash("o"), CreatedAt: t0.Add(-time.Hour)},
	}
	if err := s.SourcesInsert(ctx(t), &store.SourcesInsertParams{Sources: srcs}); err != nil {
		t.Fatal(err)
	}
	got := must[*store.Source](t)(s.SourceGet(ctx(t), &store.SourceGetParams{ID: "src_web"}))
	checkEqual(t, "src_web", [4]string{got.ID, got.Name, got.KeyHint, got.CreatedBy},
		[4]string{"src_web", "website", "wk_1a", "ana"})
	if !bytes.Equal(got.KeyHash, tokenHash("w")) {
		t.Errorf("src_web key hash = %x, want %x", got.KeyHash, tokenHash("w"))
	}
	checkTime(t, "src_web.CreatedAt", got.CreatedAt, t0)
	checkTime(t, "src_web.RevokedAt", got.RevokedAt, time.Time{})
	checkTime(t, "src_web.LastUsedAt", got.LastUsedAt, time.Time{})

	byName := must[*store.Source](t)(s.SourceGet(ctx(t), &store.SourceGetParams{Name: "app"}))
	checkEqual(t, "source by name", byName.ID, "src_app")
	byHash := must[*store.Source](t)(s.SourceGet(ctx(t), &store.SourceGetParams{KeyHash: tokenHash("o")}))
	checkEqual(t, "source by key hash", byHash.ID, "src_old")
	_, err := s.SourceGet(ctx(t), &store.SourceGetParams{ID: "src_zz"})
	wantNotFound(t, "SourceGet(unknown id)", err)
	_, err = s.SourceGet(ctx(t), &store.SourceGetParams{Name: "nope"})
	wantNotFound(t, "SourceGet(unknown name)", err)
	_, err = s.SourceGet(ctx(t), &store.SourceGetParams{KeyHash: tokenHash("nope")})
	wantNotFound(t, "SourceGet(unknown key hash)", err)

	srcID := func(k store.Source) string { return k.ID }
	all := must[[]store.Source](t)(s.SourcesList(ctx(t), &store.SourcesListParams{}))
	checkEqual(t, "SourcesList order (name)", ids(all, srcID), []string{"src_app", "src_old", "src_web"})
	page := must[[]store.Source](t)(s.SourcesList(ctx(t), &store.SourcesListParams{Page: store.Page{Limit: 1, Offset: 1}}))
	checkEqual(t, "SourcesList page", ids(page, srcID), []string{"src_old"})
}

// testSourceActiveName: a name is taken while its source is active, in
// another call or earlier in the same one; revoking frees it, and a name
// then has several sources, listed by creation time.
func testSourceActiveName(t *testing.T, s store.Store) {
	t0 := time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC)
	if err := s.SourcesInsert(ctx(t), &store.SourcesInsertParams{Sources: []store.Source{
		{ID: "src_1", Name: "website", KeyHash: tokenHash("1"), CreatedAt: t0}}}); err != nil {
		t.Fatal(err)
	}
	err := s.SourcesInsert(ctx(t), &store.SourcesInsertParams{Sources: []store.Source{
		{ID: "src_2", Name: "website", KeyHash: tokenHash("2"), CreatedAt: t0}}})
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("second active source named website: err = %v, want ErrConflict", err)
	}
	err = s.SourcesInsert(ctx(t), &store.SourcesInsertParams{Sources: []store.Source{
		{ID: "src_3", Name: "shop", KeyHash: tokenHash("3"), CreatedAt: t0},
		{ID: "src_4", Name: "shop", KeyHash: tokenHash("4"), CreatedAt: t0}}})
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("two sources named shop in one call: err = %v, want ErrConflict", err)
	}
	// The failed call stored nothing, not even its first source.
	_, err = s.SourceGet(ctx(t), &store.SourceGetParams{ID: "src_3"})
	wantNotFound(t, "src_3 after a refused call", err)

	if err := s.SourceRevoke(ctx(t), &store.SourceRevokeParams{ID: "src_1", At: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	_, err = s.SourceGet(ctx(t), &store.SourceGetParams{Name: "website"})
	wantNotFound(t, "SourceGet(name of a revoked source)", err)
	if err := s.SourcesInsert(ctx(t), &store.SourcesInsertParams{Sources: []store.Source{
		{ID: "src_5", Name: "website", KeyHash: tokenHash("5"), CreatedAt: t0.Add(2 * time.Hour)}}}); err != nil {
		t.Fatalf("reusing the name of a revoked source: %v", err)
	}
	active := must[*store.Source](t)(s.SourceGet(ctx(t), &store.SourceGetParams{Name: "website"}))
	checkEqual(t, "active source named website", active.ID, "src_5")

	srcID := func(k store.Source) string { return k.ID }
	checkEqual(t, "SourcesList(active)", ids(must[[]store.Source](t)(s.SourcesList(ctx(t), &store.SourcesListParams{})), srcID),
		[]string{"src_5"})
	checkEqual(t, "SourcesList(include revoked)",
		ids(must[[]store.Source](t)(s.SourcesList(ctx(t), &store.SourcesListParams{IncludeRevoked: true})), srcID),
		[]string{"src_1", "src_5"})
}

func testSourceRevokeOnce(t *testing.T, s store.Store) {
	if err := s.SourcesInsert(ctx(t), &store.SourcesInsertParams{Sources: []store.Source{
		{ID: "src_1", Name: "app", KeyHash: tokenHash("1")}}}); err != nil {
		t.Fatal(err)
	}
	first := time.Date(2026, 5, 2, 10, 0, 0, 5000, time.UTC)
	if err := s.SourceRevoke(ctx(t), &store.SourceRevokeParams{ID: "src_1", At: first}); err != nil {
		t.Fatal(err)
	}
	if err := s.SourceRevoke(ctx(t), &store.SourceRevokeParams{ID: "src_1", At: first.Add(time.Hour)}); err != nil {
		t.Fatalf("revoking twice: %v", err)
	}
	got := must[*store.Source](t)(s.SourceGet(ctx(t), &store.SourceGetParams{ID: "src_1"}))
	checkTime(t, "RevokedAt after two revocations", got.RevokedAt, first)
	// Found by its key, a revoked source is still returned: the caller
	// tells the sender the key was revoked rather than unknown.
	byHash := must[*store.Source](t)(s.SourceGet(ctx(t), &store.SourceGetParams{KeyHash: tokenHash("1")}))
	checkTime(t, "RevokedAt found by key hash", byHash.RevokedAt, first)
	wantNotFound(t, "SourceRevoke(unknown)", s.SourceRevoke(ctx(t), &store.SourceRevokeParams{ID: "src_zz", At: first}))
}

func testSourceUsed(t *testing.T, s store.Store) {
	if err := s.SourcesInsert(ctx(t), &store.SourcesInsertParams{Sources: []store.Source{
		{ID: "src_1", Name: "app", KeyHash: tokenHash("1")}}}); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 5, 3, 9, 30, 0, 0, time.UTC)
	for _, tm := range []time.Time{at.Add(-time.Minute), at} {
		if err := s.SourceUsed(ctx(t), &store.SourceUsedParams{ID: "src_1", At: tm}); err != nil {
			t.Fatal(err)
		}
	}
	got := must[*store.Source](t)(s.SourceGet(ctx(t), &store.SourceGetParams{ID: "src_1"}))
	checkTime(t, "LastUsedAt", got.LastUsedAt, at)
	checkTime(t, "RevokedAt", got.RevokedAt, time.Time{})
	wantNotFound(t, "SourceUsed(unknown)", s.SourceUsed(ctx(t), &store.SourceUsedParams{ID: "src_zz", At: at}))
}
