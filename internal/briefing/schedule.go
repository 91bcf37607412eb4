package briefing

import (
	"time"

	"github.com/towerops/tower/internal/store"
)

// Slot is one day's scheduled briefing for a person.
type Slot struct {
	// Day is the person's local date the briefing is for, "2026-03-10";
	// a briefing is sent at most once per person, channel and day.
	Day string
	// At is the local send time that day.
	At time.Time
	// From is when it may go: At, or the end of the quiet hours At falls in.
	From time.Time
}

// Due is a briefing to send now.
type Due struct {
	Settings Settings
	Slot     Slot
	// Channels are the pushed channels not yet sent for Slot.Day.
	Channels []Channel
	// Since is where the briefing's period starts: the previous slot's
	// send time, so Monday's briefing covers the weekend when weekends
	// are skipped.
	Since time.Time
}

// InQuietHours reports whether t is inside the person's quiet hours.
func (s Settings) InQuietHours(t time.Time) bool {
	return s.Quiet != nil && s.Quiet.Contains(t.In(s.Location))
}

// slotOn is the slot of the local date y-m-d (normalised, so d may be 0).
func (s Settings) slotOn(y int, m time.Month, d int) Slot {
	at := time.Date(y, m, d, s.SendTime.Hour, s.SendTime.Minute, 0, 0, s.Location)
	sl := Slot{Day: at.Format(time.DateOnly), At: at, From: at}
	if s.Quiet != nil && s.Quiet.Contains(at) {
		end := time.Date(at.Year(), at.Month(), at.Day(), s.Quiet.To.Hour, s.Quiet.To.Minute, 0, 0, s.Location)
		if !end.After(at) {
			end = time.Date(at.Year(), at.Month(), at.Day()+1, s.Quiet.To.Hour, s.Quiet.To.Minute, 0, 0, s.Location)
		}
		sl.From = end
	}
	return sl
}

func (s Settings) skips(t time.Time) bool {
	wd := t.Weekday()
	return s.WeekdaysOnly && (wd == time.Saturday || wd == time.Sunday)
}

// Slot is the latest slot that may go by now: today's once its send time
// has passed (and its quiet hours ended), else yesterday's — so a
// briefing due in quiet hours that end after midnight still goes. ok is
// false when neither day gets a briefing (a weekend, say).
func (s Settings) Slot(now time.Time) (Slot, bool) {
	local := now.In(s.Location)
	for back := 0; back <= 1; back++ {
		sl := s.slotOn(local.Year(), local.Month(), local.Day()-back)
		if s.skips(sl.At) || sl.From.After(now) {
			continue
		}
		return sl, true
	}
	return Slot{}, false
}

// previous is the send time of the last slot before sl that the person
// gets (weekends skipped when they are), at most a week back.
func (s Settings) previous(sl Slot) time.Time {
	for back := 1; back <= 7; back++ {
		p := s.slotOn(sl.At.Year(), sl.At.Month(), sl.At.Day()-back)
		if !s.skips(p.At) {
			return p.At
		}
	}
	return sl.At.AddDate(0, 0, -1)
}

// SentFunc reports whether user's briefing for day already went to channel.
type SentFunc func(user string, c Channel, day string) bool

// DueNow says whose briefings are due at now: their local send time has
// passed (today's, or yesterday's when quiet hours held it), it is not
// inside their quiet hours, the weekday rule lets that day through, and
// some channel of theirs has not had that day's briefing yet. Disabled
// users and people who get the console only are never due.
func DueNow(p *Preferences, users []store.User, now time.Time, sent SentFunc) []Due {
	var out []Due
	for _, u := range users {
		if u.Disabled {
			continue
		}
		s := p.For(u.Name, u.Email)
		pushed := s.Pushed()
		if len(pushed) == 0 || s.InQuietHours(now) {
			continue
		}
		sl, ok := s.Slot(now)
		if !ok {
			continue
		}
		var todo []Channel
		for _, c := range pushed {
			if !sent(u.Name, c, sl.Day) {
				todo = append(todo, c)
			}
		}
		if len(todo) > 0 {
			out = append(out, Due{Settings: s, Slot: sl, Channels: todo, Since: s.previous(sl)})
		}
	}
	return out
}
