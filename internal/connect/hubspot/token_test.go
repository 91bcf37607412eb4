package hubspot_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/connect"
	"github.com/towerops/tower/internal/connect/connecttest"
	"github.com/towerops/tower/internal/connect/hubspot/hubspotfake"
	"github.com/towerops/tower/internal/foundation"
)

// The token goes in the Authorization header and nowhere else: not in a
// URL, not in an error, whatever the answer.
func TestTokenStaysInTheHeader(t *testing.T) {
	rec := &recorder{next: http.DefaultTransport}
	f, _, c := setup(t, hubspotfake.Token, &http.Client{Transport: rec, Timeout: 10 * time.Second})
	ids := f.Seed([]connecttest.Seed{{Email: "a@example.com"}, {Email: "b@example.com"}})
	f.Reject(ids[1])
	var errs []error
	push := func(chs ...connect.Change) {
		for _, r := range c.Push(t.Context(), chs) {
			errs = append(errs, r.Err)
		}
	}
	sup := connect.Change{Key: "s", Op: connect.OpSuppress, SystemID: ids[0], Email: "a@example.com", Channel: foundation.ChannelEmail, Status: foundation.StatusUnsubscribed}
	push(sup, connect.Change{Key: "r", Op: connect.OpSuppress, SystemID: ids[1], Email: "b@example.com", Channel: foundation.ChannelEmail})
	f.RateLimit(1, 3*time.Second)
	push(sup)
	f.FailNext(1, 500)
	push(sup)
	f.DropNext(1)
	push(sup)
	push(connect.Change{Key: "u", Op: connect.OpUpdateField, SystemID: "999999", Field: "first_name", Value: "X"},
		connect.Change{Key: "m", Op: connect.OpMerge, SystemID: "999998", IntoID: ids[0]})
	errs = append(errs, c.Pull(t.Context(), func(_ context.Context, _ connect.Batch) error { return nil }))
	for _, err := range errs {
		if err != nil && strings.Contains(err.Error(), hubspotfake.Token) {
			t.Errorf("an error holds the token: %v", err)
		}
	}
	if len(rec.reqs) < 8 {
		t.Fatalf("recorded %d requests", len(rec.reqs))
	}
	for _, r := range rec.reqs {
		if strings.Contains(r.URL.String(), hubspotfake.Token) {
			t.Errorf("a URL holds the token: %s", r.URL.Path)
		}
		if got := r.Header.Get("Authorization"); got != "Bearer "+hubspotfake.Token {
			t.Errorf("%s %s: Authorization %q", r.Method, r.URL.Path, got)
		}
		for k, vs := range r.Header {
			for _, v := range vs {
				if k != "Authorization" && strings.Contains(v, hubspotfake.Token) {
					t.Errorf("header %s holds the token", k)
				}
			}
		}
	}
}

func TestRefusedTokenSpeaksPlainly(t *testing.T) {
	const wrong = "pat-na1-wrong-token-value"
	f, _, c := setup(t, wrong, nil)
	ids := f.Seed([]connecttest.Seed{{Email: "a@example.com"}})
	err := c.Pull(t.Context(), func(_ context.Context, _ connect.Batch) error { return nil })
	res := c.Push(t.Context(), []connect.Change{{Key: "s", Op: connect.OpSuppress, SystemID: ids[0], Email: "a@example.com", Channel: foundation.ChannelEmail}})
	for _, e := range []error{err, res[0].Err} {
		if e == nil || !strings.Contains(e.Error(), "the HubSpot token in HUBSPOT_TOKEN was refused: renew it") {
			t.Errorf("refused token: %v", e)
			continue
		}
		if strings.Contains(e.Error(), wrong) {
			t.Errorf("the error holds the token: %v", e)
		}
		if _, retry := connect.Retryable(e); retry {
			t.Errorf("a refused token is retryable: %v", e)
		}
	}
	if !f.Sendable(ids[0], foundation.ChannelEmail) {
		t.Errorf("a request with a wrong token changed the fake")
	}
}

// The fake holds HubSpot's batch limit: 101 inputs are refused with a 400.
func TestFakeRefusesOversizedBatch(t *testing.T) {
	f := hubspotfake.New(connecttest.NewClock(connecttest.Start))
	defer f.Close()
	inputs := make([]string, hubspotfake.BatchLimit+1)
	for i := range inputs {
		inputs[i] = "x@example.com"
	}
	api := &connect.Client{HTTP: http.DefaultClient, Base: f.URL(), Auth: func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+hubspotfake.Token) }}
	_, err := api.DoHeader(t.Context(), http.MethodPost, "/communication-preferences/v4/statuses/batch/unsubscribe-all?channel=EMAIL", nil, map[string]any{"inputs": inputs}, nil)
	var se *connect.StatusError
	if !errors.As(err, &se) || se.Status != http.StatusBadRequest || !strings.Contains(se.Body, "VALIDATION_ERROR") {
		t.Fatalf("101 inputs: %v", err)
	}
	if f.Mutations() != 0 {
		t.Errorf("a refused batch changed the fake")
	}
}
