package postgres

import (
	"context"
	"fmt"

	"github.com/towerops/tower/internal/store"
)

// guardEffect is guard for effect writes, whatever they return.
func guardEffect[P, R any](t *txQueries, ctx context.Context, p P, write func(context.Context, P) (R, error)) (R, error) {
	if t.failed != nil {
		var zero R
		return zero, fmt.Errorf("%w: %w", store.ErrTxFailed, t.failed)
	}
	r, err := write(ctx, p)
	if err != nil {
		t.failed = err
	}
	return r, err
}

// noResult adapts a write that returns only an error to guardEffect.
func noResult[P any](write func(context.Context, P) error) func(context.Context, P) (struct{}, error) {
	return func(ctx context.Context, p P) (struct{}, error) { return struct{}{}, write(ctx, p) }
}

func (t *txQueries) FieldSet(ctx context.Context, p *store.FieldSetParams) (string, error) {
	return guardEffect(t, ctx, p, t.queries.FieldSet)
}

func (t *txQueries) ConsentDelete(ctx context.Context, p *store.ConsentDeleteParams) (int, error) {
	return guardEffect(t, ctx, p, t.queries.ConsentDelete)
}

func (t *txQueries) TagsAdd(ctx context.Context, p *store.TagsParams) (int, error) {
	return guardEffect(t, ctx, p, t.queries.TagsAdd)
}

func (t *txQueries) TagsRemove(ctx context.Context, p *store.TagsParams) (int, error) {
	return guardEffect(t, ctx, p, t.queries.TagsRemove)
}

func (t *txQueries) TasksInsert(ctx context.Context, p *store.TasksInsertParams) error {
	_, err := guardEffect(t, ctx, p, noResult(t.queries.TasksInsert))
	return err
}

func (t *txQueries) TasksDelete(ctx context.Context, p *store.TasksDeleteParams) (int, error) {
	return guardEffect(t, ctx, p, t.queries.TasksDelete)
}

func (t *txQueries) NotificationsInsert(ctx context.Context, p *store.NotificationsInsertParams) error {
	_, err := guardEffect(t, ctx, p, noResult(t.queries.NotificationsInsert))
	return err
}

func (t *txQueries) PeopleMerge(ctx context.Context, p *store.PeopleMergeParams) (*store.PeopleMergeResult, error) {
	return guardEffect(t, ctx, p, t.queries.PeopleMerge)
}

func (t *txQueries) PeopleUnmerge(ctx context.Context, p *store.PeopleUnmergeParams) error {
	_, err := guardEffect(t, ctx, p, noResult(t.queries.PeopleUnmerge))
	return err
}
