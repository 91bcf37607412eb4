package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The ingest crash test: several clients post /v1/batch without pause
// while `tower serve` is killed with SIGKILL at random moments and started
// again. Like an SDK, a client retries a batch until it is answered 200,
// and records every messageId of a 200 as acknowledged. In the end every
// acknowledged message must be stored exactly once, and nothing else.
//
// TOWER_SOAK_KILLS raises the number of kills (`make soak`).
const (
	ingestCrashKills   = 20
	ingestCrashClients = 4
	ingestCrashBatch   = 50
)

func TestSIGKILLDuringIngest(t *testing.T) {
	if testing.Short() {
		t.Skip("the crash loop is skipped with -short")
	}
	kills := ingestCrashKills
	if s := os.Getenv("TOWER_SOAK_KILLS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("TOWER_SOAK_KILLS=%q: want a number of kills", s)
		}
		kills = n
	}
	for name, envFor := range backends(t) {
		t.Run(name, func(t *testing.T) {
			w := newIngestWorkspace(t, envFor(t))
			srv := w.server(t, freeAddr(t), "--workers", "1")
			srv.Start(t)
			ingestCrashLoop(t, w, srv, kills)
		})
	}
}

func ingestCrashLoop(t *testing.T, w *ingestWorkspace, srv *towerServer, kills int) {
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	url := "http://" + srv.addr + "/v1/batch"
	acked := make([][]string, ingestCrashClients)
	var total, retried atomic.Int64
	errs := make(chan error, ingestCrashClients)
	var wg sync.WaitGroup
	for c := range ingestCrashClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cl := &crashClient{url: url, key: w.writeKey, id: c, total: &total, retried: &retried,
				http: &http.Client{Timeout: 10 * time.Second}}
			var err error
			acked[c], err = cl.run(ctx)
			errs <- err
		}()
	}

	rng := rand.New(rand.NewPCG(11, uint64(time.Now().UnixNano())))
	midway := 0 // kills after which acknowledgements had moved on: the load was really on
	var starts []time.Duration
	last := int64(-1)
	for range kills {
		// Up 100 to 600 ms: long enough for acknowledgements between kills,
		// short enough that many kills land in the middle of commits.
		time.Sleep(time.Duration(100+rng.IntN(500)) * time.Millisecond)
		if n := total.Load(); n > last {
			midway++
			last = n
		}
		srv.kill()
		time.Sleep(time.Duration(rng.IntN(50)) * time.Millisecond)
		srv.Start(t)
		starts = append(starts, srv.start)
	}
	// Let every client get its last batch acknowledged, then stop them.
	time.Sleep(300 * time.Millisecond)
	stop()
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	srv.Stop(t)

	var ids []string
	for _, a := range acked {
		ids = append(ids, a...)
	}
	slowest := time.Duration(0)
	for _, d := range starts {
		slowest = max(slowest, d)
	}
	t.Logf("%d kills, %d messages acknowledged, %d requests retried, slowest restart %v",
		kills, len(ids), retried.Load(), slowest.Round(time.Millisecond))
	if midway < kills/2 {
		t.Errorf("acknowledgements moved on before only %d of %d kills: the load was not sustained", midway, kills)
	}
	if retried.Load() == 0 {
		t.Error("no request was ever retried: the kills did not land during the load")
	}

	stored, repeated := w.storedEvents(t)
	if len(repeated) > 0 {
		t.Errorf("%d message ids stored more than once, first %s", len(repeated), repeated[0])
	}
	missing := 0
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if seen[id] {
			t.Errorf("message %s was acknowledged twice by the test's own bookkeeping", id)
		}
		seen[id] = true
		if _, ok := stored[id]; !ok {
			if missing++; missing <= 5 {
				t.Errorf("acknowledged message %s is not in the store", id)
			}
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d acknowledged messages lost", missing, len(ids))
	}
	// Every batch was retried until acknowledged, so what is stored is
	// exactly what was acknowledged: a surplus is a message stored twice
	// under different ids or one the clients never sent.
	if len(stored) != len(ids) {
		t.Errorf("the store holds %d events; %d were acknowledged", len(stored), len(ids))
	}
}

// crashClient posts batches of ingestCrashBatch track messages with ids
// c<id>-<batch>-<n>, retrying each until it is answered 200.
type crashClient struct {
	url, key       string
	id             int
	http           *http.Client
	total, retried *atomic.Int64
}

func (c *crashClient) run(ctx context.Context) ([]string, error) {
	var acked []string
	for seq := 0; ctx.Err() == nil; seq++ {
		ids := make([]string, ingestCrashBatch)
		msgs := make([]map[string]any, ingestCrashBatch)
		for i := range ids {
			ids[i] = fmt.Sprintf("c%d-%d-%d", c.id, seq, i)
			msgs[i] = map[string]any{"type": "track", "messageId": ids[i], "userId": fmt.Sprintf("user-%d", i),
				"event": "Signed Up", "properties": map[string]any{"client": c.id, "batch": seq}}
		}
		body, err := json.Marshal(map[string]any{"batch": msgs})
		if err != nil {
			return acked, err
		}
		// Once a batch is sent it is retried to the end, even after the
		// test asks the clients to stop: a client that gave up half way
		// could leave a stored but unacknowledged batch behind.
		for attempt := 0; ; attempt++ {
			if attempt > 0 {
				c.retried.Add(1)
				time.Sleep(20 * time.Millisecond)
			}
			if attempt > 3000 {
				return acked, fmt.Errorf("client %d: batch %d never acknowledged in a minute of retries", c.id, seq)
			}
			ok, err := c.post(body)
			if err != nil {
				return acked, err
			}
			if ok {
				break
			}
		}
		acked = append(acked, ids...)
		c.total.Add(int64(len(ids)))
	}
	return acked, nil
}

// post sends one batch: true when it was acknowledged, false when it
// should be retried (no answer, or 5xx), an error when Tower refused it.
func (c *crashClient) post(body []byte) (bool, error) {
	req, err := http.NewRequest(http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return false, err
	}
	req.SetBasicAuth(c.key, "")
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return false, nil // the server is down or died mid-request
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		return false, nil
	}
	switch {
	case resp.StatusCode == http.StatusOK:
		var res struct {
			Success  bool
			Received int
			Rejected []json.RawMessage
		}
		if err := json.Unmarshal(answer, &res); err != nil || !res.Success || res.Received != ingestCrashBatch || len(res.Rejected) > 0 {
			return false, fmt.Errorf("client %d: a 200 that does not acknowledge the whole batch: %s", c.id, answer)
		}
		return true, nil
	case resp.StatusCode >= 500:
		return false, nil
	default:
		return false, fmt.Errorf("client %d: HTTP %d: %s", c.id, resp.StatusCode, answer)
	}
}
