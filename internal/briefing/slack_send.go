package briefing

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/towerops/tower/internal/connect"
)

// ErrRetryLater marks a send that failed for a reason that may pass (a
// rate limit, a server error, the network): the scheduler tries again on
// a later tick. Anything else needs a person to fix the settings.
var ErrRetryLater = errors.New("try again later")

// SlackError is an answer of Slack's incoming-webhook endpoint other
// than 200 "ok", with the error code from its body.
type SlackError struct {
	Status int
	// Code is Slack's error string: invalid_payload, invalid_blocks,
	// action_prohibited, no_service, channel_is_archived, …
	Code string
	// Env names the variable holding the webhook, for the advice.
	Env string
	// RetryAfter is Slack's Retry-After on a 429.
	RetryAfter time.Duration
}

func (e *SlackError) Error() string {
	msg := fmt.Sprintf("Slack answered %d %s", e.Status, e.Code)
	switch {
	case e.Code == "invalid_payload" || e.Code == "invalid_blocks" || e.Code == "no_text" || e.Code == "too_many_attachments":
		msg += ": Slack refused the message's layout; this is a bug in Tower, please report it"
	case e.Code == "action_prohibited":
		msg += ": a Slack admin restricted posting to that channel; ask them to allow the app, or use another webhook"
	case e.Code == "no_service" || e.Status == http.StatusNotFound:
		msg += fmt.Sprintf(": the webhook in %s was removed or revoked; create a new incoming webhook in Slack and put its URL in %s", e.Env, e.Env)
	case e.Code == "channel_is_archived" || e.Status == http.StatusGone:
		msg += ": the webhook's channel is archived; unarchive it or create a webhook for another channel"
	case e.Status == http.StatusTooManyRequests:
		msg += fmt.Sprintf(": rate limited, Slack asks to wait %s", e.RetryAfter)
	case e.Status >= 500:
		msg += ": Slack is having trouble"
	}
	return msg
}

// Unwrap makes rate limits and server errors ErrRetryLater.
func (e *SlackError) Unwrap() error {
	if e.Status == http.StatusTooManyRequests || e.Status >= 500 {
		return ErrRetryLater
	}
	return nil
}

// SlackSender posts messages to incoming webhooks.
type SlackSender struct {
	// HTTP defaults to a client with a 30-second timeout.
	HTTP *http.Client
	// Attempts bounds tries of one message (default 3); only rate limits,
	// server errors and network errors are retried.
	Attempts int
	// MaxWait is the longest Retry-After honoured in place (default 30s);
	// a longer one is returned as ErrRetryLater for a later tick.
	MaxWait time.Duration
	// Sleep waits between tries (default: a timer that ctx cancels).
	Sleep func(ctx context.Context, d time.Duration) error
}

// Post sends msg to the webhook URL held in the environment variable env
// (named in errors; the URL itself never appears in one, nor in logs).
func (s *SlackSender) Post(ctx context.Context, webhook, env string, msg SlackMessage) error {
	body, err := json.Marshal(msg)
	if err != nil {
		return fmt.Errorf("encoding the Slack message: %w", err)
	}
	attempts := s.Attempts
	if attempts <= 0 {
		attempts = 3
	}
	maxWait := s.MaxWait
	if maxWait <= 0 {
		maxWait = 30 * time.Second
	}
	sleep := s.Sleep
	if sleep == nil {
		sleep = connect.SystemClock{}.Sleep
	}
	var last error
	for try := 1; try <= attempts; try++ {
		wait, err := s.postOnce(ctx, webhook, env, body)
		if err == nil || !errors.Is(err, ErrRetryLater) || try == attempts {
			return err
		}
		last = err
		if wait == 0 {
			wait = time.Duration(try) * time.Second
		}
		if wait > maxWait {
			return err
		}
		if err := sleep(ctx, wait); err != nil {
			return fmt.Errorf("%w (then: %w)", last, err)
		}
	}
	return last
}

// postOnce makes one POST; wait is Slack's Retry-After on a 429.
func (s *SlackSender) postOnce(ctx context.Context, webhook, env string, body []byte) (wait time.Duration, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, webhook, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("the Slack webhook in %s is not a valid URL", env)
	}
	req.Header.Set("Content-Type", "application/json")
	client := s.HTTP
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		// A *url.Error quotes the URL, and a webhook's URL is its secret.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		if ctx.Err() != nil {
			return 0, fmt.Errorf("posting to the Slack webhook in %s: %w", env, ctx.Err())
		}
		return 0, fmt.Errorf("posting to the Slack webhook in %s: %w: %w", env, redactedError{err}, ErrRetryLater)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	code := strings.TrimSpace(string(b))
	if resp.StatusCode == http.StatusOK {
		return 0, nil
	}
	se := &SlackError{Status: resp.StatusCode, Code: code, Env: env}
	if len(se.Code) > 80 || strings.ContainsAny(se.Code, "<>\n") {
		se.Code = "" // an HTML error page from a proxy, not Slack's word
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		se.RetryAfter = connect.RetryAfter(resp.Header, time.Now())
		wait = se.RetryAfter
	}
	return wait, se
}

// redactedError is a network error with any URL left out of its text.
type redactedError struct{ err error }

func (r redactedError) Error() string {
	s := r.err.Error()
	if i := strings.Index(s, "https://"); i >= 0 {
		s = s[:i] + "(webhook URL)"
	} else if i := strings.Index(s, "http://"); i >= 0 {
		s = s[:i] + "(webhook URL)"
	}
	return s
}

func (r redactedError) Unwrap() error { return r.err }
