package governance

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/postgres"
	"github.com/towerops/tower/internal/store/sqlite"
)

var esc0 = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

// reopenable is a backend on which a database can be made and then
// opened, closed and opened again: a restart.
type reopenable struct {
	name string
	// newDB makes an empty database and returns how to open it (migrated).
	newDB func(t testing.TB) func(t testing.TB) store.Store
}

func reopenables() []reopenable {
	return []reopenable{
		{"sqlite", func(t testing.TB) func(t testing.TB) store.Store {
			path := filepath.Join(t.TempDir(), "tower.db")
			return func(t testing.TB) store.Store {
				st, err := sqlite.Open(context.Background(), path)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := st.MigrateUp(context.Background()); err != nil {
					t.Fatal(err)
				}
				return st
			}
		}},
		{"postgres", func(t testing.TB) func(t testing.TB) store.Store {
			url := postgres.TestURL(t) // skips without a server
			return func(t testing.TB) store.Store {
				st, err := postgres.Open(context.Background(), url)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := st.MigrateUp(context.Background()); err != nil {
					t.Fatal(err)
				}
				return st
			}
		}},
	}
}

// seedPending writes n pending proposals and their approval requests in
// batches: proposal i is first due at esc0 + 1h + (i mod 90) minutes, has
// a chain of 2 or 3 levels, and on timeout is denied when i%3 == 0 and
// expires otherwise.
func seedPending(t testing.TB, st store.Store, n int, firstDue func(i int) time.Time) {
	t.Helper()
	ctx := context.Background()
	const batch = 1000
	for start := 0; start < n; start += batch {
		var ps []proposal.Proposal
		var rs []store.ApprovalRequest
		for i := start; i < min(start+batch, n); i++ {
			id := fmt.Sprintf("p_%06d", i)
			ps = append(ps, proposal.Proposal{ID: id, Skill: "s", Agent: "a1", Key: id, Status: proposal.StatusPendingApproval,
				Title: "proposal " + id, CreatedAt: esc0, UpdatedAt: esc0, ExpiresAt: esc0.Add(30 * 24 * time.Hour),
				Actions: []proposal.Action{}, Preview: []proposal.Change{}})
			chain := []store.ApprovalLevel{{Roles: []string{"approver"}, SLA: time.Hour}, {Users: []string{"lead"}, SLA: 2 * time.Hour}}
			if i%2 == 1 {
				chain = append(chain, store.ApprovalLevel{Roles: []string{"admin"}, SLA: 90 * time.Minute})
			}
			timeout := OnTimeoutExpire
			if i%3 == 0 {
				timeout = OnTimeoutDeny
			}
			rs = append(rs, store.ApprovalRequest{ProposalID: id, Agent: "a1", Owner: "maria", Requester: "agent:a1", Chain: chain,
				Required: 1, OnTimeout: timeout, DueAt: firstDue(i), CreatedAt: esc0, UpdatedAt: esc0})
		}
		err := st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
			if _, err := q.ProposalsInsert(ctx, &store.ProposalsInsertParams{Proposals: ps}); err != nil {
				return err
			}
			return q.ApprovalRequestsInsert(ctx, &store.ApprovalRequestsInsertParams{Requests: rs})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func staggered(i int) time.Time { return esc0.Add(time.Hour + time.Duration(i%90)*time.Minute) }

// firing is one escalation as the audit log tells it.
type firing struct {
	at, wasDue time.Time
	level      int
}

func auditFirings(t testing.TB, st store.Store) (escalations map[string][]firing, ends map[string]string) {
	t.Helper()
	escalations, ends = map[string][]firing{}, map[string]string{}
	var after int64
	for {
		es, err := st.AuditList(context.Background(), &store.AuditListParams{AfterSeq: after, Limit: 5000})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			id := strings.TrimPrefix(e.Subject, "proposal:")
			switch e.Action {
			case "approval.escalated":
				var d struct {
					ToLevel  int       `json:"to_level"`
					WasDueAt time.Time `json:"was_due_at"`
				}
				if err := json.Unmarshal(e.Data, &d); err != nil {
					t.Fatal(err)
				}
				escalations[id] = append(escalations[id], firing{at: e.At, wasDue: d.WasDueAt, level: d.ToLevel})
			case "proposal.expired", "proposal.denied":
				if ends[id] != "" {
					t.Errorf("%s ended twice: %s and %s", id, ends[id], e.Action)
				}
				ends[id] = e.Action
			}
		}
		if len(es) < 5000 {
			return escalations, ends
		}
		after = es[len(es)-1].Seq
	}
}

// TestEscalationsFireOnceAcrossRestart: 10,000 pending approvals with
// staggered timers and 2–3 level chains; sweepers (two at times) tick a controllable
// clock in 10-minute steps; half-way the store is closed and opened again.
// Every escalation fires exactly once, never before it is due and within
// one step after, and every request ends as its policy says.
func TestEscalationsFireOnceAcrossRestart(t *testing.T) {
	n := 10000
	if testing.Short() {
		n = 1000
	}
	for _, b := range reopenables() {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			open := b.newDB(t)
			st := open(t)
			seedPending(t, st, n, staggered)
			now := esc0
			clock := func() time.Time { return now }
			const step = 10 * time.Minute
			end := esc0.Add(8 * time.Hour)
			restartAt := esc0.Add(3*time.Hour + 5*time.Minute)
			tick := func(st store.Store) {
				t.Helper()
				// Two sweepers (as on two nodes) around the restart and
				// every hour; one otherwise, to keep the test quick.
				sweepers := 1
				if now.Minute() == 0 || now.Sub(restartAt).Abs() <= step {
					sweepers = 2
				}
				var wg sync.WaitGroup
				for range sweepers { // two sweepers, as on two nodes
					wg.Go(func() {
						e := &Escalator{Store: st, Now: clock, Batch: 400}
						if _, err := e.Tick(ctx); err != nil {
							t.Errorf("tick at %s: %v", now.Format(time.Kitchen), err)
						}
					})
				}
				wg.Wait()
			}
			for ; !now.After(end); now = now.Add(step) {
				if now.Equal(restartAt.Truncate(step)) {
					tick(st)
					if err := st.Close(); err != nil {
						t.Fatal(err)
					}
					st = open(t) // the restart
					continue
				}
				tick(st)
			}
			defer st.Close()
			escalations, ends := auditFirings(t, st)
			for i := range n {
				id := fmt.Sprintf("p_%06d", i)
				levels := 2 + i%2
				fs := escalations[id]
				if len(fs) != levels-1 {
					t.Fatalf("%s: %d escalations, want %d", id, len(fs), levels-1)
				}
				wantDue := staggered(i)
				for k, f := range fs {
					if f.level != k+1 {
						t.Fatalf("%s: escalation %d went to level %d", id, k, f.level)
					}
					if !f.wasDue.Equal(wantDue) {
						t.Fatalf("%s: level %d was due at %s, want %s", id, k+1, f.wasDue, wantDue)
					}
					if f.at.Before(wantDue) || f.at.Sub(wantDue) >= step {
						t.Fatalf("%s: level %d fired at %s, due %s: not on time", id, k+1, f.at, wantDue)
					}
					wantDue = f.at.Add([]time.Duration{time.Hour, 2 * time.Hour, 90 * time.Minute}[k+1])
				}
				want := "proposal.expired"
				if i%3 == 0 {
					want = "proposal.denied"
				}
				if ends[id] != want {
					t.Fatalf("%s ended %q, want %q", id, ends[id], want)
				}
			}
			left, err := st.ApprovalRequestsList(ctx, &store.ApprovalRequestsListParams{State: store.ApprovalOpen})
			if err != nil || len(left) != 0 {
				t.Fatalf("open requests left: %d, %v", len(left), err)
			}
		})
	}
}

func TestEscalatorClosesDecidedAndHonoursConflicts(t *testing.T) {
	for _, b := range reopenables() {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			st := b.newDB(t)(t)
			defer st.Close()
			seedPending(t, st, 3, func(int) time.Time { return esc0 })
			// p_000001 was approved without its request being closed.
			if _, err := st.ProposalUpdate(ctx, &store.ProposalUpdateParams{ID: "p_000001", From: proposal.StatusPendingApproval, To: proposal.StatusApproved}); err != nil {
				t.Fatal(err)
			}
			e := &Escalator{Store: st, Now: func() time.Time { return esc0.Add(time.Minute) }}
			fired, err := e.Tick(ctx)
			if err != nil || fired != 2 {
				t.Fatalf("fired %d, %v; want 2", fired, err)
			}
			r, err := st.ApprovalRequestGet(ctx, &store.ApprovalRequestGetParams{ProposalID: "p_000001"})
			if err != nil || r.State != store.ApprovalApproved || r.Level != 0 {
				t.Fatalf("decided request: %+v, %v; want closed approved at level 0", r, err)
			}
			ns, err := st.NotificationsList(ctx, &store.NotificationsListParams{ProposalID: "p_000000"})
			if err != nil || len(ns) != 1 || ns[0].To != "user:lead" {
				t.Fatalf("notifications of the escalation: %+v, %v", ns, err)
			}
			if fired, err = e.Tick(ctx); err != nil || fired != 0 {
				t.Fatalf("second tick at the same time fired %d, %v", fired, err)
			}
		})
	}
}

// BenchmarkEscalationAfterRestart: 10,000 pending approvals, all due; a
// fresh store is opened on the database (a restart) and timed until every
// due escalation has fired.
func BenchmarkEscalationAfterRestart(b *testing.B) {
	const n = 10000
	for _, be := range reopenables() {
		b.Run(be.name, func(b *testing.B) {
			ctx := context.Background()
			for b.Loop() {
				b.StopTimer()
				open := be.newDB(b)
				st := open(b)
				seedPending(b, st, n, func(int) time.Time { return esc0 })
				if err := st.Close(); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				st = open(b) // the restart
				e := &Escalator{Store: st, Now: func() time.Time { return esc0.Add(time.Minute) }}
				fired, err := e.Tick(ctx)
				if err != nil || fired != n {
					b.Fatalf("fired %d, %v; want %d", fired, err, n)
				}
				b.StopTimer()
				st.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(n), "escalations/op")
		})
	}
}
