package storetest

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// newProposal builds a proposal with every field set, created at `at`.
// Its parameters and evidence values are float64, strings and bools: what
// any JSON store gives back.
func newProposal(id, agent, key string, status proposal.Status, at time.Time) proposal.Proposal {
	return proposal.Proposal{
		ID: id, Skill: "suppression-sync", Agent: agent, Status: status,
		CreatedAt: at, UpdatedAt: at, ExpiresAt: at.Add(proposal.DefaultTTL),
		Title: "Suppress 2 records that bounced", Rationale: "hard bounces in the ESP",
		Actions: []proposal.Action{{Kind: proposal.Suppress,
			Targets: []proposal.Target{proposal.RecordTarget("crm", "c1", "ana@x.test"), proposal.RecordTarget("esp", "e:7", "")},
			Params:  map[string]any{"channel": "email", "reason": "hard bounce 5.1.1"}}},
		Evidence: proposal.Evidence{
			Facts: []proposal.Fact{{Name: "bounces", Value: 3.0, Unit: "count", Source: "esp"}, {Name: "code", Value: "5.1.1"},
				{Name: "verified", Value: true}},
			Series: []proposal.Series{{Name: "bounces", Points: []proposal.Point{{X: "2025-03-01", Y: 1}, {X: "2025-03-02", Y: 2.5}}}},
		},
		ExpectedValue: proposal.Value{SavingsUSD: 12.5, Assumptions: []string{"$0.01 per send"}},
		Confidence:    0.9, BlastRadius: 2,
		Preview: []proposal.Change{{Action: 0, Target: proposal.RecordTarget("crm", "c1", ""), Field: "email_status",
			Before: "subscribed", After: "suppressed"}},
		Key: key, Trigger: "schedule",
	}
}

// checkProposal compares a proposal read back with what was written:
// times at microsecond precision in UTC, everything else exactly.
func checkProposal(t *testing.T, got, want proposal.Proposal) {
	t.Helper()
	checkTime(t, want.ID+" CreatedAt", got.CreatedAt, want.CreatedAt)
	checkTime(t, want.ID+" UpdatedAt", got.UpdatedAt, want.UpdatedAt)
	checkTime(t, want.ID+" ExpiresAt", got.ExpiresAt, want.ExpiresAt)
	got.CreatedAt, got.UpdatedAt, got.ExpiresAt = time.Time{}, time.Time{}, time.Time{}
	want.CreatedAt, want.UpdatedAt, want.ExpiresAt = time.Time{}, time.Time{}, time.Time{}
	if want.Decision != nil && got.Decision != nil {
		checkTime(t, want.ID+" DecidedAt", got.Decision.DecidedAt, want.Decision.DecidedAt)
		gd, wd := *got.Decision, *want.Decision
		gd.DecidedAt, wd.DecidedAt = time.Time{}, time.Time{}
		got.Decision, want.Decision = &gd, &wd
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("proposal %s read back\n got %+v\nwant %+v", want.ID, got, want)
	}
}

func insertProposals(t *testing.T, s store.Runtime, ps ...proposal.Proposal) *store.ProposalsInsertResult {
	t.Helper()
	return must[*store.ProposalsInsertResult](t)(s.ProposalsInsert(ctx(t), &store.ProposalsInsertParams{Proposals: ps}))
}

func proposalIDs(ps []proposal.Proposal) []string {
	return ids(ps, func(p proposal.Proposal) string { return p.ID })
}

var proposalTests = []test{
	{"ProposalsRoundTrip", func(t *testing.T, s store.Store) {
		at := time.Date(2025, 3, 2, 8, 30, 0, 123456789, time.FixedZone("CET", 3600))
		p := newProposal("p_1", "a1", "record:crm:c1", proposal.StatusPendingApproval, at)
		p.Decision = &proposal.Decision{Effect: proposal.EffectRequireApproval, Autonomy: "approve",
			Rules: []string{"large-blast"}, Reason: "more than 1 record", Approvers: []string{"role:ops"}, DecidedAt: at}
		p.Error = ""
		bare := proposal.Proposal{ID: "p_2", Skill: "campaign-watch", Agent: "a2", Status: proposal.StatusProposed,
			CreatedAt: at, UpdatedAt: at, Key: "campaign:C-1"}
		res := insertProposals(t, s, p, bare)
		checkEqual(t, "Inserted", res.Inserted, []string{"p_1", "p_2"})
		checkEqual(t, "Skipped", len(res.Skipped), 0)
		checkProposal(t, *must[*proposal.Proposal](t)(s.ProposalGet(ctx(t), &store.ProposalGetParams{ID: "p_1"})), p)
		checkProposal(t, *must[*proposal.Proposal](t)(s.ProposalGet(ctx(t), &store.ProposalGetParams{ID: "p_2"})), bare)
		_, err := s.ProposalGet(ctx(t), &store.ProposalGetParams{ID: "p_404"})
		wantNotFound(t, "ProposalGet(p_404)", err)
	}},
	{"ProposalsDedupeOpenKey", func(t *testing.T, s store.Store) {
		at := date(2025, 4, 1)
		res := insertProposals(t, s,
			newProposal("p_1", "a1", "k1", proposal.StatusProposed, at),
			newProposal("p_2", "a1", "k1", proposal.StatusProposed, at), // same batch, same open key
			newProposal("p_3", "a2", "k1", proposal.StatusProposed, at), // another agent: its own key space
			newProposal("p_4", "a1", "k2", proposal.StatusDenied, at),   // final: never blocks
			newProposal("p_5", "a1", "k2", proposal.StatusAllowed, at),
		)
		checkEqual(t, "Inserted", res.Inserted, []string{"p_1", "p_3", "p_4", "p_5"})
		checkEqual(t, "Skipped", res.Skipped, []int{1})
		// Re-running the agent writes nothing new while k1 and k2 are open.
		res = insertProposals(t, s,
			newProposal("p_6", "a1", "k1", proposal.StatusProposed, at.Add(time.Hour)),
			newProposal("p_7", "a1", "k3", proposal.StatusProposed, at.Add(time.Hour)),
			newProposal("p_8", "a1", "k2", proposal.StatusPendingApproval, at.Add(time.Hour)),
		)
		checkEqual(t, "rerun Inserted", res.Inserted, []string{"p_7"})
		checkEqual(t, "rerun Skipped", res.Skipped, []int{0, 2})
		// Once the open proposal is final, the agent may propose again.
		must[*proposal.Proposal](t)(s.ProposalUpdate(ctx(t), &store.ProposalUpdateParams{ID: "p_1",
			From: proposal.StatusProposed, To: proposal.StatusDenied, At: at.Add(2 * time.Hour)}))
		res = insertProposals(t, s, newProposal("p_9", "a1", "k1", proposal.StatusProposed, at.Add(3*time.Hour)))
		checkEqual(t, "after final Inserted", res.Inserted, []string{"p_9"})
		checkEqual(t, "total", sumCounts(must[map[proposal.Status]int](t)(s.ProposalsCount(ctx(t), &store.ProposalsListParams{}))), 6)
		// A second open proposal cannot be made by an update either: the
		// database refuses it whatever the path.
		if _, err := s.ProposalsInsert(ctx(t), &store.ProposalsInsertParams{Proposals: []proposal.Proposal{
			newProposal("p_7", "a9", "other", proposal.StatusProposed, at)}}); err == nil {
			t.Error("a proposal with an id already stored was accepted")
		}
	}},
	{"ProposalsDedupeRace", func(t *testing.T, s store.Store) {
		// Two writers (two nodes, or two runs) propose on the same keys at
		// once: each key ends up with exactly one open proposal.
		const writers, keys = 4, 50
		results := make(chan *store.ProposalsInsertResult, writers)
		errs := make(chan error, writers)
		for w := range writers {
			go func() {
				ps := make([]proposal.Proposal, keys)
				for k := range ps {
					ps[k] = newProposal(fmt.Sprintf("p_%d_%d", w, k), "a1", fmt.Sprintf("k%d", k), proposal.StatusProposed, date(2025, 4, 1))
				}
				res, err := s.ProposalsInsert(ctx(t), &store.ProposalsInsertParams{Proposals: ps})
				errs <- err
				results <- res
			}()
		}
		inserted, skipped := 0, 0
		for range writers {
			if err := <-errs; err != nil {
				t.Errorf("racing insert: %v", err)
			}
			if res := <-results; res != nil {
				inserted, skipped = inserted+len(res.Inserted), skipped+len(res.Skipped)
			}
		}
		checkEqual(t, "inserted, skipped", [2]int{inserted, skipped}, [2]int{keys, (writers - 1) * keys})
		checkEqual(t, "stored", must[map[proposal.Status]int](t)(s.ProposalsCount(ctx(t), &store.ProposalsListParams{})),
			map[proposal.Status]int{proposal.StatusProposed: keys})
	}},
	{"ProposalsListFiltersAndOrder", func(t *testing.T, s store.Store) {
		base := date(2025, 5, 1)
		var all []proposal.Proposal
		statuses := []proposal.Status{proposal.StatusProposed, proposal.StatusAllowed, proposal.StatusPendingApproval, proposal.StatusDenied}
		for i := range 12 {
			p := newProposal(fmt.Sprintf("p_%02d", i), fmt.Sprintf("a%d", i%3), fmt.Sprintf("k%d", i), statuses[i%4], base.Add(time.Duration(i/2)*time.Hour))
			if i%2 == 1 {
				p.Skill = "campaign-watch"
			}
			p.ExpiresAt = base.Add(time.Duration(i) * 24 * time.Hour)
			all = append(all, p)
		}
		insertProposals(t, s, all...)
		// Newest first; equal times by id descending.
		want := slices.Clone(all)
		slices.SortFunc(want, func(a, b proposal.Proposal) int {
			if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
				return c
			}
			return -cmpString(a.ID, b.ID)
		})
		got := must[[]proposal.Proposal](t)(s.ProposalsList(ctx(t), &store.ProposalsListParams{}))
		checkEqual(t, "order", proposalIDs(got), proposalIDs(want))
		page := must[[]proposal.Proposal](t)(s.ProposalsList(ctx(t), &store.ProposalsListParams{Page: store.Page{Limit: 4, Offset: 4}}))
		checkEqual(t, "page 2", proposalIDs(page), proposalIDs(want[4:8]))

		filters := []store.ProposalsListParams{
			{Statuses: []proposal.Status{proposal.StatusAllowed, proposal.StatusPendingApproval}},
			{Skill: "campaign-watch"},
			{Agent: "a1"},
			{Since: base.Add(2 * time.Hour), Until: base.Add(4 * time.Hour)},
			{Statuses: []proposal.Status{proposal.StatusProposed, proposal.StatusAllowed}, ExpiresBefore: base.Add(5 * 24 * time.Hour)},
			{ExpiresBefore: base.Add(3 * 24 * time.Hour), Agent: "a0"},
		}
		for fi, f := range filters {
			var wantIDs []string
			wantCounts := map[proposal.Status]int{}
			for _, p := range want {
				if (len(f.Statuses) == 0 || slices.Contains(f.Statuses, p.Status)) && (f.Skill == "" || p.Skill == f.Skill) &&
					(f.Agent == "" || p.Agent == f.Agent) && (f.Since.IsZero() || !p.CreatedAt.Before(f.Since)) &&
					(f.Until.IsZero() || p.CreatedAt.Before(f.Until)) && (f.ExpiresBefore.IsZero() || p.ExpiresAt.Before(f.ExpiresBefore)) {
					wantIDs = append(wantIDs, p.ID)
					wantCounts[p.Status]++
				}
			}
			if len(wantIDs) == 0 || len(wantIDs) == len(all) {
				t.Fatalf("filter %d selects %d proposals: a useless fixture", fi, len(wantIDs))
			}
			got := must[[]proposal.Proposal](t)(s.ProposalsList(ctx(t), &f))
			checkEqual(t, fmt.Sprintf("filter %d list", fi), proposalIDs(got), wantIDs)
			checkEqual(t, fmt.Sprintf("filter %d count", fi), must[map[proposal.Status]int](t)(s.ProposalsCount(ctx(t), &f)), wantCounts)
		}
		counts := must[map[proposal.Status]int](t)(s.ProposalsCount(ctx(t), &store.ProposalsListParams{}))
		checkEqual(t, "counts", counts, map[proposal.Status]int{proposal.StatusProposed: 3, proposal.StatusAllowed: 3,
			proposal.StatusPendingApproval: 3, proposal.StatusDenied: 3})
	}},
}

func sumCounts(m map[proposal.Status]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
