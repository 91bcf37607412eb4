// Package migrate applies a backend's embedded schema migrations.
//
// Tower does not use goose or a similar tool (goose v3.29.0 needs a newer
// modernc.org/sqlite than the one pinned here), and the job is small: run
// each numbered SQL file once, in order, and remember it. A backend embeds
// its files and calls Up and Status:
//
//	//go:embed migrations/*.sql
//	var migrationFiles embed.FS
//
//	func (s *Store) MigrateUp(ctx context.Context) ([]store.Migration, error) {
//		files, _ := fs.Sub(migrationFiles, "migrations")
//		return migrate.Up(ctx, s.db, files, dialect)
//	}
//
// # Files
//
// Every file at the root of the fs.FS named NNNN_name.sql is a migration;
// NNNN is its version (leading zeros allowed, 1 or more, unique). Other
// files are ignored. A file is run as one Exec, so it may hold several
// statements as long as the driver executes multi-statement strings (the
// modernc SQLite driver does; pgx does when the statement has no
// arguments, which migrations never have).
//
// # What it guarantees
//
// Each migration runs in its own transaction together with the row that
// records it in schema_migrations(version, name, applied_at), so a failed
// migration leaves neither half a schema nor a false record of success.
// Before reading which versions are applied, Up runs Dialect.Lock inside
// that transaction (for PostgreSQL, SELECT pg_advisory_xact_lock(…)), so
// several nodes starting at once apply each migration exactly once; a
// SQLite backend gets the same effect by opening write transactions with
// BEGIN IMMEDIATE.
//
// # Dialects
//
// The runner writes only portable SQL; what differs between databases is
// in a small Dialect value: the bind parameter syntax, the DDL that creates
// schema_migrations, the optional lock, and how applied_at is written and
// read back (SQLite keeps times as text). pgx users can hand Up a *sql.DB
// from github.com/jackc/pgx/v5/stdlib (stdlib.OpenDBFromPool).
package migrate
