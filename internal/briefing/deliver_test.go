package briefing

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/towerops/tower/internal/briefing/briefingtest"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

// TestTickSendsOncePerDay: the fixture's maria gets Slack and e-mail at
// 08:00 UTC; at noon one tick sends both and records them in the audit
// log, and neither another tick nor a restarted deliverer sends again.
// rob wants e-mail but Tower knows no address for him: logged once, not
// retried by the same process.
func TestTickSendsOncePerDay(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		fixture(t, st)
		slack := briefingtest.NewSlack(t)
		smtpd := briefingtest.NewSMTP(t)
		prefs, err := ParsePrefs("briefing.toml", fmt.Appendf(nil, `console_url = "https://tower.example.com"
[people.maria]
channels = ["console", "slack", "email"]
slack_webhook_env = "SLACK_MARIA"
email = "maria@example.com"
weekdays_only = false

[people.rob]
channels = ["email"]

[smtp]
host = "127.0.0.1"
port = %d
from = "tower@example.com"
starttls = "opportunistic"
`, smtpd.Port()))
		if err != nil {
			t.Fatal(err)
		}
		env := map[string]string{"SLACK_MARIA": slack.Webhook("ok")}
		var logs bytes.Buffer
		newDeliverer := func() *Deliverer {
			return &Deliverer{Store: st, Prefs: prefs, Getenv: func(k string) string { return env[k] },
				Log: slog.New(slog.NewTextHandler(&logs, nil))}
		}
		d := newDeliverer()
		n, err := d.Tick(ctx, now)
		if err != nil {
			t.Fatal(err)
		}
		eq(t, "sent at the first tick", n, 2)
		eq(t, "Slack messages", len(slack.Messages()), 1)
		eq(t, "e-mails", len(smtpd.Mails()), 1)
		if m := smtpd.Mails(); len(m) == 1 && (m[0].To[0] != "maria@example.com" || !strings.Contains(m[0].Data, "Subject: Tower briefing: 2 decisions waiting")) {
			t.Errorf("the e-mail: %s", m[0].Data[:200])
		}
		if !strings.Contains(logs.String(), "Tower has no e-mail address for rob") {
			t.Errorf("rob's missing address was not logged:\n%s", logs.String())
		}
		if strings.Contains(logs.String(), slack.URL) {
			t.Errorf("the webhook URL was logged")
		}
		n, _ = d.Tick(ctx, now.Add(5*60e9))
		eq(t, "second tick", n, 0)
		eq(t, "rob's error logged once", strings.Count(logs.String(), "Tower has no e-mail address for rob"), 1)

		entries, err := st.AuditList(ctx, &store.AuditListParams{})
		if err != nil {
			t.Fatal(err)
		}
		var sent []string
		for _, e := range entries {
			if e.Action == ActionSent {
				sent = append(sent, e.Subject+" "+string(e.Data))
			}
		}
		eq(t, "audit", strings.Join(sent, "\n"), `user:maria {"user":"maria","channel":"slack","day":"2026-03-10","to":"$SLACK_MARIA","waiting":2}`+"\n"+
			`user:maria {"user":"maria","channel":"email","day":"2026-03-10","to":"maria@example.com","waiting":2}`)

		// A restart reads the audit log: nothing goes twice.
		n, err = newDeliverer().Tick(ctx, now.Add(60*60e9))
		eq(t, "after a restart", n, 0)
		if err != nil {
			t.Fatal(err)
		}
		eq(t, "Slack messages in all", len(slack.Messages()), 1)
		eq(t, "e-mails in all", len(smtpd.Mails()), 1)
		// The next day, again.
		n, _ = newDeliverer().Tick(ctx, now.Add(24*60*60e9))
		eq(t, "the next day", n, 2)
	})
}
