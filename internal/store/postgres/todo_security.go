package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// Placeholders for the security part of the store contract, replaced as it is built.

var errNotSecurity = errors.New("security storage is not built yet")

var _ = time.Time{}
var _ proposal.Status

func (q *queries) UsersUpsert(ctx context.Context, p *store.UsersUpsertParams) error {
	return errNotSecurity
}

func (q *queries) UserGet(ctx context.Context, p *store.UserGetParams) (*store.User, error) {
	return nil, errNotSecurity
}

func (q *queries) UsersList(ctx context.Context, p *store.UsersListParams) ([]store.User, error) {
	return nil, errNotSecurity
}

func (q *queries) TokensInsert(ctx context.Context, p *store.TokensInsertParams) error {
	return errNotSecurity
}

func (q *queries) TokenGet(ctx context.Context, p *store.TokenGetParams) (*store.Token, error) {
	return nil, errNotSecurity
}

func (q *queries) TokensList(ctx context.Context, p *store.TokensListParams) ([]store.Token, error) {
	return nil, errNotSecurity
}

func (q *queries) TokenRevoke(ctx context.Context, p *store.TokenRevokeParams) error {
	return errNotSecurity
}

func (q *queries) TokenUsed(ctx context.Context, p *store.TokenUsedParams) error {
	return errNotSecurity
}

func (q *queries) AuditAppend(ctx context.Context, p *store.AuditAppendParams) ([]store.AuditEntry, error) {
	return nil, errNotSecurity
}

func (q *queries) AuditList(ctx context.Context, p *store.AuditListParams) ([]store.AuditEntry, error) {
	return nil, errNotSecurity
}
