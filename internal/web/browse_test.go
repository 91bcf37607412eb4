package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/store"
)

// TestBrowsePages: every browse page opens for every role and shows
// the world's own data — the pack's rules and its tests, the person and
// account found by a search, the briefing's waiting decisions.
func TestBrowsePages(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	people, err := w.st.PeopleList(ctx, &store.PeopleListParams{Page: store.Page{Limit: 200}})
	if err != nil || len(people) == 0 {
		t.Fatalf("no people: %v", err)
	}
	var person store.PersonSummary
	for _, p := range people {
		if p.Email != "" && p.AccountID != "" && len(p.Systems) > 0 {
			person = p
			break
		}
	}
	acct, err := w.st.AccountGet(ctx, &store.AccountGetParams{ID: person.AccountID})
	if err != nil {
		t.Fatal(err)
	}
	pages := []string{"/policies", "/audit", "/people", "/people?search=" + url.QueryEscape(person.Email),
		"/people/" + strconv.FormatInt(person.ID, 10), "/accounts", "/accounts?search=" + url.QueryEscape(acct.Account.Name),
		"/accounts/" + url.PathEscape(acct.Account.ID), "/briefing", "/agents"}
	for _, role := range store.Roles() {
		b := w.signIn(role)
		for _, p := range pages {
			code, body, _ := b.get(p)
			if code != http.StatusOK {
				t.Errorf("%s: %s → %d", role, p, code)
			}
			if !strings.Contains(body, "</html>") {
				t.Errorf("%s: %s is cut short", role, p)
			}
		}
	}
	b := w.signIn(store.RoleViewer)

	// Policies: every rule of the pack, and its tests pass.
	_, body, _ := b.get("/policies")
	for _, r := range w.console.Pack.Rules {
		if !strings.Contains(body, `id="rule-`+r.ID+`"`) {
			t.Errorf("policies page lacks rule %s", r.ID)
		}
	}
	if !strings.Contains(body, `id="tests-summary" class="ok">All `) {
		t.Errorf("policies page does not say the default tests pass")
	}

	// People: the search finds the person; their page shows every record.
	_, body, _ = b.get("/people?search=" + url.QueryEscape(person.Email))
	if !strings.Contains(body, fmt.Sprintf(`<tr data-person="%d">`, person.ID)) || !strings.Contains(body, `name="search" type="search"`) {
		t.Errorf("searching %s does not show them", person.Email)
	}
	detail, err := w.st.PersonGet(ctx, &store.PersonGetParams{ID: person.ID})
	if err != nil {
		t.Fatal(err)
	}
	_, body, _ = b.get("/people/" + strconv.FormatInt(person.ID, 10))
	for _, rec := range detail.Records {
		if !strings.Contains(body, "<code>"+html.EscapeString(rec.SystemID)+"</code>") {
			t.Errorf("person page lacks the %s record %s", rec.System, rec.SystemID)
		}
	}
	if len(detail.Consent) > 0 && !strings.Contains(body, fmt.Sprintf("Full history (%d facts)", len(detail.Consent))) {
		t.Errorf("person page does not show the %d consent facts", len(detail.Consent))
	}
	if !strings.Contains(body, `href="/accounts/`+acct.Account.ID+`"`) {
		t.Errorf("person page does not link the account")
	}
	if code, _, _ := b.get("/people/999999999"); code != http.StatusNotFound {
		t.Errorf("an unknown person: %d", code)
	}
	if code, _, _ := b.get("/people/abc"); code != http.StatusNotFound {
		t.Errorf("a person id that is not a number: %d", code)
	}
	// Paging: the second page starts where the first ended.
	_, first, _ := b.get("/people")
	_, second, _ := b.get("/people?offset=50")
	if !strings.Contains(first, `rel="next"`) || !strings.Contains(second, `rel="prev"`) ||
		!strings.Contains(second, fmt.Sprintf(`<tr data-person="%d">`, people[50].ID)) {
		t.Errorf("people pages do not follow on")
	}

	// Accounts: search, and the account's owner and people.
	_, body, _ = b.get("/accounts?search=" + url.QueryEscape(acct.Account.Name))
	if !strings.Contains(body, `<tr data-account="`+acct.Account.ID+`">`) {
		t.Errorf("searching %q does not show the account", acct.Account.Name)
	}
	_, body, _ = b.get("/accounts/" + url.PathEscape(acct.Account.ID))
	if acct.Owner != nil && !strings.Contains(body, html.EscapeString(acct.Owner.Name)) {
		t.Errorf("account page lacks its owner %s", acct.Owner.Name)
	}
	if !strings.Contains(body, fmt.Sprintf("People (%d)", acct.People)) || !strings.Contains(body, fmt.Sprintf(`href="/people/%d"`, person.ID)) {
		t.Errorf("account page does not list its %d people", acct.People)
	}

	// Briefing: the approver's waiting decisions are the inbox's.
	items, err := governance.Inbox(ctx, w.st, "approver", time.Now(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	_, body, _ = w.signIn(store.RoleApprover).get("/briefing")
	if !strings.Contains(body, fmt.Sprintf("Waiting for your decision (%d)", len(items))) {
		t.Errorf("briefing does not count the %d decisions waiting", len(items))
	}
	if len(items) > 0 && !strings.Contains(body, `href="/proposals/`+items[0].Proposal.ID+`"`) {
		t.Errorf("briefing does not link the most valuable decision %s", items[0].Proposal.ID)
	}
	if _, body, _ = b.get("/briefing"); !strings.Contains(body, "Waiting for your decision (0)") {
		t.Errorf("a viewer has decisions waiting")
	}
}
