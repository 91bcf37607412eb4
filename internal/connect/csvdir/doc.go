// Package csvdir connects Tower to a folder of CSV files in Tower's own
// import formats (docs/import.md): people.csv and consent.csv. It is the
// connector for a system that exchanges files rather than API calls — a
// nightly export dropped on a share, a folder another Tower imports.
//
// A pull reads the folder's people.csv into records and its consent.csv
// into consent facts, taking the rows of the configured system. A bad row
// is skipped and reported (file, line, column, reason) in a *BadRowsError
// returned after everything good was emitted, so one typo never hides the
// rest of the folder.
//
// A push writes back in the same formats, so the folder can be imported
// elsewhere:
//
//   - suppress and unsuppress append a row to consent.csv;
//   - update_field rewrites the record's row of people.csv, through a
//     temporary file renamed over the old one, so a reader never sees half
//     a file;
//   - merge appends system_id, into_id, key, at to merges.csv.
//
// A change already in the files is not written again: a consent fact with
// the same subject, channel, status and reason as the newest one, a field
// that already holds the value, a merge whose key or pair is already
// listed. Pushing twice therefore writes once.
//
// Configuration (connectors/NAME.toml):
//
//	kind   = "csvdir"
//	dir    = "exchange/crm"   # relative to the folder holding connectors/
//	system = "crm"            # the system column of the rows it owns
//
// One Tower process writes a folder at a time: pushes are serialised
// inside the process, not across processes.
package csvdir
