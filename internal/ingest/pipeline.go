package ingest

import "context"

// pipeline overlaps reading a file with writing it. read runs in its own
// goroutine and fills a batch while write, in the caller's goroutine —
// the one that owns the transaction — stores the previous one; on two
// cores parsing then costs almost no wall time. Two batches circulate, so
// memory stays at two batches whatever the file's size.
//
// read fills the batch it is given and calls send with it when it is
// full, getting back an empty one; send reports false when the import is
// being abandoned (write failed, or ctx ended), and read must then return.
// read sends its last, partly filled batch itself. A write error stops
// the reading and is returned; otherwise read's error is.
func pipeline[T any](ctx context.Context,
	read func(ctx context.Context, b *batch[T], send func(*batch[T]) (*batch[T], bool)) error,
	write func(b *batch[T]) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	full := make(chan *batch[T])
	free := make(chan *batch[T], 1)
	free <- &batch[T]{}
	send := func(b *batch[T]) (*batch[T], bool) {
		select {
		case full <- b:
		case <-ctx.Done():
			return nil, false
		}
		select {
		case next := <-free:
			return next, true
		case <-ctx.Done():
			return nil, false
		}
	}
	readErr := make(chan error, 1)
	go func() {
		defer close(full)
		readErr <- read(ctx, &batch[T]{}, send)
	}()
	var writeErr error
	for b := range full {
		if writeErr == nil {
			if writeErr = write(b); writeErr != nil {
				cancel()
			}
		}
		b.reset()
		select {
		case free <- b:
		default:
		}
	}
	if writeErr != nil {
		return writeErr
	}
	return <-readErr
}
