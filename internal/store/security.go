package store

import (
	"context"
	"time"
)

// Security stores who may do what (users, API tokens) and the audit log of
// what was done.
type Security interface {
	// UsersUpsert writes users on their natural key, the name. An empty
	// PasswordHash keeps the stored one.
	UsersUpsert(ctx context.Context, p *UsersUpsertParams) error
	// UserGet returns ErrNotFound for an unknown name.
	UserGet(ctx context.Context, p *UserGetParams) (*User, error)
	// UsersList orders by name.
	UsersList(ctx context.Context, p *UsersListParams) ([]User, error)

	// TokensInsert stores new tokens (only their hash).
	TokensInsert(ctx context.Context, p *TokensInsertParams) error
	// TokenGet finds a token by id or by hash; ErrNotFound when unknown.
	// Revoked and expired tokens are returned too: the caller decides.
	TokenGet(ctx context.Context, p *TokenGetParams) (*Token, error)
	// TokensList orders by (created_at, id).
	TokensList(ctx context.Context, p *TokensListParams) ([]Token, error)
	// TokenRevoke sets RevokedAt once; ErrNotFound when unknown.
	TokenRevoke(ctx context.Context, p *TokenRevokeParams) error
	// TokenUsed records the last use of a token (best effort, coarse).
	TokenUsed(ctx context.Context, p *TokenUsedParams) error

	// AuditAppend appends entries to the hash chain. Appends are serialised
	// across every connection and node: each entry gets the next Seq and
	// Hash = p.Hash(previous hash, entry). Call it in the same InTx as the
	// change it records.
	AuditAppend(ctx context.Context, p *AuditAppendParams) ([]AuditEntry, error)
	// AuditList orders by Seq ascending.
	AuditList(ctx context.Context, p *AuditListParams) ([]AuditEntry, error)
}

// Role is what a user or token may do.
type Role string

// Roles, from most to least powerful.
const (
	RoleAdmin     Role = "admin"     // everything, including users and tokens
	RoleArchitect Role = "architect" // agents, policies, autonomy, connectors
	RoleApprover  Role = "approver"  // decide on proposals
	RoleMarketer  Role = "marketer"  // run agents, create segments, read everything
	RoleViewer    Role = "viewer"    // read only
)

// Roles lists every role, most powerful first.
func Roles() []Role {
	return []Role{RoleAdmin, RoleArchitect, RoleApprover, RoleMarketer, RoleViewer}
}

// User is a person who signs in or owns agents.
type User struct {
	Name         string
	Email        string
	Role         Role
	PasswordHash string // never logged or printed
	Disabled     bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// UsersUpsertParams: natural key Name.
type UsersUpsertParams struct{ Users []User }

// UserGetParams finds a user by name.
type UserGetParams struct{ Name string }

// UsersListParams lists users.
type UsersListParams struct{ Page }

// Token is an API token. Only the SHA-256 hash of the secret is stored.
type Token struct {
	ID         string
	Name       string
	User       string // the user it acts for
	Role       Role   // at most the user's role
	Hash       []byte
	CreatedAt  time.Time
	ExpiresAt  time.Time // zero: never
	RevokedAt  time.Time // zero: valid
	LastUsedAt time.Time
}

// TokensInsertParams stores tokens.
type TokensInsertParams struct{ Tokens []Token }

// TokenGetParams finds a token by ID or by Hash (one of them).
type TokenGetParams struct {
	ID   string
	Hash []byte
}

// TokensListParams filters tokens.
type TokensListParams struct {
	Page
	User string
}

// TokenRevokeParams revokes a token.
type TokenRevokeParams struct {
	ID string
	At time.Time
}

// TokenUsedParams records a use.
type TokenUsedParams struct {
	ID string
	At time.Time
}

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	Seq    int64
	At     time.Time
	Actor  string // "user:NAME", "token:ID", "agent:NAME", "system"
	Action string // e.g. "proposal.created", "proposal.approved", "execution.done"
	// Subject is what it is about: "proposal:ID", "agent:NAME", "user:NAME".
	Subject string
	// Data is the entry's details as canonical JSON.
	Data     []byte
	PrevHash []byte
	Hash     []byte
}

// AuditAppendParams appends entries. Hash computes an entry's hash from
// the previous entry's hash and the entry (Seq, At, Actor, Action,
// Subject, Data set); the backend calls it while it holds the chain.
type AuditAppendParams struct {
	Entries []AuditEntry
	Hash    func(prev []byte, e AuditEntry) []byte
}

// AuditListParams filters the log.
type AuditListParams struct {
	AfterSeq int64     // entries with Seq > AfterSeq
	Since    time.Time // entries at or after
	Limit    int       // 0 means 1000
}
