package storetest

import (
	"bytes"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/towerops/tower/internal/store"
)

var tokenTests = []test{
	{"TokensInsertGetList", testTokensInsertGetList},
	{"TokenRevokeOnce", testTokenRevokeOnce},
	{"TokenUsed", testTokenUsed},
	{"TokenDuplicateRefused", testTokenDuplicate},
}

// seedTokenUsers stores the users tokens act for.
func seedTokenUsers(t *testing.T, s store.Store) {
	t.Helper()
	if err := s.UsersUpsert(ctx(t), &store.UsersUpsertParams{Users: []store.User{
		{Name: "ana", Role: store.RoleAdmin}, {Name: "bo", Role: store.RoleViewer}}}); err != nil {
		t.Fatal(err)
	}
}

func tokenHash(secret string) []byte { h := sha256.Sum256([]byte(secret)); return h[:] }

func testTokensInsertGetList(t *testing.T, s store.Store) {
	seedTokenUsers(t, s)
	t0 := time.Date(2026, 4, 1, 8, 0, 0, 987654321, time.UTC)
	toks := []store.Token{
		{ID: "tok_b", Name: "ci", User: "ana", Role: store.RoleArchitect, Hash: tokenHash("b"), CreatedAt: t0, ExpiresAt: t0.Add(24 * time.Hour)},
		{ID: "tok_a", Name: "laptop", User: "bo", Role: store.RoleViewer, Hash: tokenHash("a"), CreatedAt: t0},
		{ID: "tok_c", Name: "old", User: "ana", Role: store.RoleAdmin, Hash: tokenHash("c"), CreatedAt: t0.Add(-time.Hour)},
	}
	if err := s.TokensInsert(ctx(t), &store.TokensInsertParams{Tokens: toks}); err != nil {
		t.Fatal(err)
	}
	got := must[*store.Token](t)(s.TokenGet(ctx(t), &store.TokenGetParams{ID: "tok_b"}))
	checkEqual(t, "tok_b", [4]string{got.ID, got.Name, got.User, string(got.Role)}, [4]string{"tok_b", "ci", "ana", "architect"})
	if !bytes.Equal(got.Hash, tokenHash("b")) {
		t.Errorf("tok_b hash = %x, want %x", got.Hash, tokenHash("b"))
	}
	checkTime(t, "tok_b.CreatedAt", got.CreatedAt, t0)
	checkTime(t, "tok_b.ExpiresAt", got.ExpiresAt, t0.Add(24*time.Hour))
	checkTime(t, "tok_b.RevokedAt", got.RevokedAt, time.Time{})
	checkTime(t, "tok_b.LastUsedAt", got.LastUsedAt, time.Time{})

	byHash := must[*store.Token](t)(s.TokenGet(ctx(t), &store.TokenGetParams{Hash: tokenHash("a")}))
	checkEqual(t, "token by hash", byHash.ID, "tok_a")
	checkTime(t, "tok_a.ExpiresAt", byHash.ExpiresAt, time.Time{})
	_, err := s.TokenGet(ctx(t), &store.TokenGetParams{Hash: tokenHash("nope")})
	wantNotFound(t, "TokenGet(unknown hash)", err)
	_, err = s.TokenGet(ctx(t), &store.TokenGetParams{ID: "tok_zz"})
	wantNotFound(t, "TokenGet(unknown id)", err)

	all := must[[]store.Token](t)(s.TokensList(ctx(t), &store.TokensListParams{}))
	checkEqual(t, "TokensList order (created_at, id)", ids(all, func(k store.Token) string { return k.ID }),
		[]string{"tok_c", "tok_a", "tok_b"})
	anas := must[[]store.Token](t)(s.TokensList(ctx(t), &store.TokensListParams{User: "ana"}))
	checkEqual(t, "TokensList(user ana)", ids(anas, func(k store.Token) string { return k.ID }), []string{"tok_c", "tok_b"})
	page := must[[]store.Token](t)(s.TokensList(ctx(t), &store.TokensListParams{Page: store.Page{Limit: 1, Offset: 2}}))
	checkEqual(t, "TokensList page", ids(page, func(k store.Token) string { return k.ID }), []string{"tok_b"})
}

func testTokenRevokeOnce(t *testing.T, s store.Store) {
	seedTokenUsers(t, s)
	if err := s.TokensInsert(ctx(t), &store.TokensInsertParams{Tokens: []store.Token{
		{ID: "tok_1", User: "bo", Role: store.RoleViewer, Hash: tokenHash("1")}}}); err != nil {
		t.Fatal(err)
	}
	first := time.Date(2026, 5, 2, 10, 0, 0, 5000, time.UTC)
	if err := s.TokenRevoke(ctx(t), &store.TokenRevokeParams{ID: "tok_1", At: first}); err != nil {
		t.Fatal(err)
	}
	if err := s.TokenRevoke(ctx(t), &store.TokenRevokeParams{ID: "tok_1", At: first.Add(time.Hour)}); err != nil {
		t.Fatalf("revoking twice: %v", err)
	}
	got := must[*store.Token](t)(s.TokenGet(ctx(t), &store.TokenGetParams{ID: "tok_1"}))
	checkTime(t, "RevokedAt after two revocations", got.RevokedAt, first)
	wantNotFound(t, "TokenRevoke(unknown)", s.TokenRevoke(ctx(t), &store.TokenRevokeParams{ID: "tok_x", At: first}))
}

func testTokenUsed(t *testing.T, s store.Store) {
	seedTokenUsers(t, s)
	if err := s.TokensInsert(ctx(t), &store.TokensInsertParams{Tokens: []store.Token{
		{ID: "tok_1", User: "bo", Role: store.RoleViewer, Hash: tokenHash("1")}}}); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 5, 2, 10, 0, 0, 0, time.UTC)
	for _, u := range []time.Time{at, at.Add(time.Minute)} {
		if err := s.TokenUsed(ctx(t), &store.TokenUsedParams{ID: "tok_1", At: u}); err != nil {
			t.Fatal(err)
		}
	}
	got := must[*store.Token](t)(s.TokenGet(ctx(t), &store.TokenGetParams{ID: "tok_1"}))
	checkTime(t, "LastUsedAt", got.LastUsedAt, at.Add(time.Minute))
}

func testTokenDuplicate(t *testing.T, s store.Store) {
	seedTokenUsers(t, s)
	one := store.Token{ID: "tok_1", User: "bo", Role: store.RoleViewer, Hash: tokenHash("1")}
	if err := s.TokensInsert(ctx(t), &store.TokensInsertParams{Tokens: []store.Token{one}}); err != nil {
		t.Fatal(err)
	}
	sameHash := store.Token{ID: "tok_2", User: "bo", Role: store.RoleViewer, Hash: tokenHash("1")}
	if err := s.TokensInsert(ctx(t), &store.TokensInsertParams{Tokens: []store.Token{sameHash}}); err == nil {
		t.Error("a second token with the same hash was stored")
	}
	noUser := store.Token{ID: "tok_3", User: "ghost", Role: store.RoleViewer, Hash: tokenHash("3")}
	if err := s.TokensInsert(ctx(t), &store.TokensInsertParams{Tokens: []store.Token{noUser}}); err == nil {
		t.Error("a token for an unknown user was stored")
	}
	all := must[[]store.Token](t)(s.TokensList(ctx(t), &store.TokensListParams{}))
	checkEqual(t, "tokens after refused inserts", ids(all, func(k store.Token) string { return k.ID }), []string{"tok_1"})
}
