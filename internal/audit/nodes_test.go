package audit_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/postgres"
)

// TestAppendsFromTwoNodes appends from two stores (two pools, as two
// tower serve nodes would have) on one PostgreSQL schema at once; the
// advisory lock must keep the log one chain.
func TestAppendsFromTwoNodes(t *testing.T) {
	t.Parallel()
	url := postgres.TestURL(t)
	var nodes []store.Store
	for range 2 {
		st, err := postgres.Open(t.Context(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		if _, err := st.MigrateUp(t.Context()); err != nil {
			t.Fatal(err)
		}
		nodes = append(nodes, st)
	}
	const perNode, perTx = 20, 3
	var wg sync.WaitGroup
	errs := make(chan error, 2*perNode)
	for n, st := range nodes {
		for i := range perNode {
			wg.Go(func() {
				errs <- st.InTx(t.Context(), func(ctx context.Context, q store.Queries) error {
					es := make([]audit.Entry, perTx)
					for j := range es {
						es[j] = audit.Entry{Actor: fmt.Sprintf("agent:node%d", n), Action: "test.append", Subject: fmt.Sprintf("tx:%d", i)}
					}
					return audit.Append(ctx, q, es...)
				})
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	rep, err := audit.Verify(t.Context(), nodes[0])
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK || rep.Checked != 2*perNode*perTx {
		t.Fatalf("after appends from two nodes: %+v %+v", rep, rep.Problem)
	}
}
