package connect

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"
)

// RetryError is a failure that may pass: the remote side was rate
// limiting (429), failing (5xx), unreachable or slow. After is how long
// the remote side asked us to wait (Retry-After); zero when it did not say.
type RetryError struct {
	Err   error
	After time.Duration
}

func (e *RetryError) Error() string {
	if e.After > 0 {
		return fmt.Sprintf("%v (retry after %s)", e.Err, e.After)
	}
	return e.Err.Error()
}

func (e *RetryError) Unwrap() error { return e.Err }

// Temporary wraps err as worth retrying after (0: as backoff decides).
func Temporary(err error, after time.Duration) error {
	return &RetryError{Err: err, After: after}
}

// Retryable reports whether err may pass on a later attempt, and how long
// the remote side asked to wait. Timeouts and network errors are
// retryable even when not wrapped by Temporary; context cancellation of
// the caller's own context is not.
func Retryable(err error) (time.Duration, bool) {
	if err == nil {
		return 0, false
	}
	var re *RetryError
	if errors.As(err, &re) {
		return re.After, true
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return 0, true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return 0, true
	}
	return 0, false
}

// ErrUnsupported is returned (wrapped) for an operation a connector does
// not support; it is permanent.
var ErrUnsupported = errors.New("not supported by this connector")

// Unsupported is the permanent error for op on kind, with what to do instead.
func Unsupported(kind string, op Op, instead string) error {
	if instead == "" {
		return fmt.Errorf("%s: %s: %w", kind, op, ErrUnsupported)
	}
	return fmt.Errorf("%s: %s: %w; %s", kind, op, ErrUnsupported, instead)
}
