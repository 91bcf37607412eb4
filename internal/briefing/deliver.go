package briefing

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/towerops/tower/internal/store"
)

// Deliverer sends people their briefings on their channels and records
// each send in the audit log. `tower serve` calls Tick every minute;
// `tower briefing send` composes and sends one person's at once.
type Deliverer struct {
	Store store.Store
	Prefs *Preferences
	// Getenv reads the secrets' variables (default os.Getenv).
	Getenv func(string) string
	// Slack posts to webhooks (default: a SlackSender with its defaults).
	Slack *SlackSender
	// Mailer sends e-mail (default: one for Prefs.SMTP).
	Mailer *Mailer
	Log    *slog.Logger
	// Actor is who the audit log says sent it (default "system").
	Actor string

	// Sent is what the audit log says went out already.
	Sent SentLog

	mu sync.Mutex
	// givenUp are sends that failed in a way only a person can fix; this
	// deliverer does not try them again that day (a restart, or a change
	// of briefing.toml, which makes a new one, does).
	givenUp map[sentKey]bool
}

// Outgoing is one person's briefing, rendered for their channels.
type Outgoing struct {
	Settings Settings
	// Day is the person's local date the briefing is for.
	Day      string
	Channels []Channel
	Digest   *Digest
	Slack    *SlackMessage
	Mail     *Mail
}

func (d *Deliverer) getenv(k string) string {
	if d.Getenv != nil {
		return d.Getenv(k)
	}
	return os.Getenv(k)
}

func (d *Deliverer) log() *slog.Logger {
	if d.Log != nil {
		return d.Log
	}
	return slog.Default()
}

// Compose builds s's briefing for (since, now] and renders it for channels.
func (d *Deliverer) Compose(ctx context.Context, s Settings, channels []Channel, day string, since, now time.Time) (*Outgoing, error) {
	dg, err := Build(ctx, d.Store, s.User, now, now.Sub(since))
	if err != nil {
		return nil, err
	}
	o := &Outgoing{Settings: s, Day: day, Channels: channels, Digest: dg}
	opts := RenderOptions{ConsoleURL: d.Prefs.ConsoleURL, LeaveOut: s.LeaveOut, Location: s.Location}
	for _, c := range channels {
		switch c {
		case Slack:
			m := dg.Slack(opts)
			o.Slack = &m
		case Email:
			from := ""
			if d.Prefs.SMTP != nil {
				from = string(d.Prefs.SMTP.From)
			}
			if o.Mail, err = dg.Mail(from, s.Email, opts); err != nil {
				return nil, err
			}
		}
	}
	return o, nil
}

// ChannelError is a failed send on one channel.
type ChannelError struct {
	User    string
	Channel Channel
	Err     error
}

func (e *ChannelError) Error() string {
	return fmt.Sprintf("%s's briefing by %s: %v", e.User, e.Channel, e.Err)
}

func (e *ChannelError) Unwrap() error { return e.Err }

// Send sends o on each of its channels and records every one that went
// in the audit log. It returns the channels sent and an error per
// channel that was not (a *ChannelError each, joined).
func (d *Deliverer) Send(ctx context.Context, o *Outgoing, now time.Time) ([]Channel, error) {
	var sent []Channel
	var errs []error
	for _, c := range o.Channels {
		to, err := d.sendOne(ctx, o, c)
		if err != nil {
			errs = append(errs, &ChannelError{User: o.Settings.User, Channel: c, Err: err})
			continue
		}
		sent = append(sent, c)
		actor := d.Actor
		if actor == "" {
			actor = "system"
		}
		d.Sent.Mark(o.Settings.User, c, o.Day)
		if err := RecordSent(ctx, d.Store, actor, now, SentEntry{User: o.Settings.User, Channel: c, Day: o.Day, To: to,
			Waiting: o.Digest.Counts.Waiting}); err != nil {
			errs = append(errs, err)
		}
	}
	return sent, errors.Join(errs...)
}

// sendOne sends on one channel; to is what the audit log records as the
// destination.
func (d *Deliverer) sendOne(ctx context.Context, o *Outgoing, c Channel) (to string, err error) {
	s := o.Settings
	switch c {
	case Slack:
		if s.SlackEnv == "" {
			return "", errors.New("no slack_webhook_env in briefing.toml")
		}
		hook := d.getenv(s.SlackEnv)
		if hook == "" {
			return "", fmt.Errorf("the environment variable %s (slack_webhook_env) is not set: put the incoming-webhook URL in it", s.SlackEnv)
		}
		sender := d.Slack
		if sender == nil {
			sender = &SlackSender{}
		}
		return "$" + s.SlackEnv, sender.Post(ctx, hook, s.SlackEnv, *o.Slack)
	case Email:
		if s.Email == "" {
			return "", fmt.Errorf("Tower has no e-mail address for %s: add one as email in [people.%s] of briefing.toml", s.User, s.User)
		}
		if d.Prefs.SMTP == nil {
			return "", errors.New("briefing.toml has no [smtp] table")
		}
		m := d.Mailer
		if m == nil {
			m = &Mailer{Config: *d.Prefs.SMTP, Getenv: d.getenv}
		}
		return s.Email, m.Send(ctx, o.Mail)
	}
	return "", fmt.Errorf("nothing is sent to the %s", c)
}

// Tick sends every briefing due at now (see DueNow) and returns how many
// channels were sent. A failure that may pass is tried again next tick;
// one only a person can fix is logged once and left for the day.
func (d *Deliverer) Tick(ctx context.Context, now time.Time) (int, error) {
	if err := d.Sent.Refresh(ctx, d.Store, now); err != nil {
		return 0, err
	}
	users, err := d.Store.UsersList(ctx, &store.UsersListParams{Page: store.Page{Limit: 100000}})
	if err != nil {
		return 0, fmt.Errorf("listing the people to brief: %w", err)
	}
	d.mu.Lock()
	if d.givenUp == nil {
		d.givenUp = map[sentKey]bool{}
	}
	d.mu.Unlock()
	skip := func(user string, c Channel, day string) bool {
		d.mu.Lock()
		defer d.mu.Unlock()
		return d.Sent.Sent(user, c, day) || d.givenUp[sentKey{user, string(c), day}]
	}
	n := 0
	for _, due := range DueNow(d.Prefs, users, now, skip) {
		o, err := d.Compose(ctx, due.Settings, due.Channels, due.Slot.Day, due.Since, now)
		if err != nil {
			d.log().ErrorContext(ctx, "briefing: composing", "user", due.Settings.User, "err", err)
			continue
		}
		sent, err := d.Send(ctx, o, now)
		n += len(sent)
		for _, c := range sent {
			d.log().InfoContext(ctx, "briefing sent", "user", due.Settings.User, "channel", c, "day", due.Slot.Day)
		}
		var ce *ChannelError
		for _, e := range unjoin(err) {
			if !errors.As(e, &ce) {
				d.log().ErrorContext(ctx, "briefing", "user", due.Settings.User, "err", e)
				continue
			}
			if errors.Is(ce, ErrRetryLater) {
				d.log().WarnContext(ctx, "briefing not sent yet; trying again soon", "user", ce.User, "channel", ce.Channel, "err", ce.Err)
				continue
			}
			d.mu.Lock()
			d.givenUp[sentKey{ce.User, string(ce.Channel), due.Slot.Day}] = true
			d.mu.Unlock()
			d.log().ErrorContext(ctx, "briefing not sent; Tower tries again once restarted or once briefing.toml changes", "user", ce.User,
				"channel", ce.Channel, "day", due.Slot.Day, "err", ce.Err)
		}
	}
	return n, nil
}

// unjoin lists the errors inside errors.Join's result.
func unjoin(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
