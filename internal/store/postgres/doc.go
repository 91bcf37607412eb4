// Package postgres is Tower's PostgreSQL store: the backend for teams that
// run several `tower serve` nodes against one shared database.
//
// Import it for effect and open it through store.Open with a
// "postgres://USER@HOST:PORT/DB" (or "postgresql://") URL:
//
//	import _ "github.com/towerops/tower/internal/store/postgres"
//
//	st, err := store.Open(ctx, "postgres://tower@db:5432/tower")
//	...
//	_, err = st.MigrateUp(ctx)
//
// Batches are written set-wise: every statement of an upsert handles the
// whole batch at once through unnest()ed array parameters, so a batch of
// 10,000 rows costs a handful of round trips, not 10,000. Each batch runs
// in its own transaction (or a savepoint inside InTx), so a batch is
// either written whole — minus its rejected rows — or not at all.
//
// Migrations are embedded SQL files (migrations/0001_foundation.sql, ...)
// applied in one transaction under an advisory lock, so nodes starting at
// the same moment do not race each other; applied versions are recorded in
// schema_migrations.
//
// Tests of other packages get a fresh, migrated store in a schema of its
// own with NewTestStore (see testing.go).
package postgres
