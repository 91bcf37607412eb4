package webhook

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/towerops/tower/internal/connect"
)

// Pull reads nothing: a webhook only receives.
func (c *Connector) Pull(context.Context, func(context.Context, connect.Batch) error) error {
	return nil
}

// IdempotencyKey is the Idempotency-Key of a batch: a hash of its change
// keys, so the same batch sent again carries the same key.
func IdempotencyKey(changes []connect.Change) string {
	h := sha256.New()
	for _, ch := range changes {
		h.Write([]byte(ch.Key))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Push posts changes as one signed batch and reads the receiver's
// per-change answer.
func (c *Connector) Push(ctx context.Context, changes []connect.Change) []connect.Result {
	res := make([]connect.Result, len(changes))
	for i, ch := range changes {
		res[i].Key = ch.Key
	}
	if len(changes) == 0 {
		return res
	}
	p := Payload{Changes: make([]Change, len(changes))}
	for i, ch := range changes {
		p.Changes[i] = Change{Key: ch.Key, Op: string(ch.Op), System: c.cfg.System, SystemID: ch.SystemID, Email: ch.Email,
			Channel: string(ch.Channel), Status: string(ch.Status), Reason: ch.Reason, Field: ch.Field, Value: ch.Value, IntoID: ch.IntoID}
	}
	body, err := json.Marshal(p)
	if err == nil {
		var ans Answer
		ans, err = c.post(ctx, body, IdempotencyKey(changes))
		if err == nil {
			byKey := make(map[string]Result, len(ans.Results))
			for _, r := range ans.Results {
				byKey[r.Key] = r
			}
			for i, ch := range changes {
				res[i].Err = resultErr(ch, byKey[ch.Key])
			}
			return res
		}
	}
	for i := range res {
		res[i].Err = err
	}
	return res
}

// resultErr is the error a receiver's result stands for (nil when it did
// not list the change, or said ok).
func resultErr(ch connect.Change, r Result) error {
	switch strings.ToLower(r.Status) {
	case "", "ok":
		return nil
	case "error":
		msg := r.Error
		if msg == "" {
			msg = "refused without a reason"
		}
		err := fmt.Errorf("webhook: %s of %s: the receiver says: %s", ch.Op, ch.SystemID, msg)
		if r.Retry {
			return connect.Temporary(err, 0)
		}
		return err
	}
	return fmt.Errorf("webhook: %s of %s: the receiver answered status %q (want ok or error)", ch.Op, ch.SystemID, r.Status)
}

// post sends one signed batch. The request body is given without
// GetBody on purpose: Go's transport silently resends a request carrying
// an Idempotency-Key when a reused connection dies, and a lost answer
// must come back to the deliverer as a retryable failure — it decides
// when to send again, durably — rather than be resent out of its sight.
func (c *Connector) post(ctx context.Context, body []byte, idem string) (Answer, error) {
	var ans Answer
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, nil)
	if err != nil {
		return ans, fmt.Errorf("webhook %s: %w", c.where, err)
	}
	req.Body, req.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	ts := c.env.Clock.Now().Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "Tower")
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(HeaderSignature, Sign(c.secret, ts, body))
	req.Header.Set(HeaderIdempotency, idem)
	resp, err := c.env.HTTP.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ans, ctx.Err()
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return ans, connect.Temporary(fmt.Errorf("webhook %s: no answer: %w", c.where, err), 0)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return ans, connect.Temporary(fmt.Errorf("webhook %s: reading the answer: %w", c.where, err), 0)
	}
	switch s := resp.StatusCode; {
	case s >= 200 && s <= 299:
		if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
			if err := json.Unmarshal(t, &ans); err != nil {
				// The batch was accepted; an answer we cannot read lists no errors.
				c.env.Log.WarnContext(ctx, "webhook: unreadable answer, batch taken as accepted", "connector", c.cfg.Name, "err", err)
				return Answer{}, nil
			}
		}
		return ans, nil
	case s == http.StatusTooManyRequests || s >= 500:
		return ans, connect.Temporary(c.statusErr(s, data), connect.RetryAfter(resp.Header, c.env.Clock.Now()))
	case s == http.StatusUnauthorized || s == http.StatusForbidden:
		return ans, fmt.Errorf("%w (the receiver refused Tower's signature: check it verifies with the same secret as %s, and that its clock is right)",
			c.statusErr(s, data), c.cfg.TokenEnv)
	default:
		return ans, c.statusErr(s, data)
	}
}

func (c *Connector) statusErr(status int, data []byte) error {
	s := strings.TrimSpace(string(data))
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return &connect.StatusError{Method: http.MethodPost, Path: c.where, Status: status, Body: s}
}
