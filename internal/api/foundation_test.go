package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/towerops/tower/internal/auth"
	"github.com/towerops/tower/internal/demo"
	"github.com/towerops/tower/internal/ingest"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

// demoAPI is a server over a small demo company imported into a real
// workspace, with a viewer's token.
type demoAPI struct {
	t      *testing.T
	st     store.Store
	srv    *httptest.Server
	secret string
}

func newDemoAPI(t *testing.T, st store.Store) *demoAPI {
	t.Helper()
	ctx := context.Background()
	bundle := t.TempDir()
	if _, err := demo.Generate(ctx, bundle, demo.Config{Seed: 1, People: 300, Accounts: 30}); err != nil {
		t.Fatal(err)
	}
	rep, err := ingest.ImportBundle(ctx, st, bundle, ingest.Options{})
	if err != nil || rep.Failed() {
		t.Fatalf("importing the demo: %v", err)
	}
	if _, err := auth.CreateUser(ctx, st, "system", auth.NewUser{Name: "vera", Role: store.RoleViewer}); err != nil {
		t.Fatal(err)
	}
	secret, _, err := auth.CreateToken(ctx, st, "system", auth.NewToken{User: "vera", Name: "t"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(st, nil, "test").Handler())
	t.Cleanup(srv.Close)
	return &demoAPI{t: t, st: st, srv: srv, secret: secret}
}

// get decodes GET path into out (when the answer is 200) and returns the
// status and the raw body.
func (d *demoAPI) get(path string, out any) (int, string) {
	d.t.Helper()
	code, body := getWith(d.t, d.srv.URL+path, d.secret)
	if code == http.StatusOK && out != nil {
		if err := json.Unmarshal([]byte(body), out); err != nil {
			d.t.Fatalf("GET %s: %v in %s", path, err, body)
		}
	}
	return code, body
}

// walk reads every page of the list at path with limit and returns the
// items and how many pages it took.
func walk[T any](d *demoAPI, path string, limit int) ([]T, int) {
	d.t.Helper()
	var all []T
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	cur := ""
	for pages := 1; ; pages++ {
		u := path + sep + "limit=" + strconv.Itoa(limit)
		if cur != "" {
			u += "&cursor=" + url.QueryEscape(cur)
		}
		var page Page[T]
		if code, body := d.get(u, &page); code != http.StatusOK {
			d.t.Fatalf("GET %s = %d %s", u, code, body)
		}
		if len(page.Items) > limit || (page.NextCursor != "" && len(page.Items) != limit) {
			d.t.Fatalf("GET %s: %d items with next cursor %q", u, len(page.Items), page.NextCursor)
		}
		all = append(all, page.Items...)
		if page.NextCursor == "" {
			return all, pages
		}
		if pages > 10000 {
			d.t.Fatalf("GET %s: the cursor never ends", path)
		}
		cur = page.NextCursor
	}
}

// TestAPIFoundationLists walks each foundation list page by page and
// checks every row the store holds comes exactly once, then reads one of
// each in detail, on both backends.
func TestAPIFoundationLists(t *testing.T) {
	t.Parallel()
	eachbackend.Run(t, testFoundationLists)
}

func testFoundationLists(t *testing.T, st store.Store) {
	d := newDemoAPI(t, st)
	ctx := context.Background()
	counts, err := d.st.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}

	people, pages := walk[person](d, "/api/v1/people", 40)
	seen := map[int64]bool{}
	for _, p := range people {
		if seen[p.ID] {
			t.Errorf("person %d comes twice", p.ID)
		}
		seen[p.ID] = true
	}
	stored, err := d.st.PeopleList(ctx, &store.PeopleListParams{Page: store.Page{Limit: 100000}})
	if err != nil {
		t.Fatal(err)
	}
	if len(people) != len(stored) || pages < 3 || int64(len(people)) > counts.People {
		t.Errorf("walked %d people in %d pages; the store lists %d", len(people), pages, len(stored))
	}

	first := stored[0]
	var detail personDetail
	if code, body := d.get("/api/v1/people/"+strconv.FormatInt(first.ID, 10), &detail); code != http.StatusOK ||
		detail.Person.ID != first.ID || len(detail.Records) == 0 {
		t.Fatalf("person %d = %d %s", first.ID, code, body)
	}
	if first.Email != "" {
		var byEmail personDetail
		if code, _ := d.get("/api/v1/people/"+url.PathEscape(strings.ToUpper(first.Email)), &byEmail); code != http.StatusOK || byEmail.Person.ID != first.ID {
			t.Errorf("person by e-mail %s = %d, id %d", first.Email, code, byEmail.Person.ID)
		}
		found, _ := walk[person](d, "/api/v1/people?search="+url.QueryEscape(first.Email), 50)
		if len(found) == 0 || found[0].ID != first.ID {
			t.Errorf("search %s found %+v", first.Email, found)
		}
	}
	if code, body := d.get("/api/v1/people/999999999", nil); code != http.StatusNotFound {
		t.Errorf("unknown person = %d %s", code, body)
	} else {
		checkErrorShape(t, "unknown person", body, "not_found")
	}

	accounts, _ := walk[account](d, "/api/v1/accounts", 7)
	if int64(len(accounts)) != counts.Accounts {
		t.Errorf("walked %d accounts; the store holds %d", len(accounts), counts.Accounts)
	}
	var acct accountDetail
	if code, body := d.get("/api/v1/accounts/"+url.PathEscape(accounts[0].ID), &acct); code != http.StatusOK || acct.Account.ID != accounts[0].ID {
		t.Errorf("account %s = %d %s", accounts[0].ID, code, body)
	}
	if acct.People == 0 {
		// The account list is by id; look for an account that has people.
		for _, a := range accounts {
			var x accountDetail
			if d.get("/api/v1/accounts/"+url.PathEscape(a.ID), &x); x.People > 0 {
				acct = x
				break
			}
		}
	}
	byAccount, _ := walk[person](d, "/api/v1/people?account="+url.QueryEscape(acct.Account.ID), 3)
	if acct.People == 0 || len(byAccount) != acct.People {
		t.Errorf("account %s counts %d people; the people list filtered by it has %d", acct.Account.ID, acct.People, len(byAccount))
	}

	campaigns, _ := walk[campaign](d, "/api/v1/campaigns", 2)
	if int64(len(campaigns)) != counts.Campaigns || len(campaigns) < 5 || campaigns[0].Totals == nil {
		t.Errorf("walked %d campaigns; the store holds %d", len(campaigns), counts.Campaigns)
	}
	var days int
	for _, c := range campaigns {
		var cd campaignDetail
		if code, body := d.get("/api/v1/campaigns/"+url.PathEscape(c.ID), &cd); code != http.StatusOK {
			t.Fatalf("campaign %s = %d %s", c.ID, code, body)
		}
		days += len(cd.Days)
	}
	if int64(days) != counts.CampaignDays {
		t.Errorf("the campaigns show %d days of results; the store holds %d", days, counts.CampaignDays)
	}

	templates, _ := walk[template](d, "/api/v1/templates", 2)
	if int64(len(templates)) != counts.Templates || len(templates) == 0 || templates[0].Body != "" {
		t.Errorf("walked %d templates (the store holds %d); the list leaves bodies out", len(templates), counts.Templates)
	}
	var tpl template
	if code, body := d.get("/api/v1/templates/"+url.PathEscape(templates[0].ID), &tpl); code != http.StatusOK || tpl.Body == "" {
		t.Errorf("template %s = %d %s", templates[0].ID, code, body)
	}

	licenses, pages := walk[license](d, "/api/v1/licenses", 2)
	if int64(len(licenses)) != counts.Licenses || pages < 3 {
		t.Errorf("walked %d licences in %d pages; the store holds %d", len(licenses), pages, counts.Licenses)
	}
	tools := map[string]bool{}
	for _, l := range licenses {
		if tools[l.Tool] {
			t.Errorf("licence %s comes twice", l.Tool)
		}
		tools[l.Tool] = true
	}
}

// TestAPICursor checks the answers to cursors and limits a list did not
// give out or does not allow.
func TestAPICursor(t *testing.T) {
	t.Parallel()
	d := newDemoAPI(t, eachbackend.SQLite(t))
	var page Page[license]
	if code, body := d.get("/api/v1/licenses?limit=1", &page); code != http.StatusOK || page.NextCursor == "" {
		t.Fatalf("first page = %d %s", code, body)
	}
	for name, q := range map[string]string{
		"not base64":            "cursor=not*base64!",
		"base64 of nonsense":    "cursor=bm9uc2Vuc2U",
		"another list's cursor": "cursor=" + cursor{List: "people", Offset: 1}.encode(),
		"a negative offset":     "cursor=" + cursor{List: "licenses", Offset: -5}.encode(),
	} {
		code, body := d.get("/api/v1/licenses?"+q, nil)
		if code != http.StatusBadRequest || !strings.Contains(body, `"location":"query.cursor"`) {
			t.Errorf("%s: %d %s, want 400 naming query.cursor", name, code, body)
		}
		checkErrorShape(t, name, body, "invalid")
	}
	for _, q := range []string{"limit=0", "limit=501", "limit=ten"} {
		code, body := d.get("/api/v1/people?"+q, nil)
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, `"location":"query.limit"`) {
			t.Errorf("%s: %d %s, want 422 naming query.limit", q, code, body)
		}
		checkErrorShape(t, q, body, "invalid")
	}
	var def Page[person]
	if code, _ := d.get("/api/v1/people", &def); code != http.StatusOK || len(def.Items) != defaultLimit {
		t.Errorf("people without a limit: %d items, want %d", len(def.Items), defaultLimit)
	}
}
