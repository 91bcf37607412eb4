package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/briefing"
	"github.com/towerops/tower/internal/briefing/briefingtest"
)

// TestBriefingFromTheCommandLine: a workspace where an agent proposed
// three changes that need an approver; maya's briefing as text and JSON,
// the errors for an unknown or unnamed user, and sending it — dry run,
// then to a loopback Slack webhook fake and SMTP server — on both
// backends.
func TestBriefingFromTheCommandLine(t *testing.T) {
	bundle := filepath.Join(t.TempDir(), "bundle")
	mustCLI(t, nil, "demo", "--out", bundle, "--people", "300", "--accounts", "30")
	for name, envFor := range backends(t) {
		t.Run(name, func(t *testing.T) {
			env := envFor(t)
			ws := filepath.Join(t.TempDir(), "acme")
			mustCLI(t, env, "init", ws)
			env["TOWER_WORKSPACE"] = ws
			mustCLI(t, env, "import", bundle)
			agentFile := "[[agent]]\nname = \"stale\"\nskill = \"stale-consent\"\nowner = \"rob\"\nparams = { max_proposals = 3 }\n"
			if err := os.WriteFile(filepath.Join(ws, "agents", "hygiene.toml"), []byte(agentFile), 0o644); err != nil {
				t.Fatal(err)
			}
			mustCLI(t, env, "users", "create", "maya", "--role", "approver", "--email", "maya@example.com")
			mustCLI(t, env, "users", "create", "rob", "--role", "marketer")
			mustCLI(t, env, "agents", "run", "stale")

			var d briefing.Digest
			decode(t, mustCLI(t, env, "briefing", "--for", "maya", "--json"), &d)
			if d.For != "maya" || d.Role != "approver" || d.Counts.Waiting != 3 || len(d.Decisions) != 3 || d.Counts.Proposed != 3 {
				t.Fatalf("maya's digest: for %s (%s), %d waiting, %d decisions, %d proposed; want 3 waiting of 3 proposed",
					d.For, d.Role, d.Counts.Waiting, len(d.Decisions), d.Counts.Proposed)
			}
			for _, it := range d.Decisions {
				if it.Link != "/proposals/"+it.ID || it.Agent != "stale" || it.Mine {
					t.Errorf("decision %+v", it)
				}
			}
			if d.At.Sub(d.Since).Hours() != 24 {
				t.Errorf("the default window is %v", d.At.Sub(d.Since))
			}
			decode(t, mustCLI(t, env, "briefing", "--for", "maya", "--json", "--since", "7d"), &d)
			if d.At.Sub(d.Since).Hours() != 7*24 {
				t.Errorf("--since 7d gave a window of %v", d.At.Sub(d.Since))
			}

			txt := mustCLI(t, env, "briefing", "--for", "maya")
			for _, want := range []string{"Briefing for maya (approver)", "Waiting for your decision (3)", d.Decisions[0].ID + "  " + d.Decisions[0].Title} {
				if !strings.Contains(txt, want) {
					t.Errorf("the text lacks %q:\n%s", want, txt)
				}
			}
			// rob owns the agent but is a marketer, who does not approve: nothing waits for him.
			if out := mustCLI(t, env, "briefing", "--for", "rob"); !strings.Contains(out, "Waiting for your decision (0)\n  Nothing waits for you.") {
				t.Errorf("rob's briefing:\n%s", out)
			}

			_, _, err := cli(t, env, "briefing", "--for", "nobody")
			if err == nil || !strings.Contains(err.Error(), `no Tower user is called "nobody" (users: maya, rob)`) {
				t.Errorf("an unknown user: %v", err)
			}
			_, _, err = cli(t, env, "briefing")
			if err == nil || !strings.Contains(err.Error(), "say whose briefing with --for USER (or set TOWER_USER); users: maya, rob") {
				t.Errorf("no user named: %v", err)
			}
			env2 := copyEnv(env)
			env2["TOWER_USER"] = "maya"
			if out := mustCLI(t, env2, "briefing"); !strings.Contains(out, "Briefing for maya") {
				t.Errorf("TOWER_USER=maya:\n%s", out)
			}
			_, _, err = cli(t, env, "briefing", "--since", "a while")
			if err == nil || !strings.Contains(err.Error(), "write a duration such as 24h") {
				t.Errorf("a bad --since: %v", err)
			}

			// Without briefing.toml, the console is the only channel.
			if out := mustCLI(t, env, "briefing", "send", "--for", "maya"); !strings.Contains(out, "maya gets the briefing on the console only") {
				t.Errorf("send without preferences:\n%s", out)
			}

			slack := briefingtest.NewSlack(t)
			smtpd := briefingtest.NewSMTP(t)
			writePrefs := func(extra string) {
				t.Helper()
				prefs := fmt.Sprintf(`console_url = "https://tower.example.com"

[people.maya]
channels = ["console", "slack", "email"]
slack_webhook_env = "SLACK_MAYA"
%s
[smtp]
host = "127.0.0.1"
port = %d
from = "tower@example.com"
starttls = "opportunistic"
`, extra, smtpd.Port())
				if err := os.WriteFile(filepath.Join(ws, "briefing.toml"), []byte(prefs), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			writePrefs("")
			env["SLACK_MAYA"] = slack.Webhook("ok")

			var plan sendPlan
			decode(t, mustCLI(t, env, "briefing", "send", "--for", "maya", "--dry-run", "--json"), &plan)
			if len(plan.Channels) != 2 || !plan.Channels[0].Ready || plan.Channels[0].To != "$SLACK_MAYA" || plan.Channels[1].To != "maya@example.com" ||
				plan.Slack == nil || len(plan.Slack.Blocks) < 5 || plan.Email == nil || plan.Email.Subject != "Tower briefing: 3 decisions waiting" {
				t.Errorf("the dry run's plan: %+v", plan)
			}
			out := mustCLI(t, env, "briefing", "send", "--for", "maya", "--dry-run")
			for _, want := range []string{"Dry run: nothing is sent.", "slack  ", "blocks to the incoming webhook in SLACK_MAYA",
				`email  to maya@example.com: "Tower briefing: 3 decisions waiting" from tower@example.com via 127.0.0.1:`, "Waiting for your decision (3)"} {
				if !strings.Contains(out, want) {
					t.Errorf("the dry run lacks %q:\n%s", want, out)
				}
			}
			if strings.Contains(out, slack.URL) {
				t.Errorf("the dry run prints the webhook URL")
			}
			if len(slack.Messages()) != 0 || len(smtpd.Mails()) != 0 {
				t.Fatalf("a dry run sent something")
			}

			out = mustCLI(t, env, "briefing", "send", "--for", "maya")
			if !strings.Contains(out, "Sent maya's briefing by slack and email: Tower briefing: 3 decisions waiting.") {
				t.Errorf("send printed:\n%s", out)
			}
			msgs, mails := slack.Messages(), smtpd.Mails()
			if len(msgs) != 1 || len(mails) != 1 {
				t.Fatalf("%d Slack messages and %d e-mails, want one each", len(msgs), len(mails))
			}
			link := "<https://tower.example.com/proposals/" + d.Decisions[0].ID + "|"
			if !strings.Contains(msgs[0].Blocks[2].Text.Text, link) {
				t.Errorf("the Slack decisions lack %s:\n%s", link, msgs[0].Blocks[2].Text.Text)
			}
			subject, parts := mailParts(t, mails[0].Data)
			if mails[0].To[0] != "maya@example.com" || subject != "Tower briefing: 3 decisions waiting" || len(parts) != 2 ||
				!strings.Contains(parts["text/plain; charset=utf-8"], d.Decisions[0].ID+"  "+d.Decisions[0].Title) ||
				!strings.Contains(parts["text/html; charset=utf-8"], `<a href="https://tower.example.com/proposals/`+d.Decisions[0].ID+`">`) {
				t.Errorf("the e-mail %q: %d parts\n%s", subject, len(parts), mails[0].Data)
			}
			audit := mustCLI(t, env, "audit", "export")
			if strings.Count(audit, `"briefing.sent"`) != 2 || !strings.Contains(audit, `"channel":"slack"`) || !strings.Contains(audit, `"to":"maya@example.com"`) {
				t.Errorf("the audit log's briefing.sent entries:\n%s", grepLines(audit, "briefing"))
			}
			if strings.Contains(audit, slack.URL) {
				t.Errorf("the audit log holds the webhook URL")
			}

			// The webhook's variable unset: a plain error naming it, and e-mail still goes.
			delete(env, "SLACK_MAYA")
			out, _, err = cli(t, env, "briefing", "send", "--for", "maya")
			if err == nil || !strings.Contains(err.Error(), "the environment variable SLACK_MAYA (slack_webhook_env) is not set") {
				t.Errorf("an unset webhook variable: %v", err)
			}
			if !strings.Contains(out, "Sent maya's briefing by email") || len(smtpd.Mails()) != 2 {
				t.Errorf("e-mail did not go when Slack could not:\n%s", out)
			}
			// A revoked webhook: Slack's answer, explained.
			env["SLACK_MAYA"] = slack.Webhook("revoked")
			_, _, err = cli(t, env, "briefing", "send", "--for", "maya")
			if err == nil || !strings.Contains(err.Error(), "404 no_service: the webhook in SLACK_MAYA was removed or revoked") {
				t.Errorf("a revoked webhook: %v", err)
			}

			// Quiet hours around the clock: nothing is sent without --ignore-quiet-hours.
			writePrefs("quiet_hours = \"00:00-23:59\"\n")
			env["SLACK_MAYA"] = slack.Webhook("ok")
			_, _, err = cli(t, env, "briefing", "send", "--for", "maya")
			if err == nil || !strings.Contains(err.Error(), "inside their quiet hours (00:00-23:59)") {
				t.Errorf("inside quiet hours: %v", err)
			}
			mustCLI(t, env, "briefing", "send", "--for", "maya", "--ignore-quiet-hours")
			if len(slack.Messages()) != 2 {
				t.Errorf("--ignore-quiet-hours did not send")
			}

			// A person who is not a user: the file and line.
			if err := os.WriteFile(filepath.Join(ws, "briefing.toml"), []byte("[people.maya]\n\n[people.ghost]\nsend_time = \"07:00\"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			_, _, err = cli(t, env, "briefing", "send", "--for", "maya")
			if err == nil || !strings.Contains(err.Error(), filepath.Join(ws, "briefing.toml")+`:3: people.ghost: no Tower user is called "ghost"`) {
				t.Errorf("an unknown person in briefing.toml: %v", err)
			}
		})
	}
}

// TestServeSendsDueBriefings runs the loop tower serve starts. Briefings
// are due at 00:00 UTC every day, so they go at once, once each; a bad
// briefing.toml is logged and sends nothing, and its fix is picked up
// without a restart.
func TestServeSendsDueBriefings(t *testing.T) {
	ws := filepath.Join(t.TempDir(), "acme")
	env := map[string]string{"TOWER_WORKSPACE": ws}
	mustCLI(t, env, "init", ws)
	mustCLI(t, env, "users", "create", "maya", "--role", "approver", "--email", "maya@example.com")
	slack := briefingtest.NewSlack(t)
	env["SLACK_MAYA"] = slack.Webhook("ok")
	write := func(body string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(ws, "briefing.toml"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A bad file first: logged, nothing sent, and the loop keeps going.
	write("[people.maya]\nchannels = [\"slack\"]\n")
	var out, errb bytes.Buffer
	a := &app{stdout: &out, stderr: &errb, environ: func(k string) (string, bool) { v, ok := env[k]; return v, ok }}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := a.store(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	b := &briefer{a: a, st: st}
	b.tick(ctx)
	if !strings.Contains(errb.String(), "slack needs slack_webhook_env") || len(slack.Messages()) != 0 {
		t.Fatalf("a bad briefing.toml: sent %d; log:\n%s", len(slack.Messages()), errb.String())
	}
	good := "[defaults]\nchannels = [\"slack\"]\nslack_webhook_env = \"SLACK_MAYA\"\nsend_time = \"00:00\"\nweekdays_only = false\n"
	touch := func(d time.Duration) {
		// The modification time may not move within the clock's resolution.
		at := time.Now().Add(d)
		if err := os.Chtimes(filepath.Join(ws, "briefing.toml"), at, at); err != nil {
			t.Fatal(err)
		}
	}
	write(good + "[people.maya]\n")
	touch(2 * time.Second)
	b.tick(ctx) // the same loop picks the fixed file up
	if n := len(slack.Messages()); n != 1 {
		t.Fatalf("after fixing briefing.toml: %d messages, want 1; log:\n%s", n, errb.String())
	}
	b.tick(ctx)
	if n := len(slack.Messages()); n != 1 {
		t.Fatalf("a second tick sent again: %d messages", n)
	}

	// tom joins; the loop tower serve starts (a restart, as far as maya
	// is concerned) sends his and not hers again.
	mustCLI(t, env, "users", "create", "tom", "--role", "approver")
	stop := a.startBriefer(ctx, st)
	deadline := time.Now().Add(10 * time.Second)
	for len(slack.Messages()) < 2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	msgs := slack.Messages()
	if len(msgs) != 2 || !strings.Contains(msgs[1].Text, "(for tom)") {
		t.Fatalf("the serve loop: %d messages (want maya's then tom's); log:\n%s", len(msgs), errb.String())
	}
}

// TestDemoEndsWithTheBriefing: the demo prints the ops lead's briefing
// after the replayed history's scorecards.
func TestDemoEndsWithTheBriefing(t *testing.T) {
	t.Chdir(t.TempDir())
	out := mustCLI(t, nil, "demo", "--people", "300", "--accounts", "30", "--serve=false", "--history-days", "3")
	score := strings.Index(out, "The agents' scorecards over those days")
	brief := strings.Index(out, "maya.okafor's briefing this morning (tower briefing --for maya.okafor")
	run := strings.Index(out, "Running the demo's agents under the policies")
	console := strings.Index(out, "Start the console with `tower serve`")
	if score < 0 || run < score || brief < run || console < brief {
		t.Fatalf("the briefing is not printed after the scorecards and today's run, before the console:\n%s", out)
	}
	if !strings.Contains(out[brief:], "  Briefing for maya.okafor (approver)") || !strings.Contains(out[brief:], "  Waiting for your decision (") ||
		strings.Contains(out[brief:], "Agents' scorecards, last 7 days") {
		t.Errorf("the demo's briefing:\n%s", out[brief:])
	}
}

// mailParts reads a multipart/alternative message: its subject and its
// parts, decoded, by content type.
func mailParts(t *testing.T, data string) (string, map[string]string) {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type %q: %v", msg.Header.Get("Content-Type"), err)
	}
	parts := map[string]string{}
	r := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(p)
		if err != nil {
			t.Fatal(err)
		}
		parts[p.Header.Get("Content-Type")] = string(b)
	}
	return msg.Header.Get("Subject"), parts
}

func copyEnv(env map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range env {
		out[k] = v
	}
	return out
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
