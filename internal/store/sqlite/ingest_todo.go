package sqlite

import (
	"context"
	"errors"

	"github.com/towerops/tower/internal/store"
)

var errIngestTodo = errors.New("ingest store: not built yet")

func (q *queries) EventsIngest(ctx context.Context, p *store.EventsIngestParams) (*store.EventsIngestResult, error) {
	return nil, errIngestTodo
}
