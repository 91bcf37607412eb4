package briefing

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"

	"github.com/towerops/tower/internal/store"
)

// PrefsFile is the workspace file of briefing preferences.
const PrefsFile = "briefing.toml"

// Preferences is briefing.toml: who gets the briefing where and when.
// People without a [people.NAME] table get the [defaults]; a workspace
// without the file shows briefings on the console only.
type Preferences struct {
	// File is where the preferences were read from, for messages.
	File string `toml:"-"`
	// ConsoleURL is the console's public address, such as
	// "https://tower.example.com"; Slack and e-mail link each proposal to
	// its page there. Without it they name the proposal ids instead.
	ConsoleURL string `toml:"console_url"`
	// Defaults apply to everyone, under what their own table says.
	Defaults Person `toml:"defaults"`
	// People are per-person preferences, by Tower user name.
	People map[string]Person `toml:"people"`
	// SMTP is the mail server; needed when anyone gets e-mail.
	SMTP *SMTP `toml:"smtp"`

	pos positions
}

// Person is one table of preferences; a field left out takes the
// default's value.
type Person struct {
	// Channels: console (always shown), slack, email. Default: console.
	Channels []Channel `toml:"channels"`
	// SendTime is the local time the briefing is sent. Default 08:00.
	SendTime *Clock `toml:"send_time"`
	// TimeZone is an IANA name. Default UTC.
	TimeZone *Zone `toml:"time_zone"`
	// QuietHours: nothing is sent inside them; a briefing due then waits
	// until they end. Default: none; "none" lifts the defaults' for one
	// person.
	QuietHours *Quiet `toml:"quiet_hours"`
	// LeaveOut names sections not to send.
	LeaveOut []Section `toml:"leave_out"`
	// WeekdaysOnly skips Saturdays and Sundays (Monday's briefing then
	// covers the weekend). Default true.
	WeekdaysOnly *bool `toml:"weekdays_only"`
	// SlackWebhookEnv names the environment variable holding the Slack
	// incoming-webhook URL.
	SlackWebhookEnv EnvName `toml:"slack_webhook_env"`
	// Email overrides the address; default the user's e-mail in Tower.
	Email Address `toml:"email"`
}

// SMTP is the mail server briefings are sent through.
type SMTP struct {
	Host string `toml:"host"`
	// Port defaults to 587 (submission with STARTTLS).
	Port int     `toml:"port"`
	From Address `toml:"from"`
	// UsernameEnv and PasswordEnv name the environment variables holding
	// the login; leave both out for a server that needs none.
	UsernameEnv EnvName `toml:"username_env"`
	PasswordEnv EnvName `toml:"password_env"`
	// StartTLS is required (default) or opportunistic.
	StartTLS TLSMode `toml:"starttls"`
}

// Settings are one person's preferences with the defaults filled in.
type Settings struct {
	User         string
	Channels     []Channel
	SendTime     Clock
	Location     *time.Location
	Quiet        *Quiet
	LeaveOut     map[Section]bool
	WeekdaysOnly bool
	SlackEnv     string
	// Email is the address e-mail goes to ("" when none is known).
	Email string
}

// Has reports whether the person gets the briefing on channel c.
func (s Settings) Has(c Channel) bool { return slices.Contains(s.Channels, c) }

// Pushed are the channels something is sent to (all but the console).
func (s Settings) Pushed() []Channel {
	var out []Channel
	for _, c := range s.Channels {
		if c != Console {
			out = append(out, c)
		}
	}
	return out
}

// Default settings.
var (
	DefaultSendTime = Clock{Hour: 8}
	DefaultSMTPPort = 587
)

// LoadPrefs reads dir/briefing.toml. A missing file is the defaults:
// the console only.
func LoadPrefs(dir string) (*Preferences, error) {
	path := filepath.Join(dir, PrefsFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return &Preferences{File: path}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the briefing preferences: %w", err)
	}
	return ParsePrefs(path, b)
}

// ParsePrefs reads briefing preferences; path names the file in errors,
// each of which gives the line, the setting and the reason.
func ParsePrefs(path string, b []byte) (*Preferences, error) {
	p := &Preferences{File: path}
	dec := toml.NewDecoder(bytes.NewReader(b)).DisallowUnknownFields()
	if err := dec.Decode(p); err != nil {
		return nil, decodeError(path, b, err)
	}
	p.File = path
	p.pos = indexPositions(b)
	if err := p.check(); err != nil {
		return nil, err
	}
	return p, nil
}

// decodeError turns go-toml's errors into "file:line: setting: reason".
func decodeError(path string, b []byte, err error) error {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) && len(strict.Errors) > 0 {
		var msgs []string
		for _, e := range strict.Errors {
			row, _ := e.Position()
			msgs = append(msgs, fmt.Sprintf("%s:%d: %s: unknown setting", path, row, strings.Join(e.Key(), ".")))
		}
		return errors.New(strings.Join(msgs, "\n"))
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, _ := de.Position()
		key := strings.Join(de.Key(), ".")
		if key == "" {
			key = keyOnLine(b, row)
		}
		msg := strings.TrimPrefix(de.Error(), "toml: ")
		if key != "" {
			return fmt.Errorf("%s:%d: %s: %s", path, row, key, msg)
		}
		return fmt.Errorf("%s:%d: %s", path, row, msg)
	}
	return fmt.Errorf("%s: %w", path, err)
}

// keyOnLine is the key of a "key = value" line, for errors go-toml gives
// with a line but no key.
func keyOnLine(b []byte, row int) string {
	lines := strings.Split(string(b), "\n")
	if row < 1 || row > len(lines) {
		return ""
	}
	k, _, ok := strings.Cut(lines[row-1], "=")
	if !ok {
		return ""
	}
	k = strings.TrimSpace(k)
	if len(k) > 60 || strings.ContainsAny(k, "[]{}") {
		return ""
	}
	return k
}

// check refuses what each value is fine alone but wrong together.
func (p *Preferences) check() error {
	var errs []error
	fail := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s:%d: %s: %s", p.File, p.pos.line(key), key, fmt.Sprintf(format, args...)))
	}
	if u := p.ConsoleURL; u != "" && !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		fail("console_url", "write the console's address with https://, such as https://tower.example.com")
	}
	p.ConsoleURL = strings.TrimRight(p.ConsoleURL, "/")
	if s := p.SMTP; s != nil {
		switch {
		case strings.TrimSpace(s.Host) == "" || strings.ContainsAny(s.Host, " /:\r\n"):
			fail("smtp.host", "name the mail server, such as smtp.example.com (the port goes in port)")
		case s.Port < 0 || s.Port > 65535:
			fail("smtp.port", "%d is not a port", s.Port)
		case s.From == "":
			fail("smtp.from", "say which address briefings come from")
		case (s.UsernameEnv == "") != (s.PasswordEnv == ""):
			fail("smtp.username_env", "give both username_env and password_env, or neither")
		}
		if s.Port == 0 {
			s.Port = DefaultSMTPPort
		}
		if s.StartTLS == "" {
			s.StartTLS = TLSRequired
		}
	}
	tables := []string{"defaults"}
	for _, name := range slices.Sorted(maps.Keys(p.People)) {
		tables = append(tables, "people."+name)
	}
	for _, t := range tables {
		s := p.settings(strings.TrimPrefix(t, "people."), "")
		where := t + ".channels"
		if p.pos.line(where) == 0 {
			where = "defaults.channels"
		}
		if s.Has(Slack) && s.SlackEnv == "" {
			fail(where, "slack needs slack_webhook_env: the name of the environment variable holding the webhook URL")
		}
		if s.Has(Email) && p.SMTP == nil {
			fail(where, "email needs an [smtp] table naming the mail server")
		}
	}
	return errors.Join(errs...)
}

// CheckUsers refuses people tables that name no Tower user.
func (p *Preferences) CheckUsers(users []store.User) error {
	known := map[string]bool{}
	var names []string
	for _, u := range users {
		known[u.Name] = true
		names = append(names, u.Name)
	}
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(p.People)) {
		if !known[name] {
			errs = append(errs, fmt.Errorf("%s:%d: people.%s: no Tower user is called %q (users: %s)",
				p.File, p.pos.line("people."+name), name, name, strings.Join(names, ", ")))
		}
	}
	return errors.Join(errs...)
}

// For resolves user's settings; email is the user's address in Tower,
// used when the preferences name none.
func (p *Preferences) For(user, email string) Settings {
	return p.settings(user, email)
}

func (p *Preferences) settings(user, email string) Settings {
	s := Settings{User: user, Channels: []Channel{Console}, SendTime: DefaultSendTime, Location: time.UTC,
		LeaveOut: map[Section]bool{}, WeekdaysOnly: true, Email: email}
	layers := []Person{p.Defaults}
	if own, ok := p.People[user]; ok {
		layers = append(layers, own)
	}
	for _, l := range layers {
		if l.Channels != nil {
			s.Channels = slices.Compact(slices.Clone(l.Channels))
		}
		if l.SendTime != nil {
			s.SendTime = *l.SendTime
		}
		if l.TimeZone != nil && l.TimeZone.Location != nil {
			s.Location = l.TimeZone.Location
		}
		if l.QuietHours != nil {
			s.Quiet = nil
			if q := *l.QuietHours; !q.Off {
				s.Quiet = &q
			}
		}
		if l.LeaveOut != nil {
			s.LeaveOut = map[Section]bool{}
			for _, sec := range l.LeaveOut {
				s.LeaveOut[sec] = true
			}
		}
		if l.WeekdaysOnly != nil {
			s.WeekdaysOnly = *l.WeekdaysOnly
		}
		if l.SlackWebhookEnv != "" {
			s.SlackEnv = string(l.SlackWebhookEnv)
		}
		if l.Email != "" {
			s.Email = string(l.Email)
		}
	}
	return s
}
