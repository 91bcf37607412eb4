package main

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"
	"time"
)

// chromiumPath is Debian's Chromium, which the browser test drives.
const chromiumPath = "/usr/bin/chromium"

// TestConsoleInBrowser runs the demo loop in a real browser: the binary
// builds a small demo workspace and serves it, and e2e/console.mjs drives
// Debian's Chromium through playwright-core — sign in, approve (executed,
// audited), reject with a reason, kill switch, resume, every main page —
// saving screenshots in e2e/artifacts (or $TOWER_ARTIFACTS).
//
// Without Chromium or Node it is skipped, except under CI=true, where
// .ci/run installs both and a skip would hide a broken console.
func TestConsoleInBrowser(t *testing.T) {
	e2e := installBrowserTest(t)
	bin := towerBinary(t)
	ws := filepath.Join(t.TempDir(), "demo")
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()

	out, err := exec.CommandContext(ctx, bin, "demo", "--dir", ws, "--people", "2000", "--accounts", "200", "--serve=false").CombinedOutput()
	if err != nil {
		t.Fatalf("tower demo: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`sign in as (\S+) with the password (\S+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("tower demo did not print a sign-in:\n%s", out)
	}
	user, password := string(m[1]), string(m[2])

	serve := exec.CommandContext(ctx, bin, "serve", "--workspace", ws, "--addr", "127.0.0.1:0")
	stdout, err := serve.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	serve.Stderr = &stderr
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = serve.Process.Signal(syscall.SIGTERM)
		_ = serve.Wait()
	}()
	url := ""
	sc := bufio.NewScanner(stdout)
	listening := regexp.MustCompile(`listening on (http://\S+)`)
	for url == "" && sc.Scan() {
		if m := listening.FindStringSubmatch(sc.Text()); m != nil {
			url = m[1]
		}
	}
	if url == "" {
		t.Fatalf("tower serve did not say where it listens:\n%s", stderr.String())
	}
	go func() {
		for sc.Scan() {
		}
	}()

	artifacts := os.Getenv("TOWER_ARTIFACTS")
	if artifacts == "" {
		artifacts = filepath.Join(e2e, "artifacts")
	}
	node := exec.CommandContext(ctx, "node", "console.mjs")
	node.Dir = e2e
	node.Env = append(os.Environ(), "TOWER_URL="+url, "TOWER_USER="+user, "TOWER_PASSWORD="+password,
		"TOWER_ARTIFACTS="+artifacts, "CHROMIUM="+chromiumPath)
	res, err := node.CombinedOutput()
	t.Logf("browser test (screenshots in %s):\n%s", artifacts, res)
	if err != nil {
		t.Fatalf("the browser test failed: %v\nserver log:\n%s", err, tail(stderr.String(), 4000))
	}
	for _, name := range []string{"signin", "inbox", "proposal-executed", "kill-switch", "audit", "agents", "policies", "people"} {
		if _, err := os.Stat(filepath.Join(artifacts, name+".png")); err != nil {
			t.Errorf("no screenshot of %s: %v", name, err)
		}
	}
}

// installBrowserTest checks Chromium and Node are there and installs
// e2e/'s locked playwright-core, returning the e2e folder.
func installBrowserTest(t *testing.T) string {
	t.Helper()
	missing := ""
	if _, err := os.Stat(chromiumPath); err != nil {
		missing = chromiumPath + " (apt-get install chromium)"
	}
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = tool + " (apt-get install nodejs npm)"
		}
	}
	if missing != "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the browser test needs %s, and CI=true: .ci/run must install it", missing)
		}
		t.Skipf("the browser test needs %s; skipped", missing)
	}
	dir, err := filepath.Abs(filepath.Join("..", "..", "e2e"))
	if err != nil {
		t.Fatal(err)
	}
	npmCI(t, dir)
	return dir
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
