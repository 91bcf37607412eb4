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
	// asking the store again; a revoked key stops working within it. An
	// unknown key is remembered as unknown as long, so a client with a
	// wrong key cannot make every request a database query. Zero means
	// DefaultKeyCacheTTL; negative asks the store on every request.
	KeyCacheTTL time.Duration
	Logger      *slog.Logger
	// Now gives the received time of events (time.Now when nil); tests fix
	// it to check clock-skew correction exactly.
	Now func() time.Time
}

// DefaultKeyCacheTTL keeps revocation prompt while sparing the store a
// query per request.
const DefaultKeyCacheTTL = 5 * time.Second

// withDefaults fills the zero values.
func (o Options) withDefaults() Options {
	if o.MaxMessageBytes <= 0 {
		o.MaxMessageBytes = DefaultMaxMessageBytes
	}
	if o.MaxBatchBytes <= 0 {
		o.MaxBatchBytes = DefaultMaxBatchBytes
	}
	if o.KeyCacheTTL == 0 {
		o.KeyCacheTTL = DefaultKeyCacheTTL
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}
