package briefing_test

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/briefing"
	"github.com/towerops/tower/internal/briefing/briefingtest"
)

func smallDigest(title string) *briefing.Digest {
	at := time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)
	return &briefing.Digest{For: "maya.okafor", Role: "approver", At: at, Since: at.Add(-24 * time.Hour),
		Decisions: []briefing.Item{{ID: "p_1", Title: title, Agent: "tasks", Link: "/proposals/p_1"}},
		Counts:    briefing.Counts{Waiting: 1}}
}

// TestSlackSenderAgainstTheFake posts to a loopback server that answers
// as Slack documents, and checks what is retried and what is not.
func TestSlackSenderAgainstTheFake(t *testing.T) {
	ctx := context.Background()
	slack := briefingtest.NewSlack(t)
	var waits []time.Duration
	s := &briefing.SlackSender{Sleep: func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }}
	msg := smallDigest("<b>Tom</b> & co").Slack(briefing.RenderOptions{ConsoleURL: "https://tower.example.com"})

	if err := s.Post(ctx, slack.Webhook("ok"), "SLACK_MAYA", msg); err != nil {
		t.Fatal(err)
	}
	got := slack.Messages()
	if len(got) != 1 || got[0].Text != "Tower briefing: 1 decision waiting (for maya.okafor)" || got[0].Blocks[0].Type != "header" {
		t.Fatalf("Slack received %+v", got)
	}
	if !strings.Contains(got[0].Blocks[2].Text.Text, "<https://tower.example.com/proposals/p_1|&lt;b&gt;Tom&lt;/b&gt; &amp; co>") {
		t.Errorf("the decision: %s", got[0].Blocks[2].Text.Text)
	}

	for _, c := range []struct {
		kind   string
		status int
		code   string
		advice string
	}{
		{"prohibited", 403, "action_prohibited", "a Slack admin restricted posting"},
		{"revoked", 404, "no_service", "the webhook in SLACK_MAYA was removed or revoked"},
		{"archived", 410, "channel_is_archived", "the webhook's channel is archived"},
	} {
		before := slack.Requests()
		err := s.Post(ctx, slack.Webhook(c.kind), "SLACK_MAYA", msg)
		var se *briefing.SlackError
		if !errors.As(err, &se) || se.Status != c.status || se.Code != c.code || !strings.Contains(err.Error(), c.advice) {
			t.Errorf("%s: got %v", c.kind, err)
		}
		if errors.Is(err, briefing.ErrRetryLater) || slack.Requests()-before != 1 {
			t.Errorf("%s: retried (%d requests) or marked retryable", c.kind, slack.Requests()-before)
		}
	}

	// A message Slack would refuse: 400 invalid_blocks, not retried.
	bad := msg
	bad.Blocks = append(bad.Blocks, briefing.SlackBlock{Type: "section", Text: &briefing.SlackText{Type: "mrkdwn", Text: strings.Repeat("x", 3001)}})
	err := s.Post(ctx, slack.Webhook("ok"), "SLACK_MAYA", bad)
	var se *briefing.SlackError
	if !errors.As(err, &se) || se.Status != 400 || se.Code != "invalid_blocks" || errors.Is(err, briefing.ErrRetryLater) {
		t.Errorf("too long a section: %v", err)
	}

	// 429 with Retry-After: waited for as asked, then sent.
	slack.RateLimit(1, 2)
	before := slack.Requests()
	if err := s.Post(ctx, slack.Webhook("ok"), "SLACK_MAYA", msg); err != nil {
		t.Errorf("after a rate limit: %v", err)
	}
	if slack.Requests()-before != 2 || len(waits) != 1 || waits[0] != 2*time.Second {
		t.Errorf("rate limit: %d requests, waits %v; want 2 requests after waiting 2s", slack.Requests()-before, waits)
	}
	// A Retry-After longer than MaxWait is left to a later tick.
	slack.RateLimit(1, 600)
	before = slack.Requests()
	err = s.Post(ctx, slack.Webhook("ok"), "SLACK_MAYA", msg)
	if !errors.Is(err, briefing.ErrRetryLater) || !errors.As(err, &se) || se.RetryAfter != 10*time.Minute || slack.Requests()-before != 1 {
		t.Errorf("a long Retry-After: %v after %d requests", err, slack.Requests()-before)
	}
	// 5xx: retried up to Attempts, then retryable.
	slack.Fail(5)
	before = slack.Requests()
	err = s.Post(ctx, slack.Webhook("ok"), "SLACK_MAYA", msg)
	if !errors.Is(err, briefing.ErrRetryLater) || slack.Requests()-before != 3 {
		t.Errorf("server errors: %v after %d requests, want retryable after 3", err, slack.Requests()-before)
	}
	slack.Fail(0)

	// A network error never shows the webhook URL: it is the secret.
	down := briefingtest.NewSlack(t)
	hook := down.Webhook("ok")
	down.Close()
	err = s.Post(ctx, hook, "SLACK_MAYA", msg)
	if err == nil || !errors.Is(err, briefing.ErrRetryLater) || strings.Contains(err.Error(), "T0000") || strings.Contains(err.Error(), "/services/") {
		t.Errorf("unreachable webhook: %v", err)
	}
}

// parsed is a received e-mail taken apart.
type parsed struct {
	header     mail.Header
	text, html string
	types      []string
}

func parseMail(t *testing.T, data string) parsed {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type %q: %v", msg.Header.Get("Content-Type"), err)
	}
	p := parsed{header: msg.Header}
	r := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := r.NextPart() // decodes quoted-printable
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(part)
		if err != nil {
			t.Fatal(err)
		}
		ct := part.Header.Get("Content-Type")
		p.types = append(p.types, ct)
		switch {
		case strings.HasPrefix(ct, "text/plain"):
			p.text = string(b)
		case strings.HasPrefix(ct, "text/html"):
			p.html = string(b)
		}
	}
	return p
}

// TestMailerAgainstALoopbackServer sends through a real SMTP server on
// 127.0.0.1 and takes the message it received apart.
func TestMailerAgainstALoopbackServer(t *testing.T) {
	ctx := context.Background()
	srv := briefingtest.NewSMTP(t)
	title := `<script>alert("x")</script> Renée's list`
	m, err := smallDigest(title).Mail("tower@example.com", "maya@example.com", briefing.RenderOptions{ConsoleURL: "https://tower.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"SMTP_USER": "tower", "SMTP_PASS": "s3cret"}
	ml := &briefing.Mailer{Config: briefing.SMTP{Host: "127.0.0.1", Port: srv.Port(), From: "tower@example.com",
		UsernameEnv: "SMTP_USER", PasswordEnv: "SMTP_PASS", StartTLS: briefing.TLSOpportunistic},
		Getenv: func(k string) string { return env[k] }}
	if err := ml.Send(ctx, m); err != nil {
		t.Fatal(err)
	}
	got := srv.Mails()
	if len(got) != 1 || got[0].From != "tower@example.com" || len(got[0].To) != 1 || got[0].To[0] != "maya@example.com" || got[0].Auth != "tower:s3cret" {
		t.Fatalf("the server got %+v", got)
	}
	p := parseMail(t, got[0].Data)
	if p.header.Get("Subject") != "Tower briefing: 1 decision waiting" || p.header.Get("To") != "maya@example.com" || p.header.Get("Message-Id") == "" {
		t.Errorf("headers: %v", p.header)
	}
	if len(p.types) != 2 || p.types[0] != "text/plain; charset=utf-8" || p.types[1] != "text/html; charset=utf-8" {
		t.Errorf("parts: %v, want text/plain then text/html", p.types)
	}
	if !strings.Contains(p.text, "p_1  "+title) {
		t.Errorf("text part:\n%s", p.text)
	}
	if strings.Contains(p.html, "<script>") || !strings.Contains(p.html, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Renée&#39;s list") {
		t.Errorf("the HTML part does not escape the planted name:\n%s", p.html)
	}

	// starttls = "required" against a server that does not offer it.
	ml.Config.StartTLS = briefing.TLSRequired
	if err := ml.Send(ctx, m); err == nil || !strings.Contains(err.Error(), "does not offer STARTTLS") {
		t.Errorf("required STARTTLS: %v", err)
	}

	// A recipient the server refuses: a plain error, not retried.
	srv.Reject("maya@example.com")
	ml.Config.StartTLS = briefing.TLSOpportunistic
	err = ml.Send(ctx, m)
	if err == nil || !strings.Contains(err.Error(), "550") || errors.Is(err, briefing.ErrRetryLater) {
		t.Errorf("a refused recipient: %v", err)
	}
}

func TestMailerUpgradesWithStartTLS(t *testing.T) {
	srv, roots := briefingtest.NewSMTPTLS(t)
	m, err := smallDigest("renewal list").Mail("tower@example.com", "maya@example.com", briefing.RenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ml := &briefing.Mailer{Config: briefing.SMTP{Host: "127.0.0.1", Port: srv.Port(), From: "tower@example.com", StartTLS: briefing.TLSRequired},
		TLS: &tls.Config{RootCAs: roots, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}}
	if err := ml.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if got := srv.Mails(); len(got) != 1 || !got[0].TLS {
		t.Errorf("want one message over TLS, got %+v", got)
	}
	// Without trusting the certificate, the upgrade fails and nothing is sent.
	ml.TLS = nil
	if err := ml.Send(context.Background(), m); err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Errorf("an untrusted certificate: %v", err)
	}
	if n := len(srv.Mails()); n != 1 {
		t.Errorf("%d messages after a failed upgrade", n)
	}
}
