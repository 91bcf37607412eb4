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
// # Writing
//
// Batches are written set-wise: each statement of an upsert handles the
// whole batch at once through unnest()ed array parameters, so a batch of
// 10,000 rows costs a handful of round trips, not 10,000. Each batch runs
// in its own transaction (a savepoint inside InTx), so a batch is either
// written whole — minus its rejected rows — or not at all.
//
// Records and people, the million-row kinds, take a faster path: the
// batch looks up which of its records and people exist, COPYs the new ones
// in, and updates only the known ones that changed. Should another node
// write the same new rows at the same moment, the loser's batch fails on a
// unique key and is retried from its savepoint, and then finds them; a
// deadlock between nodes is retried the same way.
//
// # Schema
//
// Migrations are embedded SQL files (migrations/0001_foundation.sql, ...)
// applied by the shared runner in internal/store/migrate, each in a
// transaction under an advisory lock keyed by schema, so nodes starting at
// the same moment apply each file once. Text columns use COLLATE "C" so
// lists sort by byte value, as they do on SQLite.
//
// # Tests
//
// Tests of any package get a fresh, migrated store in a schema of its own
// with NewTestStore, or just the URL of a fresh schema with TestURL; both
// read the server from TOWER_TEST_POSTGRES_URL (see testing.go).
package postgres
