package bouncehygiene

import (
	"context"
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/skills/suppressionsync"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

var now = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

// fixture: each person is a case.
//
//	dead@x.com      5.1.1 in esp, crm subscribed            → hard-bounce suppress of crm:dead
//	optout@x.com    5.1.1 in esp, unsubscribed in map        → bounce-hygiene leaves it; suppression-sync suppresses crm and esp as unsubscribed
//	done@x.com      5.1.1 in esp, crm already hard_bounce    → nothing (already propagated)
//	a,b,c@dnsfail.io 5.1.2 in esp on one day, crm subscribed → one DNS task, no suppress
func fixture(t *testing.T, st store.Store) {
	ctx := context.Background()
	var recs []foundation.Record
	for _, e := range []string{"dead@x.com", "optout@x.com", "done@x.com", "a@dnsfail.io", "b@dnsfail.io", "c@dnsfail.io"} {
		recs = append(recs, foundation.Record{System: "crm", SystemID: e, Email: e}, foundation.Record{System: "esp", SystemID: e, Email: e})
	}
	recs = append(recs, foundation.Record{System: "map", SystemID: "optout@x.com", Email: "optout@x.com"})
	if _, err := st.RecordsUpsert(ctx, &store.RecordsUpsertParams{Records: recs}); err != nil {
		t.Fatal(err)
	}
	f := func(sys, id string, s foundation.ConsentStatus, reason string, at time.Time) foundation.Consent {
		return foundation.Consent{System: sys, SystemID: id, Channel: foundation.ChannelEmail, Status: s, Reason: reason, At: at}
	}
	old, day := now.AddDate(-1, 0, 0), now.AddDate(0, 0, -5)
	var facts []foundation.Consent
	for _, r := range recs {
		facts = append(facts, f(r.System, r.SystemID, foundation.StatusSubscribed, "form", old))
	}
	facts = append(facts,
		f("esp", "dead@x.com", foundation.StatusHardBounce, "550 5.1.1 User unknown", day),
		f("esp", "optout@x.com", foundation.StatusHardBounce, "550 5.1.1 User unknown", day),
		f("map", "optout@x.com", foundation.StatusUnsubscribed, "footer link", day.Add(time.Hour)),
		f("esp", "done@x.com", foundation.StatusHardBounce, "550 5.1.1 User unknown", day),
		f("crm", "done@x.com", foundation.StatusHardBounce, "tower: hard bounce 5.1.1 in esp", day.Add(time.Hour)),
	)
	for i, e := range []string{"a@dnsfail.io", "b@dnsfail.io", "c@dnsfail.io"} {
		facts = append(facts, f("esp", e, foundation.StatusHardBounce, "550 5.1.2 Host or domain name not found", day.Add(time.Duration(i)*time.Minute)))
	}
	if _, err := st.ConsentUpsert(ctx, &store.ConsentUpsertParams{Consents: facts}); err != nil {
		t.Fatal(err)
	}
}

func run(t *testing.T, st store.Store, s skill.Skill) []proposal.Draft {
	p, err := s.Manifest().Resolve(nil)
	if err != nil {
		t.Fatal(err)
	}
	drafts, err := s.Run(context.Background(), skill.NewView(st, now, nil, nil), []skill.Agent{{Name: "a", Params: p}})
	if err != nil {
		t.Fatal(err)
	}
	return drafts
}

// TestBounceAndOptOutDoNotOverlap checks the hard-bounce rules and that
// bounce-hygiene and suppression-sync never propose changes to the same
// record.
func TestBounceAndOptOutDoNotOverlap(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		fixture(t, st)
		touched := map[string]string{}
		var tasks, hard int
		for _, d := range run(t, st, Skill{}) {
			if err := d.Validate(); err != nil {
				t.Errorf("invalid draft: %v", err)
			}
			a := d.Actions[0]
			switch a.Kind {
			case proposal.Suppress:
				hard++
				if len(a.Targets) != 1 || a.Targets[0].ID != "crm:dead@x.com" || a.Params["status"] != "hard_bounce" {
					t.Errorf("suppress %v as %v, want crm:dead@x.com as hard_bounce", a.Targets, a.Params["status"])
				}
			case proposal.CreateTask:
				tasks++
				if len(a.Targets) != 3 {
					t.Errorf("DNS task names %d records, want 3", len(a.Targets))
				}
			default:
				t.Errorf("unexpected %s: %s", a.Kind, d.Title)
			}
			for _, tg := range a.Targets {
				touched[tg.ID] = Name
			}
		}
		if hard != 1 || tasks != 1 {
			t.Errorf("%d hard-bounce suppressions and %d DNS tasks, want 1 and 1", hard, tasks)
		}
		var sync int
		for _, d := range run(t, st, suppressionsync.Skill{}) {
			for _, tg := range d.Actions[0].Targets {
				sync++
				if by := touched[tg.ID]; by != "" {
					t.Errorf("%s is proposed by both %s and suppression-sync", tg.ID, by)
				}
				if tg.ID != "crm:optout@x.com" && tg.ID != "esp:optout@x.com" {
					t.Errorf("suppression-sync targets %s", tg.ID)
				}
			}
		}
		if sync != 2 {
			t.Errorf("suppression-sync proposed %d records, want crm and esp of optout@x.com", sync)
		}
	})
}
