package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/towerops/tower/internal/ingest/collect"
)

// BenchmarkIngestHTTP posts /v1/batch requests over loopback to the
// collector served in this process (`tower bench ingest` measures the
// separate server process): one request per iteration, from
// GOMAXPROCS×4 concurrent clients, into a fresh SQLite database, or
// PostgreSQL with TOWER_BENCH_DATABASE_URL. Each 200 is a commit.
func BenchmarkIngestHTTP(b *testing.B) {
	for _, size := range []int{1, 20, 100} {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) {
			url, key := ingestServer(b, os.Getenv("TOWER_BENCH_DATABASE_URL"))
			var clients atomic.Int64
			prefix := fmt.Sprintf("go%d-%x", size, time.Now().UnixNano())
			b.SetParallelism(4)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				c := clients.Add(1)
				cl := &loadClient{url: url, key: key, size: size, body: newBatchBody(fmt.Sprintf("%s-c%d", prefix, c), size),
					http: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1, DisableCompression: true}}}
				defer cl.http.CloseIdleConnections()
				for pb.Next() {
					for {
						ok, err := cl.post(context.Background())
						if err != nil {
							b.Error(err)
							return
						}
						if ok {
							break
						}
						time.Sleep(20 * time.Millisecond) // 503: the store is behind
					}
				}
			})
			b.ReportMetric(float64(b.N*size)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// ingestServer serves the collector of a fresh, migrated database with
// one source, and returns its /v1/batch address and the write key.
func ingestServer(b *testing.B, dbURL string) (string, string) {
	ctx := context.Background()
	st, cleanup, err := freshStore(ctx, dbURL, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(cleanup)
	key, _, err := collect.CreateSource(ctx, st, "bench", "bench")
	if err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	committer := collect.NewCommitter(st, nil, 0, 0, log)
	runCtx, stop := context.WithCancel(ctx)
	go func() { _ = committer.Run(runCtx) }()
	mux := http.NewServeMux()
	collect.New(st, committer, collect.Options{Logger: log}).Routes(mux, nil)
	srv := httptest.NewServer(mux)
	b.Cleanup(func() {
		srv.Close()
		stop()
		<-committer.Done()
	})
	return srv.URL + "/v1/batch", key
}

// TestBatchBodyIDsAreUnique checks the load generator's byte patching:
// every request carries new, distinct message ids and stays valid JSON.
func TestBatchBodyIDsAreUnique(t *testing.T) {
	bb := newBatchBody("t-c1", 3)
	seen := map[string]bool{}
	for range 40 {
		var body struct{ Batch []struct{ MessageID string } }
		if err := json.Unmarshal(bb.next(), &body); err != nil {
			t.Fatal(err)
		}
		if len(body.Batch) != 3 {
			t.Fatalf("%d messages in a batch of 3", len(body.Batch))
		}
		for _, m := range body.Batch {
			if seen[m.MessageID] {
				t.Fatalf("message id %s sent twice", m.MessageID)
			}
			seen[m.MessageID] = true
		}
	}
	if !seen["t-c1-000000000028-2"] {
		t.Errorf("the 40th request's ids are not counter 0x28: %v", seen)
	}
}

// TestIngestMeasuresASeparateServer runs `tower bench ingest` small with
// a freshly built tower, so the code behind it is known to work; the
// figures are not judged, only that they were measured.
func TestIngestMeasuresASeparateServer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds tower; skipped with -short")
	}
	tower := filepath.Join(t.TempDir(), "tower")
	if out, err := exec.Command("go", "build", "-o", tower, "github.com/towerops/tower/cmd/tower").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	res, err := Ingest(context.Background(), IngestConfig{Tower: tower, Clients: 2, Duration: time.Second, Batches: []int{1, 20}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Backend != "sqlite" || len(res.Runs) != 2 {
		t.Fatalf("result: %+v", res)
	}
	for _, r := range res.Runs {
		if r.Events == 0 || r.Events != r.Requests*int64(r.Batch) || r.EventsPerSec <= 0 || r.P50Ms <= 0 || r.P99Ms < r.P50Ms {
			t.Errorf("batch %d: %+v", r.Batch, r)
		}
		if runtime.GOOS == "linux" && r.PeakMemoryBytes < 1<<20 {
			t.Errorf("batch %d: server peak memory %d bytes", r.Batch, r.PeakMemoryBytes)
		}
	}
}
