package web

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/postgres"
)

// TestMainFlowOnPostgres runs the main console flow on PostgreSQL (a
// scratch schema on the server of TOWER_TEST_POSTGRES_URL): the inbox,
// an approval that executes and is audited, a rejection with a reason,
// and the kill switch.
func TestMainFlowOnPostgres(t *testing.T) {
	base := os.Getenv("TOWER_TEST_POSTGRES_URL")
	if base == "" {
		t.Skip("TOWER_TEST_POSTGRES_URL is not set")
	}
	ctx := context.Background()
	dsn, drop, err := postgres.ScratchSchema(ctx, base, "tower_web")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = drop(context.WithoutCancel(ctx)) })
	w := newWorldOn(t, dsn)
	b := w.signIn(store.RoleApprover)
	ps := w.pending("approver", "stale-consent", 2)
	if _, body, _ := b.get("/"); !strings.Contains(body, `<tr data-proposal="`) {
		t.Fatal("the inbox on PostgreSQL shows no rows")
	}
	if code, _, _ := b.post("/proposals/"+ps[0].ID+"/approve", url.Values{"csrf": {b.csrf()}}); code != http.StatusSeeOther {
		t.Fatalf("approve: %d", code)
	}
	if st, body := b.pageStatus(ps[0].ID); st != "executed" || !strings.Contains(body, `data-action="execution.done"`) {
		t.Fatalf("after approving on PostgreSQL: %s", st)
	}
	if code, _, _ := b.post("/proposals/"+ps[1].ID+"/reject", url.Values{"csrf": {b.csrf()}, "reason": {"duplicate of a manual fix"}}); code != http.StatusSeeOther {
		t.Fatalf("reject: %d", code)
	}
	if w.status(ps[1].ID) != proposal.StatusRejected {
		t.Fatalf("rejected on PostgreSQL: %s", w.status(ps[1].ID))
	}
	if code, _, _ := b.post("/execution/pause", url.Values{"csrf": {b.csrf()}, "reason": {"drill"}}); code != http.StatusSeeOther {
		t.Fatalf("pause: %d", code)
	}
	if _, body, _ := b.get("/proposals"); !strings.Contains(body, `id="kill-banner"`) {
		t.Fatal("no banner after pausing on PostgreSQL")
	}
}
