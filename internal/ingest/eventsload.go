package ingest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// importEvents imports events.ndjson in one transaction. Events are
// insert-only: a message id already stored, or seen earlier in the file,
// is counted as a duplicate and skipped, as Segment does with retries.
func importEvents(ctx context.Context, st store.Store, src source, opts Options, fr *FileReport, sink *errorSink) error {
	f, err := os.Open(src.path)
	if err != nil {
		return fmt.Errorf("opening %s: %w", src.name, err)
	}
	defer f.Close()
	prog := &progress{fn: opts.Progress, kind: KindEvents}
	if fi, err := f.Stat(); err == nil {
		prog.total = fi.Size()
	}
	lr := newLineReader(f)
	bom, why := skipBOM(lr.br)
	if why != "" {
		refuse(fr, sink, src.name, &refusal{reason: why})
		return nil
	}
	lr.off = int64(bom)
	now := opts.Now()
	var n tally
	write := func(ctx context.Context, q store.Queries, items []foundation.Event) (*store.UpsertResult, error) {
		return q.EventsInsert(ctx, &store.EventsInsertParams{Events: items})
	}
	read := func(ctx context.Context, b *batch[foundation.Event], send func(*batch[foundation.Event]) (*batch[foundation.Event], bool)) error {
		seen := newDedupe()
		for {
			line, err := lr.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return fmt.Errorf("reading %s: %w", src.name, err)
			}
			if lr.over == 0 && len(bytes.TrimSpace(line)) == 0 {
				continue
			}
			n.read++
			if lr.over > 0 {
				n.refused++
				b.refuse(RowError{File: src.name, Line: lr.line, Reason: fmt.Sprintf("the line is %s; the limit is %s per message",
					sizeText(lr.over), sizeText(maxLineBytes)), Row: rowText(lr.buf, true)})
			} else if e, p := parseEvent(line, now); p != nil {
				n.refused++
				b.refuse(RowError{File: src.name, Line: lr.line, Column: p.column, Reason: p.reason, Row: rowText(line, false)})
			} else {
				seen.add(e.MessageID)
				if seen.seen(lr.line) != 0 {
					n.seenTwice++
					continue
				}
				b.add(e, lr.line, line)
			}
			if b.full(opts.BatchSize) {
				b.offset = lr.off
				var ok bool
				if b, ok = send(b); !ok {
					return ctx.Err()
				}
			}
		}
		if b.rows > 0 {
			b.offset = lr.off
			send(b)
		}
		return nil
	}
	return loadFile(ctx, st, src.name, opts, fr, sink, prog, &n, write, read)
}
