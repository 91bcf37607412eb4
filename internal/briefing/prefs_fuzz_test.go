package briefing

import (
	"strings"
	"testing"
)

// FuzzParsePrefs: whatever briefing.toml holds, ParsePrefs returns
// preferences or an error naming the file, never panics, and every
// person's settings resolve to a zone, a valid send time and known
// channels.
func FuzzParsePrefs(f *testing.F) {
	f.Add([]byte(goodPrefs))
	f.Add([]byte(schedulePrefs))
	f.Add([]byte("[defaults]\nquiet_hours = \"23:59-00:00\"\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParsePrefs("briefing.toml", b)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "briefing.toml") {
				t.Fatalf("an error that does not name the file: %v", err)
			}
			return
		}
		for _, name := range append([]string{"nobody"}, keys(p.People)...) {
			s := p.For(name, "")
			if s.Location == nil || s.SendTime.Hour > 23 || s.SendTime.Minute > 59 {
				t.Fatalf("%s: %+v", name, s)
			}
			for _, c := range s.Channels {
				if c != Console && c != Slack && c != Email {
					t.Fatalf("%s: channel %q", name, c)
				}
			}
			if s.Has(Slack) && s.SlackEnv == "" {
				t.Fatalf("%s: slack without a webhook variable", name)
			}
			_, _ = s.Slot(now)
		}
	})
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
