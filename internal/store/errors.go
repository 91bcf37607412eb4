package store

import "errors"

// ErrNotFound is returned (wrapped) by Get methods when nothing matches.
var ErrNotFound = errors.New("not found")

// ErrUnknownBackend is returned by Open for a URL no backend claims.
var ErrUnknownBackend = errors.New("unknown database URL")
