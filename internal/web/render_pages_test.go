package web

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// TestDecisionPagesRenderForEveryRole opens the inbox, the proposal list
// (with filters and paging) and a proposal page of every kind in the
// world as every role: no page may fail, and each carries the security
// headers.
func TestDecisionPagesRenderForEveryRole(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	ps, err := w.st.ProposalsList(ctx, &store.ProposalsListParams{Page: store.Page{Limit: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{"/", "/?sort=newest", "/?sort=due&skill=stale-consent&min=1", "/?limit=60",
		"/proposals", "/proposals?status=pending_approval&offset=50", "/proposals?skill=template-qa&agent=template-qa"}
	kinds := map[proposal.Kind]bool{}
	for _, p := range ps {
		k := p.Actions[0].Kind
		if !kinds[k] || len(p.Actions) > 1 {
			kinds[k] = true
			paths = append(paths, "/proposals/"+p.ID)
		}
	}
	for _, r := range store.Roles() {
		b := w.signIn(r)
		for _, path := range paths {
			resp, err := b.client.Get(w.srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s as %s: %d", path, r, resp.StatusCode)
			}
			if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || resp.Header.Get("X-Frame-Options") != "DENY" {
				t.Errorf("%s as %s: security headers missing (CSP %q)", path, r, csp)
			}
		}
	}
	// Evidence series are drawn as charts.
	np := ps[0]
	np.ID, np.Key = proposal.NewID(time.Now()), "test:series"
	np.Evidence.Series = []proposal.Series{{Name: "hard bounces per day", Points: []proposal.Point{
		{X: "2026-03-01", Y: 3}, {X: "2026-03-02", Y: 4}, {X: "2026-03-03", Y: 41}}}}
	if _, err := w.st.ProposalsInsert(ctx, &store.ProposalsInsertParams{Proposals: []proposal.Proposal{np}}); err != nil {
		t.Fatal(err)
	}
	if _, body, _ := w.signIn(store.RoleViewer).get("/proposals/" + np.ID); !strings.Contains(body, "<svg") || !strings.Contains(body, "hard bounces per day") {
		t.Error("a proposal with a series shows no chart of it")
	}
	if code, _, _ := w.signIn(store.RoleViewer).get("/proposals/p_nope"); code != http.StatusNotFound {
		t.Errorf("an unknown proposal: %d, want 404", code)
	}
}
