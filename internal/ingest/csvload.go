package ingest

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/towerops/tower/internal/store"
)

// source is one file to import.
type source struct {
	path string // on disk
	name string // as reported: relative to the bundle
}

// importFile imports one CSV file in one transaction, streaming it in
// batches: memory stays at one batch of values plus the duplicate-key
// index, whatever the file's size.
func (s *csvSpec[T]) importFile(ctx context.Context, st store.Store, src source, opts Options, fr *FileReport, sink *errorSink) error {
	f, err := os.Open(src.path)
	if err != nil {
		return fmt.Errorf("opening %s: %w", src.name, err)
	}
	defer f.Close()
	prog := &progress{fn: opts.Progress, kind: s.kind}
	if fi, err := f.Stat(); err == nil {
		prog.total = fi.Size()
	}
	d, ref, err := s.newDecoder(f, src.name)
	if err != nil {
		return err
	}
	if ref != nil {
		refuse(fr, sink, src.name, ref)
		return nil
	}
	for _, w := range d.warnings {
		sink.rep.Warnings = append(sink.rep.Warnings, src.name+": "+w)
	}
	var n tally
	read := func(ctx context.Context, b *batch[T], send func(*batch[T]) (*batch[T], bool)) error {
		for {
			v, errs, err := d.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return err
			}
			n.read++
			if errs != nil {
				n.refused++
				b.refuse(errs...)
			} else {
				b.add(v, d.line(), d.raw())
			}
			if b.full(opts.BatchSize) {
				b.offset = d.offset()
				var ok bool
				if b, ok = send(b); !ok {
					return ctx.Err()
				}
			}
		}
		if b.rows > 0 {
			b.offset = d.offset()
			send(b)
		}
		return nil
	}
	return loadFile(ctx, st, src.name, opts, fr, sink, prog, &n, s.write, read)
}

// refuse records a whole-file refusal in the file's report and the
// errors report.
func refuse(fr *FileReport, sink *errorSink, name string, ref *refusal) {
	fr.Refused = ref.reason
	sink.add(RowError{File: name, Line: ref.line, Column: ref.column, Reason: ref.reason})
}
