package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// The ingest tests run the real tower binary as a separate process, so
// they can kill it with SIGKILL the way a crash or an OOM killer would.
// It is built once per test run, into a folder TestMain removes.
var towerBuild struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if towerBuild.dir != "" {
		os.RemoveAll(towerBuild.dir)
	}
	os.Exit(code)
}

// towerBinary builds cmd/tower (the package under test) once per run.
func towerBinary(t *testing.T) string {
	t.Helper()
	towerBuild.once.Do(func() {
		dir, err := os.MkdirTemp("", "tower-bin-")
		if err != nil {
			towerBuild.err = err
			return
		}
		towerBuild.dir = dir
		towerBuild.path = filepath.Join(dir, "tower")
		out, err := exec.Command("go", "build", "-o", towerBuild.path, ".").CombinedOutput()
		if err != nil {
			towerBuild.err = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if towerBuild.err != nil {
		t.Fatalf("building tower: %v", towerBuild.err)
	}
	return towerBuild.path
}

// ingestWorkspace is a workspace made by the binary, with one source.
type ingestWorkspace struct {
	bin      string
	env      []string // the whole environment of every tower process
	dbURL    string   // what the test opens to check the store
	sourceID string
	writeKey string
}

// newIngestWorkspace runs `tower init` and `tower sources create` with the
// binary. extra is the backend's environment (TOWER_DATABASE_URL for
// PostgreSQL); nothing else from the test's environment reaches tower.
func newIngestWorkspace(t *testing.T, extra map[string]string) *ingestWorkspace {
	t.Helper()
	ws := filepath.Join(t.TempDir(), "ws")
	w := &ingestWorkspace{bin: towerBinary(t), dbURL: "sqlite:" + filepath.Join(ws, "tower.db"),
		env: []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "TMPDIR=" + os.TempDir(),
			"TOWER_WORKSPACE=" + ws, "TOWER_LOG_LEVEL=warn"}}
	for k, v := range extra {
		w.env = append(w.env, k+"="+v)
		if k == "TOWER_DATABASE_URL" {
			w.dbURL = v
		}
	}
	w.run(t, "init", ws)
	var src struct {
		ID       string `json:"id"`
		WriteKey string `json:"write_key"`
	}
	if err := json.Unmarshal([]byte(w.run(t, "sources", "create", "website", "--json")), &src); err != nil || src.WriteKey == "" {
		t.Fatalf("tower sources create --json: %v (got %+v)", err, src)
	}
	w.sourceID, w.writeKey = src.ID, src.WriteKey
	return w
}

func (w *ingestWorkspace) run(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(w.bin, args...)
	cmd.Env = w.env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tower %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr.String())
	}
	return string(out)
}

// freeAddr finds a loopback port nobody listens on. The server is
// restarted on the same address, as a client configured with a host
// expects.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// towerServer is one `tower serve` process; start it again after a kill.
type towerServer struct {
	w     *ingestWorkspace
	addr  string
	args  []string
	cmd   *exec.Cmd
	log   *tailBuffer // the server's stderr, for the failure message
	start time.Duration
}

func (w *ingestWorkspace) server(t *testing.T, addr string, args ...string) *towerServer {
	s := &towerServer{w: w, addr: addr, args: args, log: &tailBuffer{}}
	t.Cleanup(func() {
		if s.cmd != nil {
			s.kill()
		}
		if t.Failed() {
			t.Logf("tower serve stderr (tail):\n%s", s.log.String())
		}
	})
	return s
}

// Start runs the server and returns once it says it is listening.
func (s *towerServer) Start(t *testing.T) {
	t.Helper()
	begin := time.Now()
	cmd := exec.Command(s.w.bin, append([]string{"serve", "--addr", s.addr}, s.args...)...)
	cmd.Env = s.w.env
	cmd.Stderr = s.log
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s.cmd = cmd
	ready := make(chan bool, 1)
	go func() {
		lines := bufio.NewScanner(out)
		said := false
		for lines.Scan() {
			if !said && strings.Contains(lines.Text(), "Tower is listening on") {
				said = true
				ready <- true
			}
		}
		if !said {
			ready <- false
		}
	}()
	select {
	case ok := <-ready:
		if !ok {
			_ = cmd.Wait()
			t.Fatalf("tower serve exited before listening: %v\n%s", cmd.ProcessState, s.log.String())
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("tower serve did not listen within a minute\n%s", s.log.String())
	}
	s.start = time.Since(begin)
}

// Kill ends the server with SIGKILL: no shutdown code runs.
func (s *towerServer) kill() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGKILL)
	_ = s.cmd.Wait()
	s.cmd = nil
}

// Stop ends the server as Ctrl-C would and fails if it does not exit cleanly.
func (s *towerServer) Stop(t *testing.T) {
	t.Helper()
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case err := <-done:
		s.cmd = nil
		if err != nil {
			t.Errorf("tower serve after SIGTERM: %v\n%s", err, s.log.String())
		}
	case <-time.After(60 * time.Second):
		s.kill()
		t.Errorf("tower serve did not stop within a minute of SIGTERM")
	}
}

// storedEvents reads every event of the workspace's database straight
// from the store, by message id, counting any id seen twice.
func (w *ingestWorkspace) storedEvents(t *testing.T) (byID map[string]foundation.Event, repeated []string) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, w.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	byID = map[string]foundation.Event{}
	const page = 10_000
	for off := 0; ; off += page {
		evs, err := st.EventsList(ctx, &store.EventsListParams{Page: store.Page{Limit: page, Offset: off}})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range evs {
			if _, dup := byID[e.MessageID]; dup {
				repeated = append(repeated, e.MessageID)
			}
			byID[e.MessageID] = e
		}
		if len(evs) < page {
			return byID, repeated
		}
	}
}

// tailBuffer keeps the last 16 KB written to it, safely from several
// goroutines (exec copies stderr from its own).
type tailBuffer struct {
	mu sync.Mutex
	b  []byte
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.b = append(b.b, p...)
	if over := len(b.b) - 16<<10; over > 0 {
		b.b = append(b.b[:0], b.b[over:]...)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.b)
}

// sdkKinds is the type of message i, i % len(sdkKinds): the same list as
// KINDS in testdata/sdk/send.js.
var sdkKinds = []foundation.EventType{"track", "identify", "page", "track", "group", "alias"}

// sdkEvents is how many messages each SDK sends.
const sdkEvents = 3000

// TestSDKClientsUnmodified sends events through the real Segment and
// RudderStack Node SDKs, configured only with the host, the write key and
// their batching, while the server is killed and started again in the
// middle of the stream. The SDKs must retry on their own, and every
// message they sent must be stored exactly once.
func TestSDKClientsUnmodified(t *testing.T) {
	if testing.Short() {
		t.Skip("the SDK test is skipped with -short")
	}
	sdkDir := installSDKs(t)
	for name, envFor := range backends(t) {
		t.Run(name, func(t *testing.T) {
			w := newIngestWorkspace(t, envFor(t))
			srv := w.server(t, freeAddr(t), "--workers", "1")
			srv.Start(t)
			run := time.Now().UnixNano()
			prefixes := map[string]string{}
			for _, sdk := range []string{"segment", "rudder"} {
				prefix := fmt.Sprintf("%s-%x", sdk, run)
				prefixes[sdk] = prefix
				sendThroughSDK(t, sdkDir, srv, sdk, prefix)
			}
			srv.Stop(t)

			stored, repeated := w.storedEvents(t)
			if len(repeated) > 0 {
				t.Errorf("%d message ids stored more than once, first %s", len(repeated), repeated[0])
			}
			if len(stored) != 2*sdkEvents {
				t.Errorf("the store holds %d events; the two SDKs sent %d", len(stored), 2*sdkEvents)
			}
			for sdk, prefix := range prefixes {
				missing := 0
				for i := range sdkEvents {
					id := fmt.Sprintf("%s-%d", prefix, i)
					e, ok := stored[id]
					if !ok {
						if missing++; missing <= 5 {
							t.Errorf("%s: message %s is not in the store", sdk, id)
						}
						continue
					}
					checkSDKEvent(t, sdk, prefix, i, e, w.sourceID)
				}
				if missing > 0 {
					t.Errorf("%s: %d of %d messages missing", sdk, missing, sdkEvents)
				}
			}
		})
	}
}

// checkSDKEvent compares a stored event with what send.js sent as message i.
func checkSDKEvent(t *testing.T, sdk, prefix string, i int, e foundation.Event, sourceID string) {
	t.Helper()
	want := sdkKinds[i%len(sdkKinds)]
	n := i % 97
	var bad []string
	if e.Type != want {
		bad = append(bad, fmt.Sprintf("type %s, want %s", e.Type, want))
	}
	if e.Source != sourceID {
		bad = append(bad, fmt.Sprintf("source %q, want %s", e.Source, sourceID))
	}
	user := fmt.Sprintf("%s-user-%d", prefix, n)
	switch want {
	case "track":
		if e.Event != "Pricing Viewed" || e.UserID != user {
			bad = append(bad, fmt.Sprintf("track event %q by %q", e.Event, e.UserID))
		}
	case "identify":
		if e.Email != user+"@example.com" {
			bad = append(bad, fmt.Sprintf("identify e-mail %q", e.Email))
		}
	case "page":
		if e.AnonymousID != fmt.Sprintf("%s-anon-%d", prefix, n) || e.Name != "Pricing" {
			bad = append(bad, fmt.Sprintf("page %q by anonymous %q", e.Name, e.AnonymousID))
		}
	case "group":
		if e.GroupID != fmt.Sprintf("%s-acct-%d", prefix, n%7) {
			bad = append(bad, fmt.Sprintf("group id %q", e.GroupID))
		}
	case "alias":
		if e.PreviousID != fmt.Sprintf("%s-anon-%d", prefix, n) || e.UserID != user {
			bad = append(bad, fmt.Sprintf("alias %q -> %q", e.PreviousID, e.UserID))
		}
	}
	if want != "alias" && want != "identify" {
		var props struct{ Seq *int }
		if err := json.Unmarshal(orEmpty(e.Properties, e.Traits), &props); err != nil || props.Seq == nil || *props.Seq != i {
			bad = append(bad, fmt.Sprintf("properties/traits %s lack seq %d", orEmpty(e.Properties, e.Traits), i))
		}
	}
	if len(bad) > 0 {
		t.Errorf("%s message %s-%d: %s", sdk, prefix, i, strings.Join(bad, "; "))
	}
}

func orEmpty(raws ...json.RawMessage) []byte {
	for _, r := range raws {
		if len(r) > 0 && string(r) != "null" && string(r) != "{}" {
			return r
		}
	}
	return []byte("{}")
}

// sendThroughSDK runs send.js for one SDK, kills the server with SIGKILL
// when half the messages are enqueued, starts it again on the same address
// a moment later, and waits for the SDK to report every message settled.
func sendThroughSDK(t *testing.T, sdkDir string, srv *towerServer, sdk, prefix string) {
	t.Helper()
	cmd := exec.Command("node", "send.js", sdk, "http://"+srv.addr, srv.w.writeKey, fmt.Sprint(sdkEvents), prefix)
	cmd.Dir = sdkDir
	var stderr tailBuffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	restarted := false
	var failures []string
	done := ""
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		line := lines.Text()
		var n int
		switch {
		case strings.HasPrefix(line, "enqueued "):
			if _, err := fmt.Sscan(strings.TrimPrefix(line, "enqueued "), &n); err == nil && n >= sdkEvents/2 && !restarted {
				restarted = true
				srv.kill()
				// Long enough for the SDK's next batches to find nobody
				// listening; short enough for its retries to outlast it.
				time.Sleep(300 * time.Millisecond)
				srv.Start(t)
				t.Logf("%s: server killed at %d of %d messages, listening again after %v", sdk, n, sdkEvents, srv.start.Round(time.Millisecond))
			}
		case strings.HasPrefix(line, "failed "):
			failures = append(failures, line)
		case strings.HasPrefix(line, "done "):
			done = line
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("%s: node send.js: %v\n%s", sdk, err, stderr.String())
	}
	if len(failures) > 0 {
		t.Errorf("%s: the SDK gave up on %d messages, first: %s", sdk, len(failures), failures[0])
	}
	var delivered, failed, retries int
	if _, err := fmt.Sscanf(done, "done delivered=%d failed=%d retries=%d", &delivered, &failed, &retries); err != nil {
		t.Fatalf("%s: send.js did not finish (%q): %v\n%s", sdk, done, err, stderr.String())
	}
	t.Logf("%s: %d delivered, %d failed, %d retries", sdk, delivered, failed, retries)
	if !restarted {
		t.Errorf("%s: the server was never restarted", sdk)
	}
	if delivered != sdkEvents || failed != 0 {
		t.Errorf("%s: %d of %d delivered, %d failed", sdk, delivered, sdkEvents, failed)
	}
	if retries == 0 {
		t.Errorf("%s: no retries: the restart did not happen while the SDK was sending", sdk)
	}
}

// installSDKs makes sure testdata/sdk/node_modules matches the committed
// package-lock.json, running `npm ci` when it does not. Without node or npm
// the test is skipped, unless CI=true: there it must run.
func installSDKs(t *testing.T) string {
	t.Helper()
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is not installed, and CI=true: the real-SDK test must run in CI (apt-get install nodejs npm)", tool)
			}
			t.Skipf("the real-SDK test needs %s (apt-get install nodejs npm); skipped", tool)
		}
	}
	dir, err := filepath.Abs(filepath.Join("testdata", "sdk"))
	if err != nil {
		t.Fatal(err)
	}
	npmCI(t, dir)
	return dir
}

// npmCI installs dir's locked npm packages once per lock file: a marker
// in node_modules remembers which lock was installed.
func npmCI(t *testing.T, dir string) {
	t.Helper()
	lock, err := os.ReadFile(filepath.Join(dir, "package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	installed, _ := os.ReadFile(filepath.Join(dir, "node_modules", ".tower-installed-lock"))
	if bytes.Equal(lock, installed) {
		return
	}
	// --ignore-scripts: no package's install script runs (none is needed:
	// the SDKs' one native add-on belongs to an optional persistence
	// queue, and playwright-core drives the system's Chromium).
	cmd := exec.Command("npm", "ci", "--prefer-offline", "--ignore-scripts", "--no-audit", "--no-fund")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm ci in %s: %v\n%s", dir, err, out)
	}
	if err := os.WriteFile(filepath.Join(dir, "node_modules", ".tower-installed-lock"), lock, 0o644); err != nil {
		t.Fatal(err)
	}
}
