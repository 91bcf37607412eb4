package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/towerops/tower/internal/store"
)

// Migrate creates or updates River's tables (river_job, river_leader, ...)
// in st's database, beside Tower's own. It is idempotent, and safe when
// several processes run it at once:
//
//   - On SQLite every pending River migration is applied in one write
//     transaction (BEGIN IMMEDIATE), so a second process waits for the
//     write lock and then finds nothing to do.
//   - On PostgreSQL, River applies each migration in its own transaction
//     (some cannot share one) but takes no lock of its own, so Migrate
//     holds an advisory lock per schema on a dedicated connection while
//     River migrates through that same connection.
func Migrate(ctx context.Context, st store.Store) error {
	switch st.Backend() {
	case "sqlite":
		return migrateSQLite(ctx, st)
	case "postgres":
		s, ok := st.(pgPool)
		if !ok {
			return fmt.Errorf("%w: %T has no Pool()", ErrBackend, st)
		}
		return migratePostgres(ctx, s.Pool())
	default:
		return fmt.Errorf("%w: %q", ErrBackend, st.Backend())
	}
}

// quietLogger keeps River's per-migration info lines out of the CLI's
// output; failures come back as errors.
func quietLogger() *slog.Logger {
	return slog.New(slog.DiscardHandler)
}

func migrateSQLite(ctx context.Context, st store.Store) error {
	err := st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		tx, ok := store.DriverTx(q).(*sql.Tx)
		if !ok {
			return fmt.Errorf("%w: the SQLite store gave no *sql.Tx", ErrBackend)
		}
		m, err := rivermigrate.New(riversqlite.New(nil), &rivermigrate.Config{Logger: quietLogger()})
		if err != nil {
			return err
		}
		// MigrateTx is deprecated because some PostgreSQL migrations cannot
		// share a transaction; River's SQLite migrations can, and one
		// immediate transaction is SQLite's only lock across processes.
		_, err = m.MigrateTx(ctx, tx, rivermigrate.DirectionUp, nil) //nolint:staticcheck // see above
		return err
	})
	if err != nil {
		return fmt.Errorf("jobs: create the job queue tables: %w", err)
	}
	return nil
}

func migratePostgres(ctx context.Context, pool *pgxpool.Pool) (err error) {
	schema, err := currentSchema(ctx, pool)
	if err != nil {
		return err
	}
	// A pool of one connection: the session advisory lock taken on it
	// covers every statement the migrator runs through it.
	cfg := pool.Config().Copy()
	cfg.MinConns, cfg.MaxConns = 0, 1
	one, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("jobs: connect to migrate the job queue tables: %w", err)
	}
	defer one.Close() // closing the connection also releases the lock
	const key = `hashtextextended('tower.river_migrate.' || $1, 0)`
	if _, err := one.Exec(ctx, `SELECT pg_advisory_lock(`+key+`)`, schema); err != nil {
		return fmt.Errorf("jobs: wait for other nodes migrating the job queue tables: %w", err)
	}
	defer func() {
		if _, uerr := one.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(`+key+`)`, schema); uerr != nil && err == nil {
			err = fmt.Errorf("jobs: release the migration lock: %w", uerr)
		}
	}()
	m, err := rivermigrate.New(riverpgxv5.New(one), &rivermigrate.Config{Logger: quietLogger(), Schema: schema})
	if err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("jobs: create the job queue tables in schema %s: %w", schema, err)
	}
	return nil
}
