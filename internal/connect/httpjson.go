package connect

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// StatusError is a non-2xx answer from a remote API. Body is the start
// of what it said (vendors put the reason there); it never holds our own
// request, so it cannot leak a secret.
type StatusError struct {
	Method, Path string
	Status       int
	Body         string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s %s: HTTP %d: %s", e.Method, e.Path, e.Status, e.Body)
}

// Client makes JSON calls to one remote API. Auth adds credentials to
// each request; the connector owns them, and they are never logged.
type Client struct {
	HTTP *http.Client
	Base string // "https://api.hubapi.com", no trailing slash
	Auth func(*http.Request)
	// Header is added to every request (User-Agent and the like).
	Header http.Header
}

// Do sends body (JSON, unless nil) to Base+path and decodes a 2xx answer
// into out (unless nil). A 429 or 5xx answer, a timeout or a network
// failure comes back as a RetryError (with the Retry-After the answer
// gave); any other non-2xx as a *StatusError, permanent.
func (c *Client) Do(ctx context.Context, method, path string, body, out any) error {
	_, err := c.DoHeader(ctx, method, path, nil, body, out)
	return err
}

// DoHeader is Do with extra request headers (an idempotency key), and it
// returns the answer's status.
func (c *Client) DoHeader(ctx context.Context, method, path string, h http.Header, body, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, fmt.Errorf("%s %s: encode: %w", method, path, err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.Base+path, rd)
	if err != nil {
		return 0, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	for k, vs := range c.Header {
		req.Header[k] = vs
	}
	for k, vs := range h {
		req.Header[k] = vs
	}
	if c.Auth != nil {
		c.Auth(req)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		return 0, Temporary(fmt.Errorf("%s %s: %w", method, path, stripURL(err)), 0)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return resp.StatusCode, Temporary(fmt.Errorf("%s %s: read answer: %w", method, path, err), 0)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		se := &StatusError{Method: method, Path: pathOnly(path), Status: resp.StatusCode, Body: snippet(data)}
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
			return resp.StatusCode, Temporary(se, RetryAfter(resp.Header, time.Now()))
		}
		return resp.StatusCode, se
	}
	if out != nil && len(bytes.TrimSpace(data)) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return resp.StatusCode, fmt.Errorf("%s %s: read answer: %w", method, path, err)
		}
	}
	return resp.StatusCode, nil
}

// RetryAfter reads a Retry-After header: seconds, or an HTTP date
// (relative to now). Zero when absent or unreadable.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// stripURL drops the request URL from a transport error: query strings
// can carry credentials (Salesforce session ids, API keys).
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}

func pathOnly(p string) string {
	if i := strings.IndexByte(p, '?'); i >= 0 {
		return p[:i]
	}
	return p
}

func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// Retry runs fn until it succeeds, fails permanently, or has failed
// attempts times, sleeping on clock between tries as b says (at least the
// Retry-After the failure carried). Pulls use it; pushes do not retry in
// process (the deliverer schedules them durably).
func Retry(ctx context.Context, clock Clock, b Backoff, attempts int, fn func(ctx context.Context) error) error {
	var err error
	for n := 1; ; n++ {
		if err = fn(ctx); err == nil {
			return nil
		}
		after, ok := Retryable(err)
		if !ok || n >= attempts || ctx.Err() != nil {
			return err
		}
		if serr := clock.Sleep(ctx, b.Delay(n, after, nil)); serr != nil {
			return errors.Join(err, serr)
		}
	}
}
