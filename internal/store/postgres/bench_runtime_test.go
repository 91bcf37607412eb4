package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/postgres"
)

// BenchmarkProposalsInsert writes one fleet cycle's proposals — 50,000,
// in batches of 1,000, each one INSERT … SELECT FROM unnest — into a fresh
// schema, as the SQLite benchmark of the same name does:
//
//	go test -run '^$' -bench ProposalsInsert -benchtime 1x ./internal/store/postgres/
func BenchmarkProposalsInsert(b *testing.B) {
	const n, batch = 50_000, 1_000
	ctx := context.Background()
	now := time.Date(2025, 6, 1, 6, 0, 0, 0, time.UTC)
	ps := make([]proposal.Proposal, n)
	for i := range ps {
		p := proposal.New(proposal.Draft{Agent: fmt.Sprintf("suppress-%03d", i%500), Key: fmt.Sprintf("person:%d", i),
			Title: fmt.Sprintf("Suppress the records of person %d after a hard bounce", i),
			Actions: []proposal.Action{{Kind: proposal.Suppress,
				Targets: []proposal.Target{proposal.RecordTarget("crm", fmt.Sprintf("c%d", i), ""), proposal.RecordTarget("esp", fmt.Sprintf("e%d", i), "")},
				Params:  map[string]any{"channel": "email", "reason": "hard bounce 5.1.1"}}},
			Evidence:   proposal.Evidence{Facts: []proposal.Fact{{Name: "bounces_30d", Value: 2.0, Source: "esp"}}},
			Confidence: 0.95}, "suppression-sync", now)
		ps[i] = p
	}
	for b.Loop() {
		b.StopTimer()
		s := postgres.NewTestStore(b)
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
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "proposals/s")
}
