package store

import (
	"context"
	"time"

	"github.com/towerops/tower/internal/foundation"
)

// Ingest stores what the Segment-compatible collector receives: the
// sources allowed to send (only a hash of each write key is kept) and
// their events, with what identify, group and alias messages say about
// people.
type Ingest interface {
	// SourcesInsert stores new sources. A name already used by a source
	// that is not revoked fails with ErrConflict wrapped.
	SourcesInsert(ctx context.Context, p *SourcesInsertParams) error
	// SourceGet finds a source by ID, Name (the active one) or KeyHash;
	// ErrNotFound when unknown. Revoked sources are returned when found by
	// ID or KeyHash: the caller decides.
	SourceGet(ctx context.Context, p *SourceGetParams) (*Source, error)
	// SourcesList orders by (name, created_at); revoked ones only when asked.
	SourcesList(ctx context.Context, p *SourcesListParams) ([]Source, error)
	// SourceRevoke sets RevokedAt once; ErrNotFound when unknown.
	SourceRevoke(ctx context.Context, p *SourceRevokeParams) error
	// SourceUsed records when a source last sent (best effort, coarse).
	SourceUsed(ctx context.Context, p *SourceUsedParams) error

	// EventsIngest stores events as the collector received them, in order,
	// each at most once by MessageID (a message id already stored, or seen
	// earlier in the same call, is a duplicate and changes nothing), and
	// applies what they say about people, in the order given, so an
	// identify early in the call links a track later in it:
	//
	//   - Every message is linked to a person: by Email (an unmerged person
	//     with that normalised address), else by UserID (an identity, else a
	//     record whose system_id is the userId), else by AnonymousID (an
	//     identity). A merged person resolves to the person it was merged
	//     into.
	//   - identify: when nobody resolves and the message has an Email, a
	//     person is created (key "email:"+address, names from the traits
	//     firstName/lastName or first_name/last_name). The person's traits
	//     get the message's traits merged in (top-level keys; a newer value
	//     replaces an older one; a null removes the key) and an empty
	//     e-mail is filled. UserID and AnonymousID become identities of the
	//     person, and stored events without a person that carry either id
	//     are linked to it. An id already linked to another person stays
	//     where it is and counts in IdentityConflicts.
	//   - group: the person's account becomes GroupID when an account with
	//     that id exists (AccountsLinked); otherwise AccountsUnknown counts
	//     it and nothing else changes.
	//   - alias: UserID and PreviousID name one human. When exactly one of
	//     them resolves, the other becomes an identity of that person and
	//     its stored events without a person are linked. When both resolve
	//     to different people nothing is merged (merging people is a
	//     governed action) and IdentityConflicts counts it.
	//
	// Messages are validated by the caller; the store trusts that
	// Properties, Traits and Context are JSON objects (or nil).
	EventsIngest(ctx context.Context, p *EventsIngestParams) (*EventsIngestResult, error)
}

// Source is a website, app or server that sends events, with its write key.
type Source struct {
	ID         string // "src_…"
	Name       string
	KeyHash    []byte // SHA-256 of the write key; the key itself is never stored
	KeyHint    string // the first characters of the key, to tell keys apart
	CreatedBy  string
	CreatedAt  time.Time
	RevokedAt  time.Time // zero: active
	LastUsedAt time.Time
}

// SourcesInsertParams stores sources.
type SourcesInsertParams struct{ Sources []Source }

// SourceGetParams finds a source by one of ID, Name or KeyHash.
type SourceGetParams struct {
	ID      string
	Name    string
	KeyHash []byte
}

// SourcesListParams filters sources.
type SourcesListParams struct {
	Page
	IncludeRevoked bool
}

// SourceRevokeParams revokes a source's write key.
type SourceRevokeParams struct {
	ID string
	At time.Time
}

// SourceUsedParams records a use.
type SourceUsedParams struct {
	ID string
	At time.Time
}

// EventsIngestParams carries validated messages, each with its Source.
type EventsIngestParams struct{ Events []foundation.Event }

// EventOutcome is what happened to one message of an EventsIngest call.
type EventOutcome uint8

// Outcomes of one message.
const (
	EventStored    EventOutcome = iota + 1 // written now
	EventDuplicate                         // its message id was already stored
)

// EventsIngestResult says what one EventsIngest call did.
type EventsIngestResult struct {
	// Outcomes has one entry per input event, by index.
	Outcomes          []EventOutcome
	Stored            int
	Duplicates        int
	PeopleCreated     int // identify made a new person
	PeopleUpdated     int // identify changed a person's traits or e-mail
	IdentitiesLinked  int // userIds and anonymousIds newly linked to a person
	EventsLinked      int // stored events that got a person afterwards
	AccountsLinked    int // group set a person's account
	AccountsUnknown   int // group named an account Tower does not have
	IdentityConflicts int // an id claimed by two people; left as it was
}
