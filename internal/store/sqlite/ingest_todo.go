package sqlite

import (
	"context"
	"errors"

	"github.com/towerops/tower/internal/store"
)

var errIngestTodo = errors.New("ingest store: not built yet")

func (q *queries) SourcesInsert(ctx context.Context, p *store.SourcesInsertParams) error {
	return errIngestTodo
}
func (q *queries) SourceGet(ctx context.Context, p *store.SourceGetParams) (*store.Source, error) {
	return nil, errIngestTodo
}
func (q *queries) SourcesList(ctx context.Context, p *store.SourcesListParams) ([]store.Source, error) {
	return nil, errIngestTodo
}
func (q *queries) SourceRevoke(ctx context.Context, p *store.SourceRevokeParams) error {
	return errIngestTodo
}
func (q *queries) SourceUsed(ctx context.Context, p *store.SourceUsedParams) error {
	return errIngestTodo
}
func (q *queries) EventsIngest(ctx context.Context, p *store.EventsIngestParams) (*store.EventsIngestResult, error) {
	return nil, errIngestTodo
}
