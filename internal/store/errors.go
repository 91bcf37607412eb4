package store

import "errors"

// ErrNotFound is returned (wrapped) by Get methods when nothing matches.
var ErrNotFound = errors.New("not found")

// ErrUnknownBackend is returned by Open for a URL no backend claims.
var ErrUnknownBackend = errors.New("unknown database URL")

// ErrTxFailed is returned by writes inside InTx after an earlier write in
// the same transaction failed, and by InTx itself: once one batch fails,
// the transaction is rolled back whatever fn returns, so a caller that
// carries on after an error can never commit half of its work. Rejected
// rows are not failures; only errors returned by a write are.
var ErrTxFailed = errors.New("an earlier write in this transaction failed")
