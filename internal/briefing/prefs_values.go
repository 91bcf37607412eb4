package briefing

import (
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"
)

// The value types of briefing.toml. Each checks itself as it is decoded,
// so a bad value is reported with the line it is on. None of them ever
// repeats a value in an error that could be a secret.

// Channel is where a briefing goes.
type Channel string

// Channels.
const (
	// Console: the briefing page of the console, always there; nothing is sent.
	Console Channel = "console"
	// Slack: an incoming-webhook message.
	Slack Channel = "slack"
	// Email: a multipart e-mail over SMTP.
	Email Channel = "email"
)

// UnmarshalText accepts console, slack or email.
func (c *Channel) UnmarshalText(b []byte) error {
	switch v := Channel(b); v {
	case Console, Slack, Email:
		*c = v
		return nil
	}
	return fmt.Errorf("%q is not a channel: use console, slack or email", clip(b))
}

// Section is a part of the briefing a person can leave out.
type Section string

// Sections, in the order the briefing shows them.
const (
	SectionDecisions  Section = "decisions"
	SectionFlags      Section = "flags"
	SectionOnTheirOwn Section = "on_their_own"
	SectionAgents     Section = "agents"
	SectionAttention  Section = "attention"
	SectionScorecards Section = "scorecards"
	SectionValue      Section = "value"
)

// Sections lists every section in order.
func Sections() []Section {
	return []Section{SectionDecisions, SectionFlags, SectionOnTheirOwn, SectionAgents, SectionAttention, SectionScorecards, SectionValue}
}

// UnmarshalText accepts a section's name.
func (s *Section) UnmarshalText(b []byte) error {
	if v := Section(b); slices.Contains(Sections(), v) {
		*s = v
		return nil
	}
	names := make([]string, 0, 7)
	for _, v := range Sections() {
		names = append(names, string(v))
	}
	return fmt.Errorf("%q is not a section: use %s", clip(b), strings.Join(names, ", "))
}

// Clock is a local time of day, "08:00".
type Clock struct{ Hour, Minute int }

// Minutes is the clock time in minutes after midnight.
func (c Clock) Minutes() int { return c.Hour*60 + c.Minute }

func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", c.Hour, c.Minute) }

// UnmarshalText reads "HH:MM" on a 24-hour clock.
func (c *Clock) UnmarshalText(b []byte) error {
	v, err := parseClock(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

var clockRE = regexp.MustCompile(`^([01][0-9]|2[0-3]):([0-5][0-9])$`)

func parseClock(s string) (Clock, error) {
	m := clockRE.FindStringSubmatch(s)
	if m == nil {
		return Clock{}, fmt.Errorf("%q is not a time of day: write it on a 24-hour clock, such as 08:00 or 17:30", clip([]byte(s)))
	}
	return Clock{Hour: int(m[1][0]-'0')*10 + int(m[1][1]-'0'), Minute: int(m[2][0]-'0')*10 + int(m[2][1]-'0')}, nil
}

// Zone is an IANA time zone such as "Europe/Berlin".
type Zone struct{ *time.Location }

// UnmarshalText loads the zone from the system's time-zone database.
func (z *Zone) UnmarshalText(b []byte) error {
	s := string(b)
	// LoadLocation also reads "Local" and paths; only IANA names are meant.
	if s == "" || s == "Local" || strings.Contains(s, "..") || strings.HasPrefix(s, "/") {
		return fmt.Errorf("%q is not a time zone: use an IANA name such as Europe/Berlin, America/New_York or UTC", clip(b))
	}
	loc, err := time.LoadLocation(s)
	if err != nil {
		return fmt.Errorf("%q is not a time zone: use an IANA name such as Europe/Berlin, America/New_York or UTC", clip(b))
	}
	z.Location = loc
	return nil
}

// Quiet is a daily span when nothing is sent, "20:00-07:00"; it may cross
// midnight. "none" is no quiet hours (Off), to lift the defaults' for one
// person.
type Quiet struct {
	From, To Clock
	Off      bool
}

func (q Quiet) String() string {
	if q.Off {
		return "none"
	}
	return q.From.String() + "-" + q.To.String()
}

// UnmarshalText reads "HH:MM-HH:MM" or "none".
func (q *Quiet) UnmarshalText(b []byte) error {
	if string(b) == "none" {
		*q = Quiet{Off: true}
		return nil
	}
	from, to, ok := strings.Cut(string(b), "-")
	if !ok {
		return fmt.Errorf("%q is not a span of quiet hours: write it as 20:00-07:00, or none", clip(b))
	}
	f, err := parseClock(strings.TrimSpace(from))
	if err != nil {
		return err
	}
	t, err := parseClock(strings.TrimSpace(to))
	if err != nil {
		return err
	}
	if f == t {
		return errors.New("quiet hours that start when they end are empty: leave quiet_hours out instead")
	}
	*q = Quiet{From: f, To: t}
	return nil
}

// Contains reports whether the local time of day of t is quiet.
func (q Quiet) Contains(t time.Time) bool {
	if q.Off {
		return false
	}
	m := t.Hour()*60 + t.Minute()
	f, e := q.From.Minutes(), q.To.Minutes()
	if f < e {
		return m >= f && m < e
	}
	return m >= f || m < e // across midnight
}

// EnvName names an environment variable that holds a secret. Only the
// name is in the file; the secret stays in the environment.
type EnvName string

var envNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,127}$`)

// UnmarshalText accepts a variable name and refuses anything else, without
// repeating it: what was written might be the secret itself.
func (e *EnvName) UnmarshalText(b []byte) error {
	if !envNameRE.Match(b) {
		return errors.New("write the NAME of the environment variable that holds the secret (such as SLACK_WEBHOOK_MARIA), never the secret itself")
	}
	*e = EnvName(b)
	return nil
}

// Address is an e-mail address.
type Address string

// UnmarshalText accepts one plain address, "maria@example.com".
func (a *Address) UnmarshalText(b []byte) error {
	v, err := parseAddress(string(b))
	if err != nil {
		return err
	}
	*a = Address(v)
	return nil
}

func parseAddress(s string) (string, error) {
	m, err := mail.ParseAddress(s)
	if err != nil || m.Address != s || strings.ContainsAny(s, "\r\n") {
		return "", fmt.Errorf("%q is not an e-mail address such as maria@example.com", clip([]byte(s)))
	}
	return m.Address, nil
}

// TLSMode says whether SMTP must be encrypted.
type TLSMode string

// TLS modes.
const (
	// TLSRequired refuses a server that does not offer STARTTLS.
	TLSRequired TLSMode = "required"
	// TLSOpportunistic uses STARTTLS when offered and sends in the clear
	// otherwise (a relay on the same machine, say).
	TLSOpportunistic TLSMode = "opportunistic"
)

// UnmarshalText accepts required or opportunistic.
func (m *TLSMode) UnmarshalText(b []byte) error {
	switch v := TLSMode(b); v {
	case TLSRequired, TLSOpportunistic:
		*m = v
		return nil
	}
	return fmt.Errorf("%q is not a STARTTLS mode: use required or opportunistic", clip(b))
}

// clip keeps an echoed value short and on one line.
func clip(b []byte) string {
	s := strings.Map(func(r rune) rune {
		if r < ' ' {
			return ' '
		}
		return r
	}, string(b))
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40]) + "…"
	}
	return s
}
