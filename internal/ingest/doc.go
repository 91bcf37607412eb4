// Package ingest brings a team's data into Tower: the CSV bundle import
// behind `tower import` (this package's ImportBundle and ImportFile) and,
// beside it, the Segment-compatible HTTP ingest.
//
// # A bundle
//
// A bundle is a folder of exports named by what they hold — owners.csv,
// accounts.csv, products.csv, people.csv, consent.csv, holdings.csv,
// campaigns.csv, campaign_days.csv, licenses.csv, license_usage.csv, a
// templates/ folder and events.ndjson. ImportBundle imports the files it
// finds in that order (a row's references before the row), each file in
// its own transaction, and says which files it skipped and which were
// absent. docs/import.md describes every format for the people who make
// the exports.
//
// # Bad input is refused precisely
//
// The importer never stops at a bad row. Every problem becomes a RowError
// naming the file, the physical line the row starts on (correct even when
// a quoted value spans lines), the column and a reason saying how to fix
// it; the good rows are written. References the database does not know
// (an account_id with no account) come back from the store as
// rejections and are mapped to their line the same way. All problems go
// to an errors report, import-errors.csv beside the bundle, in line order.
// A problem with a whole file — an empty file, a missing required column,
// semicolons instead of commas, UTF-16 — refuses that file and no other.
// With Options.Strict a file with any bad row is rolled back whole.
//
// # Streaming
//
// Files are read row by row with a CSV reader of the package's own
// (csvread.go): encoding/csv loses the raw text and line of a row and
// stops at the first malformed one, both of which an import report needs.
// Rows go to the store in batches of Options.BatchSize inside the file's
// transaction, so memory stays flat whatever the file's size: two batches
// of values (one being parsed while the other is written, see
// pipeline.go), and a 128-bit hash per natural key to catch duplicates
// within a file ("duplicate id X, first on line N").
//
// # Re-import
//
// Every kind has a natural key and the store upserts on it, so importing
// the same bundle again leaves the workspace as it was. Events are
// insert-only by messageId; a message without one gets an id derived from
// its line's content, so it too is stored once however often the file is
// imported.
package ingest
