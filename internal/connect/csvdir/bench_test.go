package csvdir_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/towerops/tower/internal/connect"
	"github.com/towerops/tower/internal/connect/connecttest"
	"github.com/towerops/tower/internal/foundation"
)

// BenchmarkPush measures one push of 500 changes (a third field updates,
// the rest suppressions) against a folder of 50,000 records: the cost is
// reading the files once and rewriting people.csv once.
func BenchmarkPush(b *testing.B) {
	dir := b.TempDir()
	var sb strings.Builder
	sb.WriteString("system,system_id,email,first_name,last_name\n")
	const n = 50000
	for i := range n {
		fmt.Fprintf(&sb, "crm,C-%d,p%d@example.com,First%d,Last\n", i, i, i)
	}
	if err := os.WriteFile(filepath.Join(dir, "people.csv"), []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	clock := connecttest.NewClock(connecttest.Start)
	c, err := openDir(dir, "crm", clock)
	if err != nil {
		b.Fatal(err)
	}
	for it := 0; b.Loop(); it++ {
		changes := make([]connect.Change, 500)
		for j := range changes {
			id := fmt.Sprintf("C-%d", (it*500+j)%n)
			if j%3 == 0 {
				changes[j] = connect.Change{Key: fmt.Sprint(it, j), Op: connect.OpUpdateField, SystemID: id, Field: "first_name", Value: fmt.Sprint("N", it)}
			} else {
				changes[j] = connect.Change{Key: fmt.Sprint(it, j), Op: connect.OpSuppress, SystemID: id, Channel: foundation.ChannelEmail,
					Status: foundation.StatusUnsubscribed, Reason: fmt.Sprint("r", it)}
			}
		}
		for _, r := range c.Push(context.Background(), changes) {
			if r.Err != nil {
				b.Fatal(r.Err)
			}
		}
		clock.Advance(1e9)
	}
}
