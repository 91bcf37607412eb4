package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
	"time"

	"github.com/towerops/tower/internal/store"
)

// Dialect is what the runner needs to know about one database.
type Dialect struct {
	// Bind returns the n-th (1-based) bind parameter: "?" or "$1".
	Bind func(n int) string
	// CreateTable creates schema_migrations(version, name, applied_at)
	// when it does not exist (CREATE TABLE IF NOT EXISTS …).
	CreateTable string
	// Lock, when not empty, runs first in every migration transaction to
	// serialise concurrent migrators.
	Lock string
	// EncodeTime turns applied_at into a bind value; nil passes time.Time.
	EncodeTime func(time.Time) any
	// DecodeTime reads applied_at back; nil expects the driver to return time.Time.
	DecodeTime func(src any) (time.Time, error)
}

// File is one migration found in an fs.FS.
type File struct {
	Version int
	Name    string // the file name, e.g. 0001_foundation.sql
	SQL     string
}

// ErrBadMigrations is returned when the embedded files cannot be a
// migration sequence (duplicate versions). It is a build error, not a
// user error, but it is reported rather than panicking.
var ErrBadMigrations = errors.New("bad migration files")

var fileName = regexp.MustCompile(`^(\d+)_[^/]+\.sql$`)

// Load reads the migrations at the root of fsys, ordered by version.
func Load(fsys fs.FS) ([]File, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var files []File
	seen := map[int]string{}
	for _, e := range entries {
		m := fileName.FindStringSubmatch(e.Name())
		if e.IsDir() || m == nil {
			continue
		}
		v, err := strconv.Atoi(m[1])
		if err != nil || v <= 0 {
			return nil, fmt.Errorf("%w: %s: version must be a positive number", ErrBadMigrations, e.Name())
		}
		if other, dup := seen[v]; dup {
			return nil, fmt.Errorf("%w: %s and %s share version %d", ErrBadMigrations, other, e.Name(), v)
		}
		seen[v] = e.Name()
		body, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", e.Name(), err)
		}
		files = append(files, File{Version: v, Name: e.Name(), SQL: string(body)})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Version < files[j].Version })
	return files, nil
}

// Status lists every migration in fsys with whether and when it was applied.
func Status(ctx context.Context, db *sql.DB, fsys fs.FS, d Dialect) ([]store.Migration, error) {
	files, err := Load(fsys)
	if err != nil {
		return nil, err
	}
	if _, err := db.ExecContext(ctx, d.CreateTable); err != nil {
		return nil, fmt.Errorf("create schema_migrations: %w", err)
	}
	applied, err := appliedVersions(ctx, db, d)
	if err != nil {
		return nil, err
	}
	out := make([]store.Migration, len(files))
	for i, f := range files {
		at, ok := applied[f.Version]
		out[i] = store.Migration{Version: f.Version, Name: f.Name, Applied: ok, AppliedAt: at}
	}
	return out, nil
}

// Up applies, in version order, every migration in fsys not yet applied,
// each in its own transaction, and returns those it applied.
func Up(ctx context.Context, db *sql.DB, fsys fs.FS, d Dialect) ([]store.Migration, error) {
	files, err := Load(fsys)
	if err != nil {
		return nil, err
	}
	if _, err := db.ExecContext(ctx, d.CreateTable); err != nil {
		return nil, fmt.Errorf("create schema_migrations: %w", err)
	}
	var done []store.Migration
	for _, f := range files {
		m, err := apply(ctx, db, f, d)
		if err != nil {
			return done, err
		}
		if m != nil {
			done = append(done, *m)
		}
	}
	return done, nil
}

// apply runs one migration unless another migrator already has; it returns
// nil, nil when there was nothing to do.
func apply(ctx context.Context, db *sql.DB, f File, d Dialect) (_ *store.Migration, err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("migration %s: begin: %w", f.Name, err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if d.Lock != "" {
		if _, err := tx.ExecContext(ctx, d.Lock); err != nil {
			return nil, fmt.Errorf("migration %s: lock: %w", f.Name, err)
		}
	}
	var n int
	q := "SELECT count(*) FROM schema_migrations WHERE version = " + d.Bind(1)
	if err := tx.QueryRowContext(ctx, q, f.Version).Scan(&n); err != nil {
		return nil, fmt.Errorf("migration %s: check: %w", f.Name, err)
	}
	if n > 0 {
		return nil, tx.Rollback()
	}
	if _, err := tx.ExecContext(ctx, f.SQL); err != nil {
		return nil, fmt.Errorf("migration %s: %w", f.Name, err)
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	var at any = now
	if d.EncodeTime != nil {
		at = d.EncodeTime(now)
	}
	ins := fmt.Sprintf("INSERT INTO schema_migrations (version, name, applied_at) VALUES (%s, %s, %s)", d.Bind(1), d.Bind(2), d.Bind(3))
	if _, err := tx.ExecContext(ctx, ins, f.Version, f.Name, at); err != nil {
		return nil, fmt.Errorf("migration %s: record: %w", f.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("migration %s: commit: %w", f.Name, err)
	}
	return &store.Migration{Version: f.Version, Name: f.Name, Applied: true, AppliedAt: now}, nil
}

func appliedVersions(ctx context.Context, db *sql.DB, d Dialect) (map[int]time.Time, error) {
	rows, err := db.QueryContext(ctx, "SELECT version, applied_at FROM schema_migrations")
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	defer rows.Close()
	out := map[int]time.Time{}
	for rows.Next() {
		var v int
		var raw any
		if err := rows.Scan(&v, &raw); err != nil {
			return nil, fmt.Errorf("read schema_migrations: %w", err)
		}
		at, err := decode(d, raw)
		if err != nil {
			return nil, fmt.Errorf("read schema_migrations version %d: %w", v, err)
		}
		out[v] = at
	}
	return out, rows.Err()
}

func decode(d Dialect, raw any) (time.Time, error) {
	if d.DecodeTime != nil {
		return d.DecodeTime(raw)
	}
	t, ok := raw.(time.Time)
	if !ok {
		return time.Time{}, fmt.Errorf("applied_at is %T, not a time", raw)
	}
	return t.UTC(), nil
}
