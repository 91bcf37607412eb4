package staleconsent

import (
	"context"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

var now = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

func monthsAgo(m int) time.Time { return now.AddDate(0, -m, 0) }

// fixture: six people, each a case the skill must get right.
//
//	old@     opted in 24 months ago, never seen          → propose (confidence 0.9)
//	seen@    opted in 24 months ago, last event 12 mo ago → propose (0.75)
//	active@  opted in 24 months ago, event last month     → no (engaged)
//	recent@  opted in 24 months ago in the CRM, again 3 months ago in the ESP → no (newest opt-in is recent)
//	unsub@   opted in 24 months ago, unsubscribed in the ESP since          → no (suppression-sync's business)
//	tagged@  opted in 24 months ago, never seen, already tagged              → no
//	emea@    like old@ but in EMEA (for the scope test)
func fixture(t *testing.T, st store.Store) map[string]int64 {
	ctx := context.Background()
	recs := []foundation.Record{}
	for _, e := range []string{"old", "seen", "active", "recent", "unsub", "tagged"} {
		recs = append(recs, foundation.Record{System: "crm", SystemID: e, Email: e + "@x.com", Region: "NA"},
			foundation.Record{System: "esp", SystemID: e, Email: e + "@x.com", Region: "NA"})
	}
	recs = append(recs, foundation.Record{System: "crm", SystemID: "emea", Email: "emea@x.com", Region: "EMEA"})
	if _, err := st.RecordsUpsert(ctx, &store.RecordsUpsertParams{Records: recs}); err != nil {
		t.Fatal(err)
	}
	fact := func(sys, id string, s foundation.ConsentStatus, at time.Time) foundation.Consent {
		return foundation.Consent{System: sys, SystemID: id, Email: id + "@x.com", Channel: foundation.ChannelEmail, Status: s, At: at}
	}
	facts := []foundation.Consent{
		fact("crm", "old", foundation.StatusSubscribed, monthsAgo(24)),
		fact("crm", "seen", foundation.StatusSubscribed, monthsAgo(24)),
		fact("crm", "active", foundation.StatusSubscribed, monthsAgo(24)),
		fact("crm", "recent", foundation.StatusSubscribed, monthsAgo(24)),
		fact("esp", "recent", foundation.StatusSubscribed, monthsAgo(3)),
		fact("crm", "unsub", foundation.StatusSubscribed, monthsAgo(24)),
		fact("esp", "unsub", foundation.StatusUnsubscribed, monthsAgo(6)),
		fact("crm", "tagged", foundation.StatusSubscribed, monthsAgo(24)),
		fact("crm", "emea", foundation.StatusSubscribed, monthsAgo(30)),
		// A future fact (after the run's now) must not be seen.
		fact("crm", "old", foundation.StatusUnsubscribed, now.Add(48*time.Hour)),
	}
	if _, err := st.ConsentUpsert(ctx, &store.ConsentUpsertParams{Consents: facts}); err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for _, e := range []string{"old", "seen", "active", "recent", "unsub", "tagged", "emea"} {
		d, err := st.PersonGet(ctx, &store.PersonGetParams{Email: e + "@x.com"})
		if err != nil {
			t.Fatal(err)
		}
		ids[e] = d.Person.ID
	}
	ev := func(who string, at time.Time) foundation.Event {
		return foundation.Event{MessageID: who + at.String(), Type: "track", Event: "Email Opened", Email: who + "@x.com",
			UserID: "crm-" + who, Timestamp: at, ReceivedAt: at, PersonID: ids[who]}
	}
	if _, err := st.EventsInsert(ctx, &store.EventsInsertParams{Events: []foundation.Event{
		ev("seen", monthsAgo(12)), ev("active", monthsAgo(1)),
	}}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.TagsAdd(ctx, &store.TagsParams{Tags: []store.Tag{{Entity: store.EntityPerson, ID: strconv.FormatInt(ids["tagged"], 10), Tag: "re-permission", CreatedAt: now}}}); err != nil {
		t.Fatal(err)
	}
	return ids
}

func agent(t *testing.T, name string, scope store.Scope, over map[string]any) skill.Agent {
	p, err := Skill{}.Manifest().Resolve(over)
	if err != nil {
		t.Fatal(err)
	}
	return skill.Agent{Name: name, Owner: "maria", Scope: scope, Params: p}
}

func TestStaleConsent(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		ids := fixture(t, st)
		ctx := context.Background()
		v := skill.NewView(st, now, nil, nil)
		drafts, err := Skill{}.Run(ctx, v, []skill.Agent{
			agent(t, "all", store.Scope{}, nil),
			agent(t, "emea", store.Scope{Kind: "region", Values: []string{"EMEA"}}, nil),
			agent(t, "strict", store.Scope{}, map[string]any{"older_than": "900d"}),
		})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string][]string{}
		conf := map[string]float64{}
		for _, d := range drafts {
			if err := d.Validate(); err != nil {
				t.Errorf("invalid draft: %v", err)
			}
			who := d.Actions[0].Targets[0].Label
			got[d.Agent] = append(got[d.Agent], who)
			conf[d.Agent+"/"+who] = d.Confidence
			if d.Key != "person:"+d.Actions[0].Targets[0].ID || d.Actions[0].Params["tag"] != "re-permission" {
				t.Errorf("draft %+v", d)
			}
		}
		for k := range got {
			sort.Strings(got[k])
		}
		want := map[string][]string{
			"all":    {"emea@x.com", "old@x.com", "seen@x.com"},
			"emea":   {"emea@x.com"},
			"strict": {"emea@x.com"}, // only the 30-month-old opt-in is older than 900 days
		}
		for a, w := range want {
			if len(got[a]) != len(w) {
				t.Errorf("agent %s proposed %v, want %v", a, got[a], w)
				continue
			}
			for i := range w {
				if got[a][i] != w[i] {
					t.Errorf("agent %s proposed %v, want %v", a, got[a], w)
					break
				}
			}
		}
		if conf["all/old@x.com"] != 0.9 || conf["all/seen@x.com"] != 0.75 {
			t.Errorf("confidence: %v", conf)
		}
		_ = ids
	})
}
