// Package sqlite is Tower's embedded store: one database file, no server.
//
// Open it with a path, or through store.Open with "sqlite:PATH" (relative
// or absolute; "sqlite://PATH" and "sqlite:///abs/path" work too), then
// call MigrateUp. Import the package for effect to register the backend:
//
//	import _ "github.com/towerops/tower/internal/store/sqlite"
//
// # Connections
//
// SQLite allows many readers but one writer at a time. A pool of writers
// that race for the lock turns load into "database is locked" (SQLITE_BUSY)
// errors, and a transaction that starts as a reader and later writes can
// fail that way no matter how long the busy timeout is. So a Store holds
// two pools over the same file:
//
//   - a write pool of exactly one connection. Every write and every InTx
//     runs on it, so writes queue in Go (in database/sql's pool) instead
//     of contending inside SQLite. Its transactions start with BEGIN
//     IMMEDIATE, taking the write lock up front, so even another process
//     opening the file (a second tower command) waits for busy_timeout
//     (10 s) rather than failing halfway through.
//   - a read pool of several query-only connections for Reader methods
//     called outside a transaction. WAL mode lets them read a consistent
//     snapshot while the writer works, so the console and API never wait
//     behind an import.
//
// DB returns the write pool. The River job queue's SQLite driver wants a
// *sql.DB limited to one open connection, and Tower enqueues jobs in the
// same transaction as the state that needs them; handing River this same
// pool satisfies both, and keeps River's writes in the same single queue
// as Tower's, so they cannot lock each other out either.
//
// The price of one writer: inside InTx, use only the Queries passed to fn.
// Writing through the Store itself from inside fn would wait for the one
// write connection that fn is holding, forever.
//
// # Transactions and failed batches
//
// Outside InTx every batch is a transaction of its own. Inside InTx a
// batch runs in the caller's transaction without a savepoint: a savepoint
// makes SQLite copy every page a batch touches, which doubled the cost of
// importing a file in a thousand batches. So a batch that fails (an I/O
// error, not a rejected row) fails the whole transaction: later writes
// return ErrTxFailed and InTx rolls back and returns ErrTxFailed even if
// fn returns nil. Nothing is ever half-written.
//
// # Settings
//
// Every connection runs with journal_mode=WAL, synchronous=NORMAL (safe
// in WAL: a power cut can lose the last commits but never corrupts the
// file), foreign_keys=ON and busy_timeout=10000. Temporary data is kept
// in memory. The write connection caches up to 256 MiB of pages and maps
// up to 1 GiB of the file, so a large import works in memory; SQLite
// takes that memory only as the database grows. After a checkpoint the
// WAL file is cut back to 64 MiB, so one big import does not leave a
// gigabyte-sized journal beside the database.
//
// # Storage
//
// Times are TEXT in UTC with a fixed width (2006-01-02T15:04:05.000000Z),
// so comparing text compares time; dates are TEXT (2006-01-02); a zero
// time is NULL. Traits and event JSON are TEXT.
//
// # Bulk writes
//
// A batch is written set-wise: references are checked with one lookup per
// referenced table (the keys travel as one JSON array expanded by
// json_each), people and records are resolved with one lookup each, and
// rows go in through one prepared statement reused for the whole batch.
// The shape of those statements was set by measurement on the modernc
// driver (see rowsPerInsert): four rows a statement, plain inserts as
// INSERT OR IGNORE (checked), records split into inserts of new rows and
// updates of stored ones rather than upserted. The people and records
// tables carry no foreign keys, which cost a fifth of an import; the store
// checks account_id itself and assigns person ids itself, numbering new
// people from the highest id under the write lock. BenchmarkRecordsUpsert
// measures it; on a 2-core machine a million people rows take in the
// order of 30 to 45 seconds of CPU, most of it inside SQLite.
package sqlite
