package collect

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// Collector serves the Segment-compatible endpoints.
type Collector struct {
	st   store.Store
	c    *Committer
	opt  Options
	keys *keyCache
}

// New makes a Collector that authenticates write keys against st and
// hands validated messages to c.
func New(st store.Store, c *Committer, opt Options) *Collector {
	opt = opt.withDefaults()
	return &Collector{st: st, c: c, opt: opt, keys: newKeyCache(st, opt.KeyCacheTTL, opt.Logger, time.Now)}
}

// Close waits for the background writes of when each source last sent.
// Call it after the HTTP server has stopped and before closing the store.
func (col *Collector) Close() { col.keys.wait() }

// endpoints maps each path to the message type it implies; "" for batch.
var endpoints = []struct {
	path string
	typ  foundation.EventType
}{
	{"/v1/batch", ""}, {"/v1/track", "track"}, {"/v1/identify", "identify"}, {"/v1/page", "page"},
	{"/v1/screen", "screen"}, {"/v1/group", "group"}, {"/v1/alias", "alias"},
}

// Routes registers POST /v1/batch, /v1/track, /v1/identify, /v1/page,
// /v1/screen, /v1/group and /v1/alias on mux, with the OPTIONS answers
// browsers ask for first. wrap, if not nil, wraps each handler (the API
// server uses it for request metrics).
func (col *Collector) Routes(mux *http.ServeMux, wrap func(pattern string, h http.HandlerFunc) http.HandlerFunc) {
	if wrap == nil {
		wrap = func(_ string, h http.HandlerFunc) http.HandlerFunc { return h }
	}
	for _, ep := range endpoints {
		post, opts := "POST "+ep.path, "OPTIONS "+ep.path
		mux.HandleFunc(post, wrap(post, col.handler(ep.typ)))
		mux.HandleFunc(opts, wrap(opts, preflight))
	}
}

func (col *Collector) handler(typ foundation.EventType) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		allowCORS(w.Header())
		ans, f := col.serve(r.Context(), w, r, typ)
		if f != nil {
			writeFailure(w, f)
			return
		}
		status := http.StatusOK
		if !ans.Success {
			status = http.StatusBadRequest
		}
		writeAnswer(w, status, ans)
	}
}

// serve handles one request: authenticate, read, parse, commit. The
// answer is written only after the commit returns, so a 200 means stored.
func (col *Collector) serve(ctx context.Context, w http.ResponseWriter, r *http.Request, typ foundation.EventType) (*Answer, *failure) {
	key, f := headerKey(r)
	if f != nil {
		return nil, f
	}
	var source string
	if key != "" {
		// Check a header key before reading the body: a sender with a
		// bad key costs a map lookup, not a decompression and a parse.
		if source, f = col.authenticate(ctx, key); f != nil {
			return nil, f
		}
	}
	buf := bodyPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bodyPool.Put(buf)
	if f := readBody(w, r, col.opt.MaxBatchBytes, buf); f != nil {
		return nil, f
	}
	p, f := parseBody(buf.Bytes(), typ, col.opt.Now(), col.opt.MaxMessageBytes)
	if f != nil {
		return nil, f
	}
	if source == "" {
		if p.writeKey == "" {
			return nil, unauthorized("no write key; send the source's write key as the user name of HTTP Basic auth " +
				"(empty password), as Authorization: Bearer, or as writeKey in the body. `tower sources create NAME` makes one")
		}
		if source, f = col.authenticate(ctx, p.writeKey); f != nil {
			return nil, f
		}
	}
	ans := &Answer{Received: p.received, Rejected: p.rejected}
	if ans.Rejected == nil {
		ans.Rejected = []Rejection{}
	}
	if len(p.events) == 0 {
		ans.Error = noneAccepted(p)
		return ans, nil
	}
	for i := range p.events {
		p.events[i].Source = source
	}
	res, err := col.c.Submit(ctx, p.events)
	switch {
	case errors.Is(err, ErrBusy), errors.Is(err, ErrStopped):
		return nil, &failure{status: http.StatusServiceUnavailable, code: "busy", received: p.received,
			message: err.Error() + "; nothing was stored — send the same batch again after Retry-After", retryAfter: col.c.RetryAfter()}
	case ctx.Err() != nil:
		// The client went away: its events may be committed, and a retry
		// finds them as duplicates. Nobody reads this answer.
		return nil, &failure{status: http.StatusServiceUnavailable, code: "gone", message: "the request was cancelled"}
	case err != nil:
		return nil, &failure{status: http.StatusInternalServerError, code: "store_failed", received: p.received,
			message: "Tower could not store the events and stored none of them; send the batch again later. The server log has the cause"}
	}
	ans.Success, ans.Stored, ans.Duplicates = true, res.Stored, res.Duplicates
	return ans, nil
}

// authenticate finds the source of a write key, answering 401 for a key
// that is unknown or revoked without ever repeating the key.
func (col *Collector) authenticate(ctx context.Context, key string) (string, *failure) {
	src, err := col.keys.source(ctx, key)
	switch {
	case errors.Is(err, errUnknownKey):
		return "", unauthorized("the write key is not one of Tower's; check the key the SDK is configured with (`tower sources list` shows each source's key hint)")
	case errors.Is(err, errRevokedKey):
		return "", unauthorized("the write key belongs to a revoked source; create a new source with `tower sources create` and use its key")
	case err != nil:
		col.opt.Logger.ErrorContext(ctx, "checking a write key failed", "err", err)
		return "", &failure{status: http.StatusServiceUnavailable, code: "unavailable", retryAfter: time.Second,
			message: "Tower cannot check write keys right now; nothing was stored — send the batch again shortly"}
	}
	return src, nil
}

// noneAccepted is the error of a request none of whose messages passed.
func noneAccepted(p *parsed) *ErrorBody {
	if p.received == 1 && len(p.rejected) == 1 {
		r := p.rejected[0]
		msg := "the message " + r.Reason
		if r.Field != "" {
			msg = r.Field + " " + r.Reason
		}
		return &ErrorBody{Code: "invalid_message", Message: msg + "; nothing was stored"}
	}
	return &ErrorBody{Code: "invalid_messages", Message: "none of the messages could be stored; rejected says why for each"}
}
