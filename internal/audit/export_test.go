package audit_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/store"
)

// TestExport checks every exported line carries what recomputing its hash
// needs, byte for byte, and that since filters by time.
func TestExport(t *testing.T) {
	for name, open := range backends() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			db := open(t)
			seed(t, db.st, 20)
			var buf bytes.Buffer
			if err := audit.Export(t.Context(), db.st, time.Time{}, &buf); err != nil {
				t.Fatal(err)
			}
			stored, err := db.st.AuditList(t.Context(), &store.AuditListParams{})
			if err != nil {
				t.Fatal(err)
			}
			lines := readLines(t, buf.String())
			if len(lines) != 20 {
				t.Fatalf("exported %d lines, want 20", len(lines))
			}
			var prev []byte
			for i, l := range lines {
				e := l.Entry()
				if l.Seq != int64(i+1) || !bytes.Equal(e.PrevHash, prev) || !bytes.Equal(audit.Hash(e.PrevHash, e), e.Hash) {
					t.Fatalf("line %d does not recompute to its hash: %+v", i+1, l)
				}
				if !bytes.Equal(e.Data, stored[i].Data) {
					t.Errorf("line %d data %s, stored %s", i+1, e.Data, stored[i].Data)
				}
				prev = e.Hash
			}

			buf.Reset()
			if err := audit.Export(t.Context(), db.st, t0.Add(15*time.Minute), &buf); err != nil {
				t.Fatal(err)
			}
			since := readLines(t, buf.String())
			if len(since) != 5 || since[0].Seq != 16 {
				t.Fatalf("export since +15 min: %d lines starting at %d, want 5 from 16", len(since), since[0].Seq)
			}
		})
	}
}

func readLines(t *testing.T, s string) []audit.ExportLine {
	t.Helper()
	var out []audit.ExportLine
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		var l audit.ExportLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		if !strings.Contains(sc.Text(), `"hash":"`) {
			t.Fatalf("line %q has no hex hash", sc.Text())
		}
		out = append(out, l)
	}
	return out
}
