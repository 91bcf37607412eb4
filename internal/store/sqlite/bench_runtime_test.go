package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/sqlite"
)

// BenchmarkProposalsInsert writes one fleet cycle's proposals — 50,000,
// in batches of 1,000, each batch its own transaction — into a fresh
// database and reports proposals/s. The target is a few seconds a cycle:
//
//	go test -run '^$' -bench ProposalsInsert -benchtime 1x ./internal/store/sqlite/
func BenchmarkProposalsInsert(b *testing.B) {
	const n, batch = 50_000, 1_000
	ctx := context.Background()
	now := time.Date(2025, 6, 1, 6, 0, 0, 0, time.UTC)
	ps := make([]proposal.Proposal, n)
	for i := range ps {
		ps[i] = benchProposal(i, now)
	}
	for b.Loop() {
		b.StopTimer()
		s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.MigrateUp(ctx); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for start := 0; start < n; start += batch {
			res, err := s.ProposalsInsert(ctx, &store.ProposalsInsertParams{Proposals: ps[start:min(start+batch, n)]})
			if err != nil {
				b.Fatal(err)
			}
			if len(res.Inserted) != min(batch, n-start) {
				b.Fatalf("inserted %d of %d", len(res.Inserted), batch)
			}
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "proposals/s")
}

// benchProposal is a typical suppression proposal: one action on two
// records, three evidence facts, a two-line preview; about 1 KB of JSON.
func benchProposal(i int, now time.Time) proposal.Proposal {
	d := proposal.Draft{
		Agent: fmt.Sprintf("suppress-%03d", i%500), Key: fmt.Sprintf("person:%d", i),
		Title:     fmt.Sprintf("Suppress 2 records of person %d after a hard bounce", i),
		Rationale: "The ESP reported a hard bounce (5.1.1) twice in 30 days; the CRM still marks the address as sendable.",
		Actions: []proposal.Action{{Kind: proposal.Suppress,
			Targets: []proposal.Target{proposal.RecordTarget("crm", fmt.Sprintf("c%d", i), fmt.Sprintf("p%d@x.test", i)),
				proposal.RecordTarget("esp", fmt.Sprintf("e%d", i), "")},
			Params: map[string]any{"channel": "email", "reason": "hard bounce 5.1.1"}}},
		Evidence: proposal.Evidence{Facts: []proposal.Fact{{Name: "bounces_30d", Value: 2.0, Unit: "count", Source: "esp"},
			{Name: "last_bounce", Value: "2025-05-30", Source: "esp"}, {Name: "crm_status", Value: "subscribed", Source: "crm"}}},
		ExpectedValue: proposal.Value{SavingsUSD: 0.4}, Confidence: 0.95,
	}
	p := proposal.New(d, "suppression-sync", now)
	p.Preview = []proposal.Change{
		{Action: 0, Target: d.Actions[0].Targets[0], Field: "email_status", Before: "subscribed", After: "suppressed"},
		{Action: 0, Target: d.Actions[0].Targets[1], Field: "email_status", Before: "subscribed", After: "suppressed"},
	}
	return p
}

// BenchmarkLastActivity asks for the latest event of 5,000 people at a
// time, with and without Until, in a database of 20,000 people with ten
// events each. Each person is one probe of events_person_timestamp, so the
// time per call does not grow with the number of events.
func BenchmarkLastActivity(b *testing.B) {
	const people, perPerson, ask = 20_000, 10, 5_000
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := s.MigrateUp(ctx); err != nil {
		b.Fatal(err)
	}
	recs := make([]foundation.Record, people)
	for i := range recs {
		recs[i] = foundation.Record{System: "crm", SystemID: fmt.Sprintf("c%d", i), Email: fmt.Sprintf("p%d@x.test", i)}
	}
	if _, err := s.RecordsUpsert(ctx, &store.RecordsUpsertParams{Records: recs}); err != nil {
		b.Fatal(err)
	}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for d := range perPerson {
		evs := make([]foundation.Event, people)
		for i := range evs {
			evs[i] = foundation.Event{MessageID: fmt.Sprintf("m%d-%d", i, d), Type: "track", Event: "Page Viewed",
				Email: fmt.Sprintf("p%d@x.test", i), Timestamp: start.Add(time.Duration(d*24+i%24) * time.Hour)}
		}
		if _, err := s.EventsInsert(ctx, &store.EventsInsertParams{Events: evs}); err != nil {
			b.Fatal(err)
		}
	}
	ids := make([]int64, ask)
	for i := range ids {
		ids[i] = int64(i*(people/ask) + 1)
	}
	for _, until := range []time.Time{{}, start.Add(5 * 24 * time.Hour)} {
		b.Run(fmt.Sprintf("until=%t", !until.IsZero()), func(b *testing.B) {
			for b.Loop() {
				got, err := s.LastActivity(ctx, &store.LastActivityParams{PersonIDs: ids, Until: until})
				if err != nil {
					b.Fatal(err)
				}
				if len(got) != ask {
					b.Fatalf("found %d of %d people", len(got), ask)
				}
			}
		})
	}
}
