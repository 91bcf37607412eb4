package signalrouter

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
)

// Kind is a kind of buying signal.
type Kind string

// The signal kinds, from the most to the least urgent by default.
const (
	DemoRequest   Kind = "demo_request"
	TrialStarted  Kind = "trial_started"
	PricingVisits Kind = "pricing_visits"
	UsageSurge    Kind = "usage_surge"
)

// Kinds lists every signal kind.
var Kinds = []Kind{DemoRequest, TrialStarted, PricingVisits, UsageSurge}

// label is how a kind reads in a sentence.
func (k Kind) label() string {
	switch k {
	case DemoRequest:
		return "demo request"
	case TrialStarted:
		return "trial start"
	case PricingVisits:
		return "pricing-page visits"
	case UsageSurge:
		return "usage surge"
	}
	return string(k)
}

// kindConfig says which track events make a signal of one kind and how
// fast someone must act on it.
type kindConfig struct {
	kind   Kind
	events []string
	// count and window: the signal fires when count events fall within
	// window (1 and 0 for one-off events such as a demo request).
	count  int
	window time.Duration
	sla    time.Duration
}

// configs reads the kinds from an agent's parameters.
func configs(p skill.Params) []kindConfig {
	return []kindConfig{
		{kind: DemoRequest, events: p.List("demo_events"), count: 1, sla: p.Duration("sla_demo_request")},
		{kind: TrialStarted, events: p.List("trial_events"), count: 1, sla: p.Duration("sla_trial_started")},
		{kind: PricingVisits, events: p.List("pricing_events"), count: int(p.Int("pricing_visits")),
			window: p.Duration("pricing_window"), sla: p.Duration("sla_pricing_visits")},
		{kind: UsageSurge, events: p.List("usage_events"), count: int(p.Int("usage_count")),
			window: p.Duration("usage_window"), sla: p.Duration("sla_usage_surge")},
	}
}

// slaOf returns the SLA of a kind (0 for a kind no longer configured).
func slaOf(cfgs []kindConfig, k Kind) time.Duration {
	for _, c := range cfgs {
		if c.kind == k {
			return c.sla
		}
	}
	return 0
}

// signal is one buying signal of one person. (Kind, Person, At) is its
// stable identity: the same events give the same signal on every run, so
// a signal is routed once.
type signal struct {
	Kind   Kind
	Person int64
	At     time.Time // the event that made it a signal, to the second
	Event  string    // that event's name
	Count  int       // events within the window, for counted kinds
	Window time.Duration
	SLA    time.Duration
}

// Due is when someone must have acted.
func (s signal) Due() time.Time { return s.At.Add(s.SLA) }

// ref is the signal's identity as written on the task that routes it.
func (s signal) ref() signalRef { return signalRef{Kind: s.Kind, Person: s.Person, At: s.At} }

const eventPage = 5000

// detect reads the track events of every configured kind and returns the
// signals that fired in [from, now], by person. Counted kinds read one
// window further back, so a burst that started before from still counts.
func detect(ctx context.Context, v skill.View, cfgs []kindConfig, from time.Time) (map[int64][]signal, error) {
	out := map[int64][]signal{}
	for _, c := range cfgs {
		times := map[int64][]time.Time{}
		names := map[int64][]string{}
		for _, name := range c.events {
			for offset := 0; ; offset += eventPage {
				evs, err := v.EventsList(ctx, &store.EventsListParams{Page: store.Page{Limit: eventPage, Offset: offset},
					Type: foundation.EventType("track"), Event: name, Since: from.Add(-c.window)})
				if err != nil {
					return nil, fmt.Errorf("read %q events: %w", name, err)
				}
				for _, e := range evs {
					if e.PersonID == 0 {
						continue // an anonymous visitor: nobody to call yet
					}
					times[e.PersonID] = append(times[e.PersonID], e.Timestamp.UTC().Truncate(time.Second))
					names[e.PersonID] = append(names[e.PersonID], name)
				}
				if len(evs) < eventPage {
					break
				}
			}
		}
		for person, ts := range times {
			for _, s := range fire(c, person, ts, names[person]) {
				if !s.At.Before(from) {
					out[person] = append(out[person], s)
				}
			}
		}
	}
	for p := range out {
		slices.SortFunc(out[p], func(a, b signal) int {
			if c := a.At.Compare(b.At); c != 0 {
				return c
			}
			return compareKind(a.Kind, b.Kind)
		})
	}
	return out, nil
}

// fire turns one person's events of one kind into signals. A one-off kind
// fires on every event. A counted kind fires on the event that brings the
// count within the window to the threshold, then stays quiet for one
// window: ten pricing visits in an afternoon are one signal, not eight.
func fire(c kindConfig, person int64, ts []time.Time, names []string) []signal {
	idx := make([]int, len(ts))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return ts[a].Compare(ts[b]) })
	var out []signal
	var last time.Time
	for k, i := range idx {
		t := ts[i]
		n := 1
		if c.count > 1 {
			n = 0
			for j := k; j >= 0 && t.Sub(ts[idx[j]]) < c.window; j-- {
				n++
			}
			if n < c.count || (!last.IsZero() && t.Sub(last) < c.window) {
				continue
			}
			last = t
		} else if len(out) > 0 && out[len(out)-1].At.Equal(t) {
			continue // two events in the same second are one signal
		}
		out = append(out, signal{Kind: c.kind, Person: person, At: t, Event: names[i], Count: n, Window: c.window, SLA: c.sla})
	}
	return out
}

func compareKind(a, b Kind) int {
	return slices.Index(Kinds, a) - slices.Index(Kinds, b)
}
