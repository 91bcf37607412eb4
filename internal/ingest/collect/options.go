package collect

import (
	"log/slog"
	"time"
)

// Segment's documented limits, which its SDKs respect: a client that
// batches for Segment batches correctly for Tower.
const (
	DefaultMaxMessageBytes = 32 << 10
	DefaultMaxBatchBytes   = 500 << 10
)

// Defaults of the committer.
const (
	// DefaultMaxGroup bounds one transaction, so a commit (and the wait of
	// the requests in it) stays short under any load.
	DefaultMaxGroup = 5000
	// DefaultMaxPending is about one second of work at full speed: past
	// it, clients are asked to come back rather than queued in memory.
	DefaultMaxPending = 50_000
)

// Options configure a Collector. Zero values pick the defaults.
type Options struct {
	MaxMessageBytes int // per message, after decompression
	MaxBatchBytes   int // per request body, after decompression
	// KeyCacheTTL is how long a checked write key is trusted without
	// asking the store again; a revoked key stops working within it.
	KeyCacheTTL time.Duration
	Logger      *slog.Logger
	Now         func() time.Time
}
