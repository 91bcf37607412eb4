package migrate_test

import (
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	_ "modernc.org/sqlite"

	"github.com/towerops/tower/internal/store/migrate"
)

var sqliteDialect = migrate.Dialect{
	Bind:        func(int) string { return "?" },
	CreateTable: `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`,
	EncodeTime:  func(t time.Time) any { return t.UTC().Format(time.RFC3339Nano) },
	DecodeTime: func(src any) (time.Time, error) {
		s, _ := src.(string)
		return time.Parse(time.RFC3339Nano, s)
	},
}

func openDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

func TestLoadOrdersAndFilters(t *testing.T) {
	files, err := migrate.Load(fstest.MapFS{
		"0010_later.sql":   {Data: []byte("SELECT 1")},
		"0002_second.sql":  {Data: []byte("SELECT 2")},
		"README.md":        {Data: []byte("not a migration")},
		"notes_0003.sql":   {Data: []byte("no version prefix")},
		"0001_first.sql":   {Data: []byte("SELECT 3")},
		"0004_dir.sql/x":   {Data: []byte("a directory")},
		"0005_nosuffix.tx": {Data: []byte("wrong suffix")},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, f := range files {
		got = append(got, f.Version)
	}
	if len(got) != 3 || got[0] != 1 || got[1] != 2 || got[2] != 10 {
		t.Fatalf("versions = %v, want [1 2 10]", got)
	}
	if files[0].Name != "0001_first.sql" || files[0].SQL != "SELECT 3" {
		t.Errorf("first = %+v", files[0])
	}
}

func TestLoadRejectsDuplicateVersions(t *testing.T) {
	_, err := migrate.Load(fstest.MapFS{
		"0001_a.sql": {Data: []byte("SELECT 1")},
		"001_b.sql":  {Data: []byte("SELECT 1")},
	})
	if !errors.Is(err, migrate.ErrBadMigrations) {
		t.Fatalf("err = %v, want ErrBadMigrations", err)
	}
}

func TestUpAppliesOnceInOrder(t *testing.T) {
	db := openDB(t)
	fsys := fstest.MapFS{
		"0001_t.sql": {Data: []byte("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);")},
		"0002_u.sql": {Data: []byte("INSERT INTO t SELECT x + 1 FROM t;")}, // fails if run before 0001
	}
	ctx := t.Context()
	st, err := migrate.Status(ctx, db, fsys, sqliteDialect)
	if err != nil {
		t.Fatal(err)
	}
	if len(st) != 2 || st[0].Applied || st[1].Applied {
		t.Fatalf("status before = %+v, want two unapplied", st)
	}
	done, err := migrate.Up(ctx, db, fsys, sqliteDialect)
	if err != nil {
		t.Fatal(err)
	}
	if len(done) != 2 || done[0].Version != 1 || done[1].Version != 2 {
		t.Fatalf("applied = %+v, want versions 1 and 2", done)
	}
	again, err := migrate.Up(ctx, db, fsys, sqliteDialect)
	if err != nil || len(again) != 0 {
		t.Fatalf("second Up applied %+v (err %v), want nothing", again, err)
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM t").Scan(&n); err != nil || n != 2 {
		t.Fatalf("rows in t = %d (err %v), want 2: each migration ran once", n, err)
	}
	st, err = migrate.Status(ctx, db, fsys, sqliteDialect)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range st {
		if !m.Applied || m.AppliedAt.IsZero() {
			t.Errorf("status after = %+v, want applied with a time", m)
		}
	}
}

func TestFailedMigrationLeavesNothing(t *testing.T) {
	db := openDB(t)
	fsys := fstest.MapFS{
		"0001_ok.sql":  {Data: []byte("CREATE TABLE a (x INTEGER);")},
		"0002_bad.sql": {Data: []byte("CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1);")},
	}
	ctx := t.Context()
	done, err := migrate.Up(ctx, db, fsys, sqliteDialect)
	if err == nil {
		t.Fatal("Up succeeded with a broken migration")
	}
	if len(done) != 1 || done[0].Version != 1 {
		t.Errorf("applied = %+v, want only version 1", done)
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE name = 'b'").Scan(&n); err != nil || n != 0 {
		t.Errorf("table b exists (%d, err %v): the failed migration was not rolled back", n, err)
	}
	st, err := migrate.Status(ctx, db, fsys, sqliteDialect)
	if err != nil {
		t.Fatal(err)
	}
	if !st[0].Applied || st[1].Applied {
		t.Errorf("status = %+v, want 1 applied and 2 not", st)
	}
}
