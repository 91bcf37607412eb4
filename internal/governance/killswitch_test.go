package governance

import (
	"context"
	"testing"
	"time"

	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

func TestKillSwitch(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		if paused, err := ExecutionPaused(ctx, st); err != nil || paused {
			t.Fatalf("a new workspace is paused: %v %v", paused, err)
		}
		inTx(t, st, func(ctx context.Context, q store.Queries) error {
			return PauseAll(ctx, q, "ana", "wrong list loaded", day0)
		})
		s, err := ExecutionState(ctx, st)
		if err != nil || !s.Paused || s.By != "ana" || s.Reason != "wrong list loaded" || !s.Since.Equal(day0) {
			t.Fatalf("after pause: %+v %v", s, err)
		}
		// Pausing again keeps the first pause.
		inTx(t, st, func(ctx context.Context, q store.Queries) error {
			return PauseAll(ctx, q, "ben", "me too", day0.Add(time.Hour))
		})
		if s, _ := ExecutionState(ctx, st); s.By != "ana" || !s.Since.Equal(day0) {
			t.Errorf("a second pause replaced the first: %+v", s)
		}
		inTx(t, st, func(ctx context.Context, q store.Queries) error {
			return ResumeAll(ctx, q, "ben", day0.Add(2*time.Hour))
		})
		if paused, err := ExecutionPaused(ctx, st); err != nil || paused {
			t.Fatalf("after resume: %v %v", paused, err)
		}
		inTx(t, st, func(ctx context.Context, q store.Queries) error {
			return ResumeAll(ctx, q, "ben", day0.Add(3*time.Hour))
		})
		checkList(t, "audit", auditActions(t, st, "execution."), []string{
			"execution.paused execution <nil>", "execution.resumed execution <nil>"})
	})
}

func TestActorOf(t *testing.T) {
	for by, want := range map[string][2]string{"ana": {"user:ana", "ana"}, "user:ana": {"user:ana", "ana"}, "token:t_1": {"token:t_1", "token:t_1"}} {
		if actor, name := actorOf(by); actor != want[0] || name != want[1] {
			t.Errorf("actorOf(%q) = %q, %q; want %q", by, actor, name, want)
		}
	}
}
