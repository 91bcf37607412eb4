// Package briefingtest holds real loopback servers that stand in for the
// third parties a briefing is sent to: Slack's incoming webhooks (a fake
// built from Slack's published answers) and an SMTP server. Tests of the
// senders and of `tower briefing send` talk to them over TCP.
package briefingtest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

// Slack emulates Slack's incoming-webhook endpoint as documented at
// api.slack.com/messaging/webhooks#handling_errors: 200 "ok"; 400
// invalid_payload (not JSON), no_text (neither text nor blocks) and
// invalid_blocks (a block Slack would refuse: over 50 blocks, a section
// over 3000 characters, a header over 150 or not plain_text); 403
// action_prohibited; 404 no_service; 410 channel_is_archived; 429 with
// Retry-After; 500.
//
// The webhook's path says how it behaves: /services/T0/B0/ok answers
// normally; …/prohibited, …/revoked and …/archived answer 403, 404 and
// 410. RateLimit and Fail make the next answers 429 or 500.
type Slack struct {
	*httptest.Server

	mu       sync.Mutex
	messages []Message
	// RateLimit answers the next n requests 429 with Retry-After (seconds).
	rateLimit, retryAfter int
	fail                  int
	requests              int
}

// Message is a message Slack accepted.
type Message struct {
	Path   string
	Text   string  `json:"text"`
	Blocks []Block `json:"blocks"`
}

// Block is a received Block Kit block.
type Block struct {
	Type     string `json:"type"`
	Text     *Text  `json:"text"`
	Elements []Text `json:"elements"`
}

// Text is a received text object.
type Text struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// NewSlack starts the fake; it stops when the test ends.
func NewSlack(t testing.TB) *Slack {
	s := &Slack{}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// Webhook is the URL of a webhook that behaves as kind says (ok,
// prohibited, revoked, archived).
func (s *Slack) Webhook(kind string) string { return s.URL + "/services/T0000/B0000/" + kind }

// RateLimit makes the next n requests answer 429 with Retry-After secs.
func (s *Slack) RateLimit(n, secs int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rateLimit, s.retryAfter = n, secs
}

// Fail makes the next n requests answer 500.
func (s *Slack) Fail(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = n
}

// Messages are the messages accepted so far.
func (s *Slack) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// Requests counts every request, answered ok or not.
func (s *Slack) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

func (s *Slack) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests++
	answer := func(code int, body string) {
		w.Header().Set("Content-Type", "text/html") // what Slack sends
		w.WriteHeader(code)
		_, _ = io.WriteString(w, body)
	}
	if r.Method != http.MethodPost || !strings.HasPrefix(r.URL.Path, "/services/") {
		answer(http.StatusNotFound, "no_service")
		return
	}
	if s.rateLimit > 0 {
		s.rateLimit--
		w.Header().Set("Retry-After", itoa(s.retryAfter))
		answer(http.StatusTooManyRequests, "rate_limited")
		return
	}
	if s.fail > 0 {
		s.fail--
		answer(http.StatusInternalServerError, "internal_error")
		return
	}
	switch r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:] {
	case "prohibited":
		answer(http.StatusForbidden, "action_prohibited")
		return
	case "revoked":
		answer(http.StatusNotFound, "no_service")
		return
	case "archived":
		answer(http.StatusGone, "channel_is_archived")
		return
	}
	var m Message
	b, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") || json.Unmarshal(b, &m) != nil {
		answer(http.StatusBadRequest, "invalid_payload")
		return
	}
	if m.Text == "" && len(m.Blocks) == 0 {
		answer(http.StatusBadRequest, "no_text")
		return
	}
	if !validBlocks(m.Blocks) {
		answer(http.StatusBadRequest, "invalid_blocks")
		return
	}
	m.Path = r.URL.Path
	s.messages = append(s.messages, m)
	answer(http.StatusOK, "ok")
}

// validBlocks checks the published limits Tower's messages could reach.
func validBlocks(bs []Block) bool {
	if len(bs) > 50 {
		return false
	}
	for _, b := range bs {
		switch b.Type {
		case "header":
			if b.Text == nil || b.Text.Type != "plain_text" || b.Text.Text == "" || utf8.RuneCountInString(b.Text.Text) > 150 {
				return false
			}
		case "section":
			if b.Text == nil || b.Text.Text == "" || utf8.RuneCountInString(b.Text.Text) > 3000 {
				return false
			}
		case "context":
			if len(b.Elements) == 0 || len(b.Elements) > 10 {
				return false
			}
		case "divider":
		default:
			return false
		}
	}
	return true
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
