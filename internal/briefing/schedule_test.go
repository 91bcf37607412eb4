package briefing

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/store"
)

const schedulePrefs = `
[defaults]
channels = ["slack", "email"]
slack_webhook_env = "SLACK_TEAM"

# Berlin, mornings, weekdays, quiet at night.
[people.ber]
send_time = "08:30"
time_zone = "Europe/Berlin"
quiet_hours = "20:00-07:00"

# Berlin again, but the send time falls inside quiet hours that cross midnight.
[people.late]
send_time = "22:00"
time_zone = "Europe/Berlin"
quiet_hours = "20:00-07:00"
weekdays_only = false

# New York, every day (for the day the clocks go forward).
[people.nyc]
send_time = "08:00"
time_zone = "America/New_York"
weekdays_only = false

# New York, a send time that does not exist on that day, and quiet hours around it.
[people.gap]
send_time = "02:30"
time_zone = "America/New_York"
quiet_hours = "01:00-03:00"
weekdays_only = false

[people.off]
channels = ["console"]

[smtp]
host = "smtp.example.com"
from = "tower@example.com"
`

func scheduleUsers() []store.User {
	var us []store.User
	for _, n := range []string{"ber", "late", "nyc", "gap", "off"} {
		us = append(us, store.User{Name: n, Email: n + "@example.com"})
	}
	return append(us, store.User{Name: "gone", Disabled: true})
}

func utc(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

// dueAt lists "user:day:channels:since" due at now, given what was sent.
func dueAt(t *testing.T, p *Preferences, now time.Time, sent map[string]bool) string {
	t.Helper()
	var out []string
	for _, d := range DueNow(p, scheduleUsers(), now, func(u string, c Channel, day string) bool { return sent[u+"/"+string(c)+"/"+day] }) {
		var cs []string
		for _, c := range d.Channels {
			cs = append(cs, string(c))
		}
		out = append(out, fmt.Sprintf("%s:%s:%s:%s", d.Settings.User, d.Slot.Day, strings.Join(cs, "+"), d.Since.UTC().Format("01-02T15:04")))
	}
	return strings.Join(out, " ")
}

func TestDueNow(t *testing.T) {
	p, err := ParsePrefs("briefing.toml", []byte(schedulePrefs))
	if err != nil {
		t.Fatal(err)
	}
	none := map[string]bool{}
	// Each case looks at ber and late (Berlin); nyc's own case adds it.
	for _, c := range []struct {
		name, now string
		sent      map[string]bool
		want      string
	}{
		// Tuesday 10 March 2026; Berlin is UTC+1, New York UTC-4 (DST began 8 March).
		{"Monday's not sent yet, nor late's held by quiet hours", "2026-03-10 07:29", none,
			"ber:2026-03-09:slack+email:03-06T07:30 late:2026-03-09:slack+email:03-08T21:00"},
		{"Berlin's 08:30 passed", "2026-03-10 07:31", map[string]bool{"late/slack/2026-03-09": true, "late/email/2026-03-09": true},
			"ber:2026-03-10:slack+email:03-09T07:30"},
		{"already sent by Slack: only e-mail is left", "2026-03-10 09:00",
			map[string]bool{"ber/slack/2026-03-10": true, "late/slack/2026-03-09": true, "late/email/2026-03-09": true},
			"ber:2026-03-10:email:03-09T07:30"},
		{"everything sent: nobody", "2026-03-10 11:00", map[string]bool{"ber/slack/2026-03-10": true, "ber/email/2026-03-10": true,
			"late/slack/2026-03-09": true, "late/email/2026-03-09": true}, ""},
		{"New York's 08:00 EDT is 12:00 UTC", "2026-03-10 12:00", map[string]bool{"ber/slack/2026-03-10": true, "ber/email/2026-03-10": true,
			"late/slack/2026-03-09": true, "late/email/2026-03-09": true}, "nyc:2026-03-10:slack+email:03-09T12:00"},
		// Quiet hours across midnight: late's 22:00 falls inside 20:00-07:00 and waits until 07:00.
		{"late's 22:00 is quiet", "2026-03-10 21:30", map[string]bool{"late/slack/2026-03-09": true, "late/email/2026-03-09": true,
			"ber/slack/2026-03-10": true, "ber/email/2026-03-10": true, "nyc/slack/2026-03-10": true, "nyc/email/2026-03-10": true}, ""},
		{"still quiet at 06:59 Berlin", "2026-03-11 05:59", map[string]bool{"late/slack/2026-03-09": true, "late/email/2026-03-09": true,
			"nyc/slack/2026-03-10": true, "nyc/email/2026-03-10": true}, ""},
		{"07:00 Berlin: Tuesday's late briefing goes", "2026-03-11 06:00", map[string]bool{"late/slack/2026-03-09": true, "late/email/2026-03-09": true,
			"ber/slack/2026-03-10": true, "ber/email/2026-03-10": true,
			"nyc/slack/2026-03-10": true, "nyc/email/2026-03-10": true}, "late:2026-03-10:slack+email:03-09T21:00"},
		// Saturday: ber skips weekends; Monday's briefing covers them.
		{"Saturday", "2026-03-14 09:00", map[string]bool{"late/slack/2026-03-13": true, "late/email/2026-03-13": true,
			"ber/slack/2026-03-13": true, "ber/email/2026-03-13": true}, ""},
		{"Monday covers the weekend", "2026-03-16 08:00", map[string]bool{"late/slack/2026-03-15": true, "late/email/2026-03-15": true},
			"ber:2026-03-16:slack+email:03-13T07:30"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, f := range strings.Fields(dueAt(t, p, utc(c.now), c.sent)) {
				if strings.HasPrefix(f, "ber:") || strings.HasPrefix(f, "late:") || (strings.HasPrefix(f, "nyc:") && strings.Contains(c.name, "New York")) {
					got = append(got, f)
				}
			}
			eq(t, "due", strings.Join(got, " "), c.want)
		})
	}
}

// TestDueOnTheDayClocksChange: New York moves from UTC-5 to UTC-4 on
// Sunday 8 March 2026 at 02:00, so 08:00 there is 13:00 UTC the day
// before and 12:00 UTC that day; and 02:30 does not exist that day.
func TestDueOnTheDayClocksChange(t *testing.T) {
	p, err := ParsePrefs("briefing.toml", []byte(schedulePrefs))
	if err != nil {
		t.Fatal(err)
	}
	only := func(user string, s string) string {
		for _, f := range strings.Fields(s) {
			if strings.HasPrefix(f, user+":") {
				return f
			}
		}
		return ""
	}
	sentNYC := func(days ...string) map[string]bool {
		m := map[string]bool{}
		for _, d := range days {
			m["nyc/slack/"+d], m["nyc/email/"+d] = true, true
			m["gap/slack/"+d], m["gap/email/"+d] = true, true
		}
		return m
	}
	eq(t, "Saturday 12:30 UTC is 07:30 EST", only("nyc", dueAt(t, p, utc("2026-03-07 12:30"), sentNYC("2026-03-06"))), "")
	eq(t, "Saturday 13:00 UTC is 08:00 EST", only("nyc", dueAt(t, p, utc("2026-03-07 13:00"), sentNYC("2026-03-06"))),
		"nyc:2026-03-07:slack+email:03-06T13:00")
	eq(t, "Sunday 11:59 UTC is 07:59 EDT", only("nyc", dueAt(t, p, utc("2026-03-08 11:59"), sentNYC("2026-03-07"))), "")
	eq(t, "Sunday 12:00 UTC is 08:00 EDT; the day is 23 hours long", only("nyc", dueAt(t, p, utc("2026-03-08 12:00"), sentNYC("2026-03-07"))),
		"nyc:2026-03-08:slack+email:03-07T13:00")
	// gap: 02:30 does not exist on 8 March; Go's time.Date reads it as
	// 01:30 EST (06:30 UTC), inside the quiet hours (01:00-03:00), so it
	// waits until 03:00 EDT (07:00 UTC).
	eq(t, "gap: 06:59 UTC", only("gap", dueAt(t, p, utc("2026-03-08 06:59"), sentNYC("2026-03-07"))), "")
	eq(t, "gap: 07:00 UTC", only("gap", dueAt(t, p, utc("2026-03-08 07:00"), sentNYC("2026-03-07"))), "gap:2026-03-08:slack+email:03-07T07:30")
	// The day before, 02:30 EST falls in the quiet hours and waits until 03:00 EST (08:00 UTC).
	eq(t, "gap: Saturday 07:59 UTC is quiet", only("gap", dueAt(t, p, utc("2026-03-07 07:59"), sentNYC("2026-03-06"))), "")
	eq(t, "gap: Saturday 08:00 UTC", only("gap", dueAt(t, p, utc("2026-03-07 08:00"), sentNYC("2026-03-06"))), "gap:2026-03-07:slack+email:03-06T07:30")
}

func TestQuietContains(t *testing.T) {
	var q Quiet
	if err := q.UnmarshalText([]byte("20:00-07:00")); err != nil {
		t.Fatal(err)
	}
	for at, want := range map[string]bool{"19:59": false, "20:00": true, "23:59": true, "00:00": true, "06:59": true, "07:00": false, "12:00": false} {
		eq(t, "across midnight at "+at, q.Contains(utc("2026-03-10 "+at)), want)
	}
	if err := q.UnmarshalText([]byte("12:00-13:30")); err != nil {
		t.Fatal(err)
	}
	for at, want := range map[string]bool{"11:59": false, "12:00": true, "13:29": true, "13:30": false} {
		eq(t, "lunch at "+at, q.Contains(utc("2026-03-10 "+at)), want)
	}
}
