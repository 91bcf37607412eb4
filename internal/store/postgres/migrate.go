package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/towerops/tower/internal/store"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one embedded file, parsed.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded files in version order. File names are
// NNNN_name.sql; a malformed or duplicated version is a build mistake and
// fails loudly rather than being skipped.
func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("postgres: read embedded migrations: %w", err)
	}
	var out []migration
	seen := map[int]string{}
	for _, e := range entries {
		name := e.Name()
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 || !strings.HasSuffix(name, ".sql") {
			return nil, fmt.Errorf("postgres: migration file %q is not named NNNN_name.sql", name)
		}
		if prev, dup := seen[v]; dup {
			return nil, fmt.Errorf("postgres: migrations %q and %q share version %d", prev, name, v)
		}
		seen[v] = name
		body, err := migrationFiles.ReadFile("migrations/" + name)
		if err != nil {
			return nil, fmt.Errorf("postgres: read migration %s: %w", name, err)
		}
		out = append(out, migration{version: v, name: name, sql: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// The lock key is per schema, so two Tower workspaces in one database (or
// parallel tests, one schema each) do not wait for each other, while
// several nodes sharing one schema apply migrations one at a time.
const lockSQL = `SELECT pg_advisory_xact_lock(hashtextextended('tower.migrate.' || current_schema(), 0))`

const createMigrationsSQL = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    integer PRIMARY KEY,
	name       text NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now()
)`

// MigrateUp applies every embedded migration not yet applied, in one
// transaction under an advisory lock: a node that starts while another is
// migrating waits, then finds nothing left to do.
func (s *Store) MigrateUp(ctx context.Context) ([]store.Migration, error) {
	all, err := migrations()
	if err != nil {
		return nil, err
	}
	var applied []store.Migration
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, lockSQL); err != nil {
			return fmt.Errorf("lock: %w", err)
		}
		if _, err := tx.Exec(ctx, createMigrationsSQL); err != nil {
			return fmt.Errorf("create schema_migrations: %w", err)
		}
		done, err := appliedVersions(ctx, tx)
		if err != nil {
			return err
		}
		for _, m := range all {
			if _, ok := done[m.version]; ok {
				continue
			}
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return fmt.Errorf("apply %s: %w", m.name, err)
			}
			var at time.Time
			if err := tx.QueryRow(ctx,
				`INSERT INTO schema_migrations (version, name) VALUES ($1, $2) RETURNING applied_at`,
				m.version, m.name).Scan(&at); err != nil {
				return fmt.Errorf("record %s: %w", m.name, err)
			}
			applied = append(applied, store.Migration{Version: m.version, Name: m.name, Applied: true, AppliedAt: at.UTC()})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: migrate: %w", err)
	}
	return applied, nil
}

// MigrateStatus lists every embedded migration with whether it is applied.
// It only reads, so it works on a database Tower has never migrated.
func (s *Store) MigrateStatus(ctx context.Context) ([]store.Migration, error) {
	all, err := migrations()
	if err != nil {
		return nil, err
	}
	var exists bool
	if err := s.pool.QueryRow(ctx, `SELECT to_regclass('schema_migrations') IS NOT NULL`).Scan(&exists); err != nil {
		return nil, fmt.Errorf("postgres: migration status: %w", err)
	}
	done := map[int]time.Time{}
	if exists {
		if done, err = appliedVersions(ctx, s.pool); err != nil {
			return nil, fmt.Errorf("postgres: migration status: %w", err)
		}
	}
	out := make([]store.Migration, len(all))
	for i, m := range all {
		at, ok := done[m.version]
		out[i] = store.Migration{Version: m.version, Name: m.name, Applied: ok, AppliedAt: at}
	}
	return out, nil
}

func appliedVersions(ctx context.Context, db dbtx) (map[int]time.Time, error) {
	rows, err := db.Query(ctx, `SELECT version, applied_at FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	done := map[int]time.Time{}
	for rows.Next() {
		var v int
		var at time.Time
		if err := rows.Scan(&v, &at); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read schema_migrations: %w", err)
		}
		done[v] = at.UTC()
	}
	return done, rows.Err()
}
