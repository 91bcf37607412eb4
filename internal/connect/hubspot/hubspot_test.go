package hubspot_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/towerops/tower/internal/connect"
	"github.com/towerops/tower/internal/connect/connecttest"
	"github.com/towerops/tower/internal/connect/hubspot/hubspotfake"

	_ "github.com/towerops/tower/internal/connect/hubspot"
)

const tokenEnv = "HUBSPOT_TOKEN"

func config(url string, batch int) connect.Config {
	return connect.Config{Name: "crm", File: "connectors/crm.toml", Kind: "hubspot", System: "crm", URL: url,
		TokenEnv: tokenEnv, BatchSize: batch}
}

func envWith(clock *connecttest.Clock, token string, hc *http.Client) connect.Env {
	return connect.Env{Clock: clock, HTTP: hc, Getenv: func(k string) string {
		if k == tokenEnv {
			return token
		}
		return ""
	}}
}

func TestSuite(t *testing.T) {
	connecttest.Run(t, connecttest.Target{
		Kind: "hubspot",
		New:  func(c *connecttest.Clock) connecttest.Fake { return hubspotfake.New(c) },
		Open: func(f connecttest.Fake, c *connecttest.Clock, batch int) (connect.Connector, error) {
			return connect.Open(config(f.URL(), batch), envWith(c, hubspotfake.Token, nil))
		},
		Faults:       true,
		PullPageSize: 100,
	})
}

// recorder keeps every request the connector sends, to check where the
// token goes.
type recorder struct {
	mu   sync.Mutex
	reqs []*http.Request
	next http.RoundTripper
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.reqs = append(r.reqs, req.Clone(req.Context()))
	r.mu.Unlock()
	return r.next.RoundTrip(req)
}

// setup starts a fake and a connector on it; hc may be nil.
func setup(t *testing.T, token string, hc *http.Client) (*hubspotfake.Fake, *connecttest.Clock, connect.Connector) {
	t.Helper()
	clock := connecttest.NewClock(connecttest.Start)
	f := hubspotfake.New(clock)
	t.Cleanup(f.Close)
	c, err := connect.Open(config(f.URL(), 0), envWith(clock, token, hc))
	if err != nil {
		t.Fatal(err)
	}
	return f, clock, c
}

func pullAll(t *testing.T, c connect.Connector) connect.Batch {
	t.Helper()
	var all connect.Batch
	err := c.Pull(context.Background(), func(_ context.Context, b connect.Batch) error {
		all.Records = append(all.Records, b.Records...)
		all.Consent = append(all.Consent, b.Consent...)
		return nil
	})
	if err != nil {
		t.Fatalf("pull: %v", err)
	}
	return all
}

func TestDescribe(t *testing.T) {
	clock := connecttest.NewClock(connecttest.Start)
	for _, tc := range []struct{ batch, want int }{{0, 100}, {25, 25}, {500, 100}} {
		c, err := connect.Open(config("http://127.0.0.1:1", tc.batch), envWith(clock, "x", nil))
		if err != nil {
			t.Fatal(err)
		}
		d := c.Describe()
		if d.MaxBatch != tc.want || d.Name != "crm" || d.System != "crm" || d.Kind != "hubspot" || !d.Pull {
			t.Errorf("batch_size %d: %+v", tc.batch, d)
		}
		if d.Supports(connect.OpUnmerge) {
			t.Errorf("unmerge listed as supported")
		}
	}
}

func TestOpenNeedsToken(t *testing.T) {
	clock := connecttest.NewClock(connecttest.Start)
	_, err := connect.Open(config("", 0), envWith(clock, "", nil))
	if err == nil || !strings.Contains(err.Error(), tokenEnv) {
		t.Fatalf("open without the token: %v", err)
	}
}
