package ingest

import (
	"context"
	"errors"
	"fmt"

	"github.com/towerops/tower/internal/store"
)

// errStrictRollback aborts a file's transaction in strict mode.
var errStrictRollback = errors.New("strict mode: file rolled back because of rejected rows")

// tally counts what a file's import did. The reading side and the
// writing side of a pipeline each count in fields of their own.
type tally struct {
	read, refused, seenTwice      int64 // while reading
	written, rejected, duplicates int64 // while writing
}

// batch holds the rows waiting for one store call, with what is needed to
// report a row the store rejects: its line and its raw text. The raw text
// of every row is copied into one reused buffer, which costs a memcpy per
// row and no allocation. Rows refused before the store are held too, so
// the errors report lists a file's problems in line order whichever side
// found them.
type batch[T any] struct {
	items  []T
	lines  []int64
	rawEnd []int
	raw    []byte
	errs   []RowError // rows refused by the importer, in line order
	rows   int        // rows in the batch, good or refused
	offset int64      // bytes of the file read when the batch was handed over
}

func (b *batch[T]) add(v T, line int64, raw []byte) {
	b.items = append(b.items, v)
	b.lines = append(b.lines, line)
	b.raw = append(b.raw, raw...)
	b.rawEnd = append(b.rawEnd, len(b.raw))
	b.rows++
}

// refuse holds the problems of one refused row.
func (b *batch[T]) refuse(errs ...RowError) {
	b.errs = append(b.errs, errs...)
	b.rows++
}

func (b *batch[T]) full(size int) bool { return b.rows >= size }

func (b *batch[T]) rawOf(i int) []byte {
	start := 0
	if i > 0 {
		start = b.rawEnd[i-1]
	}
	return b.raw[start:b.rawEnd[i]]
}

// flush writes the batch's good rows with write and reports every problem
// of the batch to sink, in line order. It does not empty the batch.
func (b *batch[T]) flush(ctx context.Context, file string, write func(context.Context, []T) (*store.UpsertResult, error),
	sink *errorSink, n *tally) error {
	var rejected []store.Rejection
	if len(b.items) > 0 {
		res, err := write(ctx, b.items)
		if err != nil {
			return fmt.Errorf("%s: writing the rows of lines %d–%d: %w", file, b.lines[0], b.lines[len(b.lines)-1], err)
		}
		n.written += int64(res.Written)
		n.duplicates += int64(res.Duplicates)
		rejected = res.Rejected
		for _, rj := range rejected {
			if rj.Index < 0 || rj.Index >= len(b.items) {
				return fmt.Errorf("%s: the database rejected row %d of a batch of %d", file, rj.Index, len(b.items))
			}
		}
		n.rejected += int64(len(rejected))
	}
	// Merge the two lists by line; each is already in line order (backends
	// report rejections by ascending index).
	i := 0
	for _, rj := range rejected {
		line := b.lines[rj.Index]
		for ; i < len(b.errs) && b.errs[i].Line < line; i++ {
			sink.add(b.errs[i])
		}
		sink.add(RowError{File: file, Line: line, Column: rj.Field, Reason: rj.Reason, Row: rowText(b.rawOf(rj.Index), false)})
	}
	for ; i < len(b.errs); i++ {
		sink.add(b.errs[i])
	}
	return ctx.Err()
}

// reset empties the batch for reuse, keeping its memory.
func (b *batch[T]) reset() {
	clear(b.items) // let the written values be collected
	clear(b.errs)
	b.items, b.lines, b.rawEnd, b.raw, b.errs = b.items[:0], b.lines[:0], b.rawEnd[:0], b.raw[:0], b.errs[:0]
	b.rows, b.offset = 0, 0
}

// record puts the tally in the file's report, given how the file's
// transaction ended: a strict-mode rollback leaves nothing written.
func (n *tally) record(fr *FileReport, txErr error) error {
	fr.Read, fr.Rejected = n.read, n.refused+n.rejected
	switch {
	case errors.Is(txErr, errStrictRollback):
		fr.RolledBack = true
	case txErr != nil:
		return txErr
	default:
		fr.Written, fr.Duplicates = n.written, n.seenTwice+n.duplicates
	}
	return nil
}

// loadFile runs one file's import in one transaction: read produces
// batches while the previous one is written (see pipeline), each written
// batch's rejections are mapped back to its lines, and in strict mode any
// bad row rolls the whole file back. The CSV kinds and events share it so
// a file is committed, rolled back and reported the same way whatever its
// format.
func loadFile[T any](ctx context.Context, st store.Store, name string, opts Options, fr *FileReport,
	sink *errorSink, prog *progress, n *tally,
	write func(ctx context.Context, q store.Queries, items []T) (*store.UpsertResult, error),
	read func(ctx context.Context, b *batch[T], send func(*batch[T]) (*batch[T], bool)) error) error {
	err := st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		w := func(ctx context.Context, items []T) (*store.UpsertResult, error) { return write(ctx, q, items) }
		err := pipeline(ctx, read, func(b *batch[T]) error {
			if err := b.flush(ctx, name, w, sink, n); err != nil {
				return err
			}
			prog.report(b.offset)
			return nil
		})
		if err != nil {
			return err
		}
		if opts.Strict && n.refused+n.rejected > 0 {
			return errStrictRollback
		}
		if opts.OnWritten != nil && n.written > 0 {
			// In the import's own transaction: the work the new data
			// triggers exists if and only if the data commits.
			if err := opts.OnWritten(ctx, q, fr.Kind, n.written); err != nil {
				return fmt.Errorf("enqueue the work this import triggers: %w", err)
			}
		}
		return nil
	})
	if err := n.record(fr, err); err != nil {
		return err
	}
	prog.report(prog.total)
	return nil
}
