package audit_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/postgres"
	"github.com/towerops/tower/internal/store/sqlite"
)

// chainDB is a store with a real chain and a raw SQL door around it, to
// tamper the way someone with database access would.
type chainDB struct {
	st store.Store
	// exec runs SQL written with ? placeholders.
	exec func(t *testing.T, query string, args ...any)
	// at is how the backend stores a time in audit_log.at.
	at func(time.Time) any
}

func backends() map[string]func(t *testing.T) chainDB {
	return map[string]func(t *testing.T) chainDB{
		"sqlite": func(t *testing.T) chainDB {
			st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "tower.db"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			if _, err := st.MigrateUp(t.Context()); err != nil {
				t.Fatal(err)
			}
			return chainDB{st: st,
				exec: func(t *testing.T, q string, args ...any) {
					t.Helper()
					if _, err := st.DB().ExecContext(t.Context(), q, args...); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
				},
				at: func(tm time.Time) any { return tm.UTC().Format("2006-01-02T15:04:05.000000Z") },
			}
		},
		"postgres": func(t *testing.T) chainDB {
			url := postgres.TestURL(t)
			st, err := postgres.Open(t.Context(), url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			if _, err := st.MigrateUp(t.Context()); err != nil {
				t.Fatal(err)
			}
			conn, err := pgx.Connect(t.Context(), url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { conn.Close(context.Background()) })
			return chainDB{st: st,
				exec: func(t *testing.T, q string, args ...any) {
					t.Helper()
					n := 0
					var b strings.Builder
					for _, r := range q {
						if r == '?' {
							n++
							fmt.Fprintf(&b, "$%d", n)
							continue
						}
						b.WriteRune(r)
					}
					if _, err := conn.Exec(t.Context(), b.String(), args...); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
				},
				at: func(tm time.Time) any { return tm.UTC() },
			}
		},
	}
}

var t0 = time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)

// seed appends n entries the way Tower does, in transactions of 5.
func seed(t *testing.T, st store.Store, n int) {
	t.Helper()
	for i := 0; i < n; i += 5 {
		err := st.InTx(t.Context(), func(ctx context.Context, q store.Queries) error {
			var es []audit.Entry
			for j := i; j < min(i+5, n); j++ {
				es = append(es, audit.Entry{Actor: "user:ana", Action: "proposal.approved",
					Subject: fmt.Sprintf("proposal:p%d", j+1), Data: map[string]any{"n": j + 1, "note": "ok"},
					At: t0.Add(time.Duration(j) * time.Minute)})
			}
			return audit.Append(ctx, q, es...)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func entry(t *testing.T, st store.Store, seq int64) store.AuditEntry {
	t.Helper()
	es, err := st.AuditList(t.Context(), &store.AuditListParams{AfterSeq: seq - 1, Limit: 1})
	if err != nil || len(es) != 1 || es[0].Seq != seq {
		t.Fatalf("entry %d: %v %+v", seq, err, es)
	}
	return es[0]
}

// renumber adds d to the seq of every entry after seq, in two steps so
// the primary key never collides midway.
func renumber(t *testing.T, db chainDB, after, d int64) {
	db.exec(t, `UPDATE audit_log SET seq = seq + 1000000 WHERE seq > ?`, after)
	db.exec(t, `UPDATE audit_log SET seq = seq - 1000000 + ? WHERE seq > 1000000`, d)
}

func TestVerify(t *testing.T) {
	cases := []struct {
		name   string
		tamper func(t *testing.T, db chainDB)
		kind   audit.ProblemKind
		seq    int64
		msg    string
	}{
		{"intact", func(t *testing.T, db chainDB) {}, "", 0, ""},
		{"edit", func(t *testing.T, db chainDB) {
			db.exec(t, `UPDATE audit_log SET actor = 'user:mallory' WHERE seq = 41`)
		}, audit.Edited, 41, "entry 41 was edited"},
		{"edit data", func(t *testing.T, db chainDB) {
			db.exec(t, `UPDATE audit_log SET data = ? WHERE seq = 8`, []byte(`{"note":"ok","n":8}`))
		}, audit.Edited, 8, "entry 8 was edited"},
		{"edit and rehash", func(t *testing.T, db chainDB) {
			e := entry(t, db.st, 41)
			e.Subject = "proposal:forged"
			db.exec(t, `UPDATE audit_log SET subject = ?, hash = ? WHERE seq = 41`, e.Subject, audit.Hash(e.PrevHash, e))
		}, audit.Edited, 41, "entry 41 was edited"},
		{"delete", func(t *testing.T, db chainDB) {
			db.exec(t, `DELETE FROM audit_log WHERE seq = 17`)
		}, audit.Missing, 17, "entry 17 is missing"},
		{"delete three", func(t *testing.T, db chainDB) {
			db.exec(t, `DELETE FROM audit_log WHERE seq BETWEEN 17 AND 19`)
		}, audit.Missing, 17, "entries 17 to 19 are missing"},
		{"delete and renumber", func(t *testing.T, db chainDB) {
			db.exec(t, `DELETE FROM audit_log WHERE seq = 17`)
			renumber(t, db, 17, -1)
		}, audit.Missing, 17, "entry 17 is missing"},
		{"insert with a valid hash", func(t *testing.T, db chainDB) {
			prev := entry(t, db.st, 12)
			f := store.AuditEntry{Seq: 13, At: prev.At, Actor: "user:mallory", Action: "token.created",
				Subject: "user:mallory", Data: []byte(`{}`), PrevHash: prev.Hash}
			f.Hash = audit.Hash(f.PrevHash, f)
			renumber(t, db, 12, 1)
			db.exec(t, `INSERT INTO audit_log (seq, at, actor, action, subject, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
				f.Seq, db.at(f.At), f.Actor, f.Action, f.Subject, f.Data, f.PrevHash, f.Hash)
		}, audit.Inserted, 12, "an entry was inserted after 12"},
		{"insert with a made-up hash", func(t *testing.T, db chainDB) {
			renumber(t, db, 12, 1)
			db.exec(t, `INSERT INTO audit_log (seq, at, actor, action, subject, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
				13, db.at(t0), "user:mallory", "token.created", "", []byte(`{}`), []byte("x"), []byte("y"))
		}, audit.Inserted, 12, "an entry was inserted after 12"},
		{"swap", func(t *testing.T, db chainDB) {
			db.exec(t, `UPDATE audit_log SET seq = -1 WHERE seq = 30`)
			db.exec(t, `UPDATE audit_log SET seq = 30 WHERE seq = 31`)
			db.exec(t, `UPDATE audit_log SET seq = 31 WHERE seq = -1`)
		}, audit.OutOfOrder, 30, "entries 30 and 31 are out of order"},
		{"edit the first", func(t *testing.T, db chainDB) {
			db.exec(t, `UPDATE audit_log SET action = 'x' WHERE seq = 1`)
		}, audit.Edited, 1, "entry 1 was edited"},
		{"edit the last", func(t *testing.T, db chainDB) {
			db.exec(t, `UPDATE audit_log SET action = 'x' WHERE seq = 50`)
		}, audit.Edited, 50, "entry 50 was edited"},
	}
	for name, open := range backends() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					t.Parallel()
					db := open(t)
					seed(t, db.st, 50)
					tc.tamper(t, db)
					rep, err := audit.Verify(t.Context(), db.st)
					if err != nil {
						t.Fatal(err)
					}
					if tc.kind == "" {
						if !rep.OK || rep.Checked != 50 || rep.LastSeq != 50 || len(rep.LastHash) != 32 {
							t.Fatalf("intact chain: %+v", rep)
						}
						return
					}
					if rep.OK || rep.Problem == nil {
						t.Fatalf("tampering not detected: %+v", rep)
					}
					p := rep.Problem
					if p.Kind != tc.kind || p.Seq != tc.seq || !strings.Contains(p.Message, tc.msg) {
						t.Errorf("problem = %+v, want kind %s at %d saying %q", *p, tc.kind, tc.seq, tc.msg)
					}
				})
			}
		})
	}
}

// TestVerifyPages checks a chain longer than one page verifies and that a
// break right at a page boundary is still named.
func TestVerifyPages(t *testing.T) {
	t.Parallel()
	db := backends()["sqlite"](t)
	seed(t, db.st, 2005)
	rep, err := audit.Verify(t.Context(), db.st)
	if err != nil || !rep.OK || rep.Checked != 2005 {
		t.Fatalf("long chain: %+v, %v", rep, err)
	}
	db.exec(t, `UPDATE audit_log SET seq = -1 WHERE seq = 1000`)
	db.exec(t, `UPDATE audit_log SET seq = 1000 WHERE seq = 1001`)
	db.exec(t, `UPDATE audit_log SET seq = 1001 WHERE seq = -1`)
	rep, err = audit.Verify(t.Context(), db.st)
	if err != nil || rep.OK || rep.Problem.Kind != audit.OutOfOrder || rep.Problem.Seq != 1000 || rep.Checked != 999 {
		t.Fatalf("swap across a page boundary: %+v %+v, %v", rep, rep.Problem, err)
	}
}
