package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// IngestConfig says how to load the event collector. Zero values pick the
// defaults written beside each field.
type IngestConfig struct {
	// DatabaseURL is a PostgreSQL server to measure on (a new schema,
	// dropped afterwards); empty measures SQLite in a temporary folder.
	DatabaseURL string
	// Clients is how many concurrent HTTP clients post (default 8).
	Clients int
	// Duration is how long each batch size is measured (default 10 s),
	// after a warm-up of a fifth of it.
	Duration time.Duration
	// Batches are the messages per request to measure (default 1, 20, 100).
	Batches []int
	// Tower is the tower binary that serves; default os.Executable().
	Tower string
	// Progress, when set, is told which step is running.
	Progress func(step string)
}

// IngestRun is the measurement of one batch size.
type IngestRun struct {
	Batch        int     `json:"batch"`
	Clients      int     `json:"clients"`
	Seconds      float64 `json:"seconds"`
	Requests     int64   `json:"requests"`
	Events       int64   `json:"events"`
	EventsPerSec float64 `json:"events_per_second"`
	// Acknowledgement latency: from sending a request to its 200, which
	// Tower sends only after the events are committed.
	P50Ms float64 `json:"p50_ms"`
	P99Ms float64 `json:"p99_ms"`
	MaxMs float64 `json:"max_ms"`
	// Busy is how many requests were answered 503 (the store was behind)
	// and retried after 20 ms; they are not in Events or the latencies.
	Busy int64 `json:"busy"`
	// PeakMemoryBytes is the server process's peak resident memory
	// (VmHWM), read before it is stopped.
	PeakMemoryBytes int64 `json:"peak_memory_bytes"`
}

// IngestResult is a whole `tower bench ingest`.
type IngestResult struct {
	Backend string      `json:"backend"`
	Runs    []IngestRun `json:"runs"`
}

// Ingest measures the Segment-compatible collector end to end: a fresh
// workspace and database, a source, then for each batch size a new
// `tower serve` process (a separate process, so the load generator does
// not share its scheduler or heap, and its peak memory is its own) driven
// over loopback by cfg.Clients clients posting /v1/batch.
func Ingest(ctx context.Context, cfg IngestConfig) (*IngestResult, error) {
	if cfg.Clients <= 0 {
		cfg.Clients = 8
	}
	if cfg.Duration <= 0 {
		cfg.Duration = 10 * time.Second
	}
	if len(cfg.Batches) == 0 {
		cfg.Batches = []int{1, 20, 100}
	}
	if cfg.Tower == "" {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("finding the tower program to serve with: %w", err)
		}
		cfg.Tower = exe
	}
	tmp, err := os.MkdirTemp("", "tower-bench-")
	if err != nil {
		return nil, fmt.Errorf("bench folder: %w", err)
	}
	defer os.RemoveAll(tmp)
	ws := filepath.Join(tmp, "ws")
	env := benchEnv("TOWER_WORKSPACE="+ws, "TOWER_LOG_LEVEL=warn")
	res := &IngestResult{Backend: "sqlite"}
	if cfg.DatabaseURL != "" {
		url, drop, err := scratchURL(ctx, cfg.DatabaseURL, tmp)
		if err != nil {
			return nil, err
		}
		if drop != nil {
			defer func() { _ = drop(context.WithoutCancel(ctx)) }()
		}
		env = append(env, "TOWER_DATABASE_URL="+url)
		res.Backend = strings.SplitN(url, ":", 2)[0]
		if res.Backend == "postgresql" {
			res.Backend = "postgres"
		}
	}

	step := func(s string) {
		if cfg.Progress != nil {
			cfg.Progress(s)
		}
	}
	step("creating a workspace and a source")
	if _, err := towerRun(ctx, cfg.Tower, env, "init", ws); err != nil {
		return nil, err
	}
	out, err := towerRun(ctx, cfg.Tower, env, "sources", "create", "bench", "--json")
	if err != nil {
		return nil, err
	}
	var src struct {
		WriteKey string `json:"write_key"`
	}
	if err := json.Unmarshal(out, &src); err != nil || src.WriteKey == "" {
		return nil, fmt.Errorf("reading the new source's write key from %q: %w", out, err)
	}

	for _, size := range cfg.Batches {
		if size < 1 {
			return nil, fmt.Errorf("a batch size is at least 1 message, not %d", size)
		}
		step(fmt.Sprintf("%d clients posting batches of %d for %v", cfg.Clients, size, cfg.Duration))
		run, err := ingestRun(ctx, cfg, env, src.WriteKey, size)
		if err != nil {
			return nil, fmt.Errorf("batches of %d: %w", size, err)
		}
		res.Runs = append(res.Runs, *run)
	}
	return res, nil
}

// ingestRun starts a server, loads it with one batch size and stops it.
func ingestRun(ctx context.Context, cfg IngestConfig, env []string, key string, size int) (*IngestRun, error) {
	srv, addr, err := startServer(ctx, cfg.Tower, env)
	if err != nil {
		return nil, err
	}
	defer srv.stop()

	warm := cfg.Duration / 5
	from := time.Now().Add(warm)
	until := from.Add(cfg.Duration)
	loadCtx, cancel := context.WithDeadline(ctx, until)
	defer cancel()
	var t loadTally
	prefix := fmt.Sprintf("b%d-%x", size, time.Now().UnixNano())
	if err := drive(loadCtx, "http://"+addr+"/v1/batch", key, prefix, cfg.Clients, size, from, &t); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	secs := cfg.Duration.Seconds()
	run := &IngestRun{Batch: size, Clients: cfg.Clients, Seconds: secs, Requests: t.requests.Load(),
		Events: t.events.Load(), Busy: t.busy.Load()}
	run.EventsPerSec = float64(run.Events) / secs
	run.P50Ms, run.P99Ms, run.MaxMs = t.percentiles()
	if run.PeakMemoryBytes, err = peakMemory(srv.cmd.Process.Pid); err != nil {
		return nil, err
	}
	if err := srv.stop(); err != nil {
		return nil, err
	}
	return run, nil
}

// server is a `tower serve` child process.
type server struct {
	cmd     *exec.Cmd
	stderr  *bytes.Buffer
	stopped bool
}

// startServer runs `tower serve` on a free loopback port and waits until
// it says it is listening.
func startServer(ctx context.Context, tower string, env []string) (*server, string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", fmt.Errorf("finding a free port: %w", err)
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.CommandContext(ctx, tower, "serve", "--addr", addr)
	cmd.Env = env
	srv := &server{cmd: cmd, stderr: &bytes.Buffer{}}
	cmd.Stderr = srv.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, "", err
	}
	if err := cmd.Start(); err != nil {
		return nil, "", fmt.Errorf("starting tower serve: %w", err)
	}
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
		if ok {
			return srv, addr, nil
		}
		_ = cmd.Wait()
		return nil, "", fmt.Errorf("tower serve stopped before listening: %s", srv.stderr.String())
	case <-time.After(time.Minute):
		_ = srv.stop()
		return nil, "", errors.New("tower serve did not start listening within a minute")
	}
}

// stop ends the server as Ctrl-C would, once.
func (s *server) stop() error {
	if s.stopped {
		return nil
	}
	s.stopped = true
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	if err := s.cmd.Wait(); err != nil {
		return fmt.Errorf("tower serve did not stop cleanly: %w: %s", err, s.stderr.String())
	}
	return nil
}

// peakMemory reads a process's peak resident set size (VmHWM) from Linux's
// /proc; other systems report 0.
func peakMemory(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("reading the server's memory: %w", err)
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("reading the server's memory from %q: %w", line, err)
			}
			return kb << 10, nil
		}
	}
	return 0, nil
}

// towerRun runs one tower command to its end and returns what it printed.
func towerRun(ctx context.Context, tower string, env []string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, tower, args...)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("tower %s: %w: %s", strings.Join(args, " "), err, stderr.String())
	}
	return out, nil
}

// benchEnv is this process's environment without Tower's own settings
// (a workspace or database of the person running the bench must not leak
// into the scratch one), plus extra.
func benchEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TOWER_") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}
