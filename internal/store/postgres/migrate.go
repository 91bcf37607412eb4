package postgres

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5/stdlib"

	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/migrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// dialect tells the shared migration runner how PostgreSQL differs.
var dialect = migrate.Dialect{
	Bind: func(n int) string { return fmt.Sprintf("$%d", n) },
	// Two nodes running CREATE TABLE IF NOT EXISTS at the same moment can
	// both pass the "not exists" check, and the loser fails on the catalog's
	// unique index; catching that makes the first start of a cluster safe.
	CreateTable: `DO $$ BEGIN
		CREATE TABLE IF NOT EXISTS schema_migrations (
			version    integer PRIMARY KEY,
			name       text NOT NULL,
			applied_at timestamptz NOT NULL
		);
	EXCEPTION WHEN unique_violation OR duplicate_table THEN NULL;
	END $$`,
	// The lock key is per schema, so two Tower workspaces in one database
	// (or parallel tests, one schema each) do not wait for each other,
	// while nodes sharing one schema apply migrations one at a time.
	Lock: `SELECT pg_advisory_xact_lock(hashtextextended('tower.migrate.' || current_schema(), 0))`,
}

// MigrateUp applies every embedded migration not yet applied, each in a
// transaction under an advisory lock: a node that starts while another is
// migrating waits, then finds nothing left to do.
func (s *Store) MigrateUp(ctx context.Context) ([]store.Migration, error) {
	files, db, err := s.migrator()
	if err != nil {
		return nil, err
	}
	defer db.Close()
	applied, err := migrate.Up(ctx, db, files, dialect)
	if err != nil {
		return applied, fmt.Errorf("postgres: migrate: %w", err)
	}
	return applied, nil
}

// MigrateStatus lists every embedded migration with whether it is applied.
func (s *Store) MigrateStatus(ctx context.Context) ([]store.Migration, error) {
	files, db, err := s.migrator()
	if err != nil {
		return nil, err
	}
	defer db.Close()
	status, err := migrate.Status(ctx, db, files, dialect)
	if err != nil {
		return nil, fmt.Errorf("postgres: migration status: %w", err)
	}
	return status, nil
}

// migrator returns the embedded files and a database/sql view of the pool
// for the shared runner; closing the view leaves the pool open.
func (s *Store) migrator() (fs.FS, *sql.DB, error) {
	files, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return nil, nil, fmt.Errorf("postgres: embedded migrations: %w", err)
	}
	return files, stdlib.OpenDBFromPool(s.pool), nil
}
