package ingest

import (
	"context"
	"errors"
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

// errStrictRollback aborts a file's transaction in strict mode.
var errStrictRollback = errors.New("strict mode: file rolled back because of rejected rows")

// batch holds the rows waiting for one store call, with what is needed to
// report a row the store rejects: its line and its raw text. The raw text
// of every row is copied into one reused buffer, which costs a memcpy per
// row and no allocation.
type batch[T any] struct {
	items  []T
	lines  []int64
	rawEnd []int
	raw    []byte
}

func (b *batch[T]) add(v T, line int64, raw []byte) {
	b.items = append(b.items, v)
	b.lines = append(b.lines, line)
	b.raw = append(b.raw, raw...)
	b.rawEnd = append(b.rawEnd, len(b.raw))
}

func (b *batch[T]) rawOf(i int) []byte {
	start := 0
	if i > 0 {
		start = b.rawEnd[i-1]
	}
	return b.raw[start:b.rawEnd[i]]
}

func (b *batch[T]) reset() {
	clear(b.items) // let the written values be collected
	b.items, b.lines, b.rawEnd, b.raw = b.items[:0], b.lines[:0], b.rawEnd[:0], b.raw[:0]
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
	var size int64
	if fi, err := f.Stat(); err == nil {
		size = fi.Size()
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
	var read, written, rejected, duplicates int64
	err = st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		b := &batch[T]{}
		flush := func() error {
			if len(b.items) == 0 {
				return nil
			}
			res, err := s.write(ctx, q, b.items)
			if err != nil {
				return fmt.Errorf("%s: writing the rows of lines %d–%d: %w", src.name, b.lines[0], b.lines[len(b.lines)-1], err)
			}
			written += int64(res.Written)
			duplicates += int64(res.Duplicates)
			for _, rj := range res.Rejected {
				if rj.Index < 0 || rj.Index >= len(b.items) {
					return fmt.Errorf("%s: the database rejected row %d of a batch of %d", src.name, rj.Index, len(b.items))
				}
				rejected++
				sink.add(RowError{File: src.name, Line: b.lines[rj.Index], Column: rj.Field, Reason: rj.Reason,
					Row: rowText(b.rawOf(rj.Index), false)})
			}
			b.reset()
			if opts.Progress != nil {
				opts.Progress(string(s.kind), d.offset(), size)
			}
			return ctx.Err()
		}
		for {
			v, errs, err := d.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return err
			}
			read++
			if errs != nil {
				rejected++
				for _, e := range errs {
					sink.add(e)
				}
				continue
			}
			b.add(v, d.line(), d.raw())
			if len(b.items) >= opts.BatchSize {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if err := flush(); err != nil {
			return err
		}
		if opts.Strict && rejected > 0 {
			return errStrictRollback
		}
		return nil
	})
	fr.Read, fr.Rejected = read, rejected
	switch {
	case errors.Is(err, errStrictRollback):
		fr.RolledBack = true
	case err != nil:
		return err
	default:
		fr.Written, fr.Duplicates = written, duplicates
	}
	if opts.Progress != nil {
		opts.Progress(string(s.kind), size, size)
	}
	return nil
}

// refuse records a whole-file refusal in the file's report and the
// errors report.
func refuse(fr *FileReport, sink *errorSink, name string, ref *refusal) {
	fr.Refused = ref.reason
	sink.add(RowError{File: name, Line: ref.line, Column: ref.column, Reason: ref.reason})
}
