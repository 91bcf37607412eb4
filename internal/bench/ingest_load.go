package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The ingest load generator shares the machine with the server it
// measures, so it must cost as little as possible: each client encodes
// one request body at the start and, for every request after that, only
// overwrites the counter digits inside each message id in place. No JSON
// is marshalled on the hot path.

// counterDigits is the width of the request counter patched into ids.
const counterDigits = 12

// batchBody is one client's pre-encoded /v1/batch body.
type batchBody struct {
	body    []byte
	offsets []int // where each message id's counter digits start
	n       uint64
}

// newBatchBody encodes size track messages whose ids are
// prefix-<counter>-<i>, the shape a server-side SDK sends.
func newBatchBody(prefix string, size int) *batchBody {
	var b bytes.Buffer
	b.WriteString(`{"batch":[`)
	zeros := strings.Repeat("0", counterDigits)
	offsets := make([]int, size)
	for i := range size {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"type":"track","messageId":"` + prefix + "-")
		offsets[i] = b.Len()
		fmt.Fprintf(&b, `%s-%d","userId":"user-%d","event":"Product Viewed",`+
			`"properties":{"sku":"SKU-%d","price":19.99,"currency":"USD"},`+
			`"context":{"library":{"name":"tower-bench","version":"1"},"page":{"path":"/products/%d"}}}`,
			zeros, i, i%500, i%50, i%50)
	}
	b.WriteString(`]}`)
	return &batchBody{body: b.Bytes(), offsets: offsets}
}

const hexDigits = "0123456789abcdef"

// next gives the body of the next request: every message id gets the
// next counter value, so no two requests share an id.
func (bb *batchBody) next() []byte {
	bb.n++
	for _, off := range bb.offsets {
		v := bb.n
		for i := counterDigits - 1; i >= 0; i-- {
			bb.body[off+i] = hexDigits[v&15]
			v >>= 4
		}
	}
	return bb.body
}

// loadClient posts one pre-encoded batch after another, as fast as the
// server acknowledges them.
type loadClient struct {
	url, key string
	body     *batchBody
	size     int
	http     *http.Client
}

// loadTally is what the clients of one run saw.
type loadTally struct {
	events   atomic.Int64 // acknowledged with 200
	requests atomic.Int64
	busy     atomic.Int64 // answered 503: the server asked the client to come back

	mu        sync.Mutex
	latencies []time.Duration // of acknowledged requests, in the measured window
}

// post sends one request and reports whether it was acknowledged; busy
// answers are counted and retried by the caller after a short pause.
func (c *loadClient) post(ctx context.Context) (ok bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(c.body.next()))
	if err != nil {
		return false, err
	}
	req.SetBasicAuth(c.key, "")
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		return false, err
	}
	switch resp.StatusCode {
	case http.StatusOK:
		var res struct {
			Stored   int
			Rejected []json.RawMessage
		}
		if err := json.Unmarshal(answer, &res); err != nil {
			return false, fmt.Errorf("reading Tower's answer %q: %w", answer, err)
		}
		if res.Stored != c.size || len(res.Rejected) > 0 {
			return false, fmt.Errorf("Tower stored %d of %d benchmark events: %s", res.Stored, c.size, answer)
		}
		return true, nil
	case http.StatusServiceUnavailable:
		return false, nil
	default:
		return false, fmt.Errorf("Tower answered HTTP %d: %s", resp.StatusCode, answer)
	}
}

// drive runs clients against url until ctx ends. Requests started after
// from and acknowledged before ctx ends are measured into t.
func drive(ctx context.Context, url, key, prefix string, clients, size int, from time.Time, t *loadTally) error {
	errs := make(chan error, clients)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cl := &loadClient{url: url, key: key, size: size, body: newBatchBody(fmt.Sprintf("%s-c%d", prefix, c), size),
				http: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1, DisableCompression: true}}}
			defer cl.http.CloseIdleConnections()
			lat := make([]time.Duration, 0, 1<<14)
			defer func() {
				t.mu.Lock()
				t.latencies = append(t.latencies, lat...)
				t.mu.Unlock()
			}()
			for ctx.Err() == nil {
				start := time.Now()
				ok, err := cl.post(ctx)
				if ctx.Err() != nil {
					return
				}
				if err != nil {
					errs <- err
					return
				}
				if !ok {
					if start.After(from) {
						t.busy.Add(1)
					}
					time.Sleep(20 * time.Millisecond)
					continue
				}
				if start.After(from) {
					lat = append(lat, time.Since(start))
					t.events.Add(int64(size))
					t.requests.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// percentile of sorted durations, in milliseconds.
func percentile(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := min(len(sorted)-1, int(float64(len(sorted))*p))
	return float64(sorted[i].Microseconds()) / 1000
}

func (t *loadTally) percentiles() (p50, p99, maxMs float64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	slices.Sort(t.latencies)
	return percentile(t.latencies, 0.50), percentile(t.latencies, 0.99), percentile(t.latencies, 1)
}
