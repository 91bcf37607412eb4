package web

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/store"
)

var entryRow = regexp.MustCompile(`<tr id="entry-(\d+)">`)

// shownSeqs lists the entry numbers on an audit page, in page order.
func shownSeqs(body string) []string {
	var out []string
	for _, m := range entryRow.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

var pagerLink = regexp.MustCompile(`<a href="(/audit\?[^"]*)" rel="(prev|next)">`)

// links returns the newer (prev) and older (next) links of a page.
func links(body string) (newer, older string) {
	for _, m := range pagerLink.FindAllStringSubmatch(body, -1) {
		u := strings.ReplaceAll(m[1], "&amp;", "&")
		if m[2] == "prev" {
			newer = u
		} else {
			older = u
		}
	}
	return newer, older
}

// TestAuditPage: everyone sees whether the chain is intact, only
// architects and admins the entries; pages run newest first, "older" and
// "newer" walk the whole log without gaps or repeats, filters narrow it,
// and an edited entry turns the box into a warning.
func TestAuditPage(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	head, err := auditHead(ctx, w.st)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := audit.Verify(ctx, w.st)
	if err != nil || !rep.OK || rep.LastSeq != head {
		t.Fatalf("the head found by probing (%d) is not the verified head %+v (%v)", head, rep, err)
	}
	for _, role := range store.Roles() {
		code, body, _ := w.signIn(role).get("/audit")
		if code != http.StatusOK {
			t.Fatalf("%s: %d", role, code)
		}
		head, _ := auditHead(ctx, w.st) // signing in wrote entries too
		i := strings.Index(body, `id="verify"`)
		if i < 0 || !strings.Contains(body[i:], "intact") || !strings.Contains(body[i:], fmt.Sprintf("All %s entries", commaInt(head))) {
			t.Errorf("%s: no verify box saying the chain of %d entries is intact", role, head)
		}
		listed := len(shownSeqs(body)) > 0
		if want := role == store.RoleAdmin || role == store.RoleArchitect; listed != want {
			t.Errorf("%s sees entries: %v, want %v", role, listed, want)
		}
	}

	// Walk older pages to the start: every entry once, newest first.
	b := w.signIn(store.RoleArchitect)
	var seen []string
	path := "/audit"
	var pages []string
	for path != "" {
		pages = append(pages, path)
		_, body, _ := b.get(path)
		seqs := shownSeqs(body)
		if len(seqs) > listPage {
			t.Fatalf("%d entries on one page", len(seqs))
		}
		seen = append(seen, seqs...)
		_, older := links(body)
		path = older
		if len(pages) > 1000 {
			t.Fatal("paging does not end")
		}
	}
	// Signing in writes entries too: compare with the log as it is now.
	now, _ := auditHead(ctx, w.st)
	if int64(len(seen)) != now {
		t.Errorf("walking older pages showed %d entries, the log has %d", len(seen), now)
	}
	for i := 1; i < len(seen); i++ {
		if atoi(seen[i]) != atoi(seen[i-1])-1 {
			t.Fatalf("entry %s follows %s", seen[i], seen[i-1])
		}
	}
	// From the second page, "newer" leads back to the first page's entries.
	_, body, _ := b.get(pages[1])
	newer, _ := links(body)
	_, first, _ := b.get("/audit")
	_, back, _ := b.get(newer)
	if got, want := shownSeqs(back), shownSeqs(first); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("newer from page 2 shows %v, page 1 showed %v", got, want)
	}

	// Filters.
	_, body, _ = b.get("/audit?action=agent.configured")
	seqs := shownSeqs(body)
	if len(seqs) == 0 || strings.Count(body, "<code>agent.configured</code>") != len(seqs) {
		t.Errorf("the action filter shows %d rows, %d of them agent.configured", len(seqs), strings.Count(body, "<code>agent.configured</code>"))
	}
	if _, body, _ = b.get("/audit?actor=nobody-at-all"); len(shownSeqs(body)) != 0 || !strings.Contains(body, "No entries match") {
		t.Errorf("a filter matching nothing")
	}

	// An edited entry breaks the chain, and the box says so.
	if err := tamper(ctx, w.st); err != nil {
		t.Skipf("cannot edit the log behind Tower's back here: %v", err)
	}
	_, body, _ = w.signIn(store.RoleViewer).get("/audit")
	i := strings.Index(body, `id="verify"`)
	if i < 0 || strings.Contains(body[i:i+400], "intact") || !strings.Contains(body[i:], "tampered") {
		t.Errorf("the verify box does not report the edited entry:\n%s", body[i:min(len(body), i+600)])
	}
}

func commaInt(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func atoi(s string) int {
	var n int
	fmt.Sscan(s, &n)
	return n
}

// tamper edits an entry straight in the database, as someone with the
// file could.
func tamper(ctx context.Context, st store.Store) error {
	db, ok := st.(interface{ DB() *sql.DB })
	if !ok {
		return fmt.Errorf("%T gives no database handle", st)
	}
	_, err := db.DB().ExecContext(ctx, `UPDATE audit_log SET actor = 'user:mallory' WHERE seq = 3`)
	return err
}
