package collect

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/towerops/tower/internal/store/eachbackend"
)

// sdkBatch is a batch of n track messages shaped like what
// @segment/analytics-node sends (messageId, timestamps, library context,
// a few properties), about 600 bytes each.
func sdkBatch(prefix string, n int) []byte {
	var b strings.Builder
	b.WriteString(`{"batch":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"type":"track","event":"Pricing Viewed","userId":"user-%d","anonymousId":"anon-%d",`+
			`"properties":{"plan":"pro","seats":%d,"path":"/pricing","referrer":"https://www.example.com/blog/launch"},`+
			`"context":{"library":{"name":"@segment/analytics-node","version":"2.1.2"},"ip":"203.0.113.7",`+
			`"userAgent":"Mozilla/5.0 (X11; Linux x86_64)","traits":{"email":"user-%d@example.com"}},`+
			`"timestamp":"2026-05-01T11:59:58.123Z","messageId":"%s-%d","integrations":{},"_metadata":{"nodeVersion":"22.11.0"}}`,
			i%5000, i, i%50, i%5000, prefix, i)
	}
	b.WriteString(`],"sentAt":"2026-05-01T11:59:59.001Z"}`)
	return []byte(b.String())
}

// BenchmarkParseBatch times what the collector does to a body before the
// store: split the batch, parse and validate each message.
func BenchmarkParseBatch(b *testing.B) {
	const n = 100
	body := sdkBatch("m", n)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		p, f := parseBody(body, "", testReceived, DefaultMaxMessageBytes)
		if f != nil || len(p.events) != n {
			b.Fatalf("%v %+v", f, p)
		}
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkCollectSQLite drives the whole path over loopback HTTP:
// concurrent clients post batches of 100 distinct events to a collector
// whose committer writes to a real SQLite file, each answered after its
// commit.
func BenchmarkCollectSQLite(b *testing.B) {
	const n = 100
	st := eachbackend.SQLite(b)
	h := newHarness(b, st, Options{Now: time.Now}, 0)
	var seq atomic.Int64
	b.SetParallelism(4) // 4 × GOMAXPROCS clients
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
		for pb.Next() {
			body := sdkBatch(fmt.Sprint("b", seq.Add(1)), n)
			req, _ := http.NewRequest(http.MethodPost, h.url+"/v1/batch", bytes.NewReader(body))
			req.SetBasicAuth(h.key, "")
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode == 503 {
				time.Sleep(10 * time.Millisecond)
				continue
			}
			if resp.StatusCode != 200 {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(h.c.Stats().Stored.Load())/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(h.c.Stats().Busy.Load()), "busy")
}
