package ingest

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/towerops/tower/internal/store"
)

// Options tune an import. The zero value is a sensible default.
type Options struct {
	// Strict imports each file whole or not at all: a file with any bad
	// row (a format problem or a reference the database does not know) is
	// rolled back and nothing of it is written. Other files still import.
	// Default false: good rows are written, bad rows are reported.
	Strict bool

	// Progress, when set, is called while a file is read with the kind,
	// bytes read so far and the file's size in bytes (for templates:
	// template files done and their count). It is called after each batch
	// and once at the end of the file, from the importing goroutine.
	Progress func(kind string, done, total int64)

	// ErrorsReport is where bad rows are written as CSV (columns file,
	// line, column, reason, row). Empty means import-errors.csv in the
	// bundle folder (ImportBundle) or beside the file (ImportFile); "-"
	// writes no report. The report is only written when there are errors;
	// with the default location, a report left by an earlier import is
	// removed when this import has none, so what is on disk is never stale.
	ErrorsReport string

	// Logger receives one line per file and any warnings. Nil discards.
	Logger *slog.Logger

	// BatchSize is how many rows go to the database per call. Default
	// 1,000 on SQLite and 10,000 on PostgreSQL: SQLite's cost per batch is
	// small, while each PostgreSQL batch is a network round trip and a
	// COPY, which a 1,000,000-row import measured about 1.5 times slower
	// in batches of 1,000.
	BatchSize int

	// OnWritten, when set, is called inside each file's transaction, after
	// its rows are written and before the commit, with the kind and how
	// many rows were written. The runtime uses it to enqueue the skill runs
	// the new data triggers, so they exist if and only if the data commits.
	// An error rolls the file back.
	OnWritten func(ctx context.Context, q store.Queries, kind Kind, written int64) error

	// Now stamps events' received_at when a message does not carry one.
	// Default time.Now.
	Now func() time.Time
}

// ErrorsReportNone turns the errors report off (Options.ErrorsReport).
const ErrorsReportNone = "-"

// ErrorsReportName is the file name of the default errors report.
const ErrorsReportName = "import-errors.csv"

// maxListedErrors is how many row errors a Report keeps in memory for
// display; all of them go to the errors report file.
const maxListedErrors = 100

func (o Options) withDefaults(backend string) Options {
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 1000
		if backend == "postgres" {
			o.BatchSize = 10000
		}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// progress calls Options.Progress, never twice with the same count.
type progress struct {
	fn    func(kind string, done, total int64)
	kind  Kind
	total int64
	last  int64
}

func (p *progress) report(done int64) {
	if p.fn == nil || done == p.last {
		return
	}
	p.last = done
	p.fn(string(p.kind), done, p.total)
}
