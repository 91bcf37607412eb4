package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/towerops/tower/internal/api"
	"github.com/towerops/tower/internal/auth"
	"github.com/towerops/tower/internal/demo"
	"github.com/towerops/tower/internal/fleet"
	"github.com/towerops/tower/internal/governance"
	"github.com/towerops/tower/internal/ingest"
	"github.com/towerops/tower/internal/knowledge"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"

	_ "github.com/towerops/tower/internal/skills/licenseauditor"
	_ "github.com/towerops/tower/internal/skills/linkaudit"
	_ "github.com/towerops/tower/internal/skills/staleconsent"
	_ "github.com/towerops/tower/internal/skills/templatereview"
	_ "github.com/towerops/tower/internal/store/postgres"
	_ "github.com/towerops/tower/internal/store/sqlite"
)

// testPassword is every test user's password.
const testPassword = "correct horse battery"

// world is a small demo company imported into a real store, its demo
// agents run once under the default policies (so the inbox holds real
// proposals with real approval requests), users of each role with a
// password, and the console served with the API on a loopback server.
type world struct {
	t       *testing.T
	st      store.Store
	console *Server
	srv     *httptest.Server
	dir     string
}

var (
	bundleOnce sync.Once
	bundleDir  string
	bundleErr  error
)

// demoBundle generates one small demo bundle per test binary.
func demoBundle(t *testing.T) string {
	t.Helper()
	bundleOnce.Do(func() {
		bundleDir, bundleErr = os.MkdirTemp("", "tower-web-bundle-")
		if bundleErr == nil {
			_, bundleErr = demo.Generate(context.Background(), bundleDir, demo.Config{Seed: 1, People: 1500, Accounts: 150})
		}
	})
	if bundleErr != nil {
		t.Fatal(bundleErr)
	}
	return bundleDir
}

// newWorld builds a world on SQLite; newWorldOn on any store URL.
func newWorld(t *testing.T) *world {
	t.Helper()
	return newWorldOn(t, "sqlite:"+filepath.Join(t.TempDir(), "tower.db"))
}

func newWorldOn(t *testing.T, url string) *world {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	rep, err := ingest.ImportBundle(ctx, st, demoBundle(t), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed() {
		t.Fatalf("demo bundle did not import cleanly")
	}
	if err := demo.WriteAgents(dir); err != nil {
		t.Fatal(err)
	}
	if err := demo.WriteKnowledge(filepath.Join(dir, "knowledge")); err != nil {
		t.Fatal(err)
	}
	if _, err := fleet.SyncAgents(ctx, st, filepath.Join(dir, "agents"), "system"); err != nil {
		t.Fatal(err)
	}
	pack, err := governance.DefaultPack()
	if err != nil {
		t.Fatal(err)
	}
	set, err := knowledge.Load(filepath.Join(dir, "knowledge"))
	if err != nil {
		t.Fatal(err)
	}
	runner := &fleet.Runner{Store: st, Pack: pack, Logger: slog.New(slog.DiscardHandler), Knowledge: func(layer string) (any, error) { return set.Layer(layer) }}
	lc := &fleet.Lifecycle{Store: st, Pack: pack, Runner: runner}
	for _, sk := range skill.All() {
		if _, err := runner.Run(ctx, fleet.RunRequest{Skill: sk.Manifest().Name, Trigger: skill.Trigger{Kind: "manual"}}); err != nil {
			t.Fatalf("running %s: %v", sk.Manifest().Name, err)
		}
	}
	for _, r := range store.Roles() {
		if _, err := auth.CreateUser(ctx, st, "system", auth.NewUser{Name: string(r), Role: r, Password: testPassword}); err != nil {
			t.Fatal(err)
		}
	}
	console, err := New(st, runner, lc, pack, slog.New(slog.DiscardHandler), "test")
	if err != nil {
		t.Fatal(err)
	}
	a := api.New(st, slog.New(slog.DiscardHandler), "test")
	a.Fleet = &api.Fleet{Runner: runner, Lifecycle: lc}
	a.Console = console
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return &world{t: t, st: st, console: console, srv: srv, dir: dir}
}

// browser is a test client with its own cookie jar, like one browser.
type browser struct {
	t      *testing.T
	w      *world
	client *http.Client
}

// newBrowser returns a client that is not signed in and does not follow
// redirects (tests check where they point).
func (w *world) newBrowser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: w.t, w: w, client: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// signIn returns a browser signed in as the user named after role.
func (w *world) signIn(role store.Role) *browser {
	b := w.newBrowser()
	code, _, loc := b.post("/signin", url.Values{"user": {string(role)}, "password": {testPassword}, "next": {"/"}})
	if code != http.StatusSeeOther || loc != "/" {
		w.t.Fatalf("signing in as %s: %d → %q", role, code, loc)
	}
	return b
}

// get returns status, body and the Location header.
func (b *browser) get(path string) (int, string, string) {
	b.t.Helper()
	resp, err := b.client.Get(b.w.srv.URL + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header.Get("Location")
}

// post sends a form as a same-origin browser would.
func (b *browser) post(path string, form url.Values) (int, string, string) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.w.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.w.srv.URL)
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header.Get("Location")
}

var csrfField = regexp.MustCompile(`name="csrf" value="([0-9a-f]{64})"`)

// csrf reads the CSRF value from a page the browser is signed in on.
func (b *browser) csrf() string {
	b.t.Helper()
	_, body, _ := b.get("/")
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		b.t.Fatal("no CSRF value on the page: is the browser signed in?")
	}
	return m[1]
}
