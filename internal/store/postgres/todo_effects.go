package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// Placeholders for the effects part of the store contract, replaced as it is built.

var errNotEffects = errors.New("effects storage is not built yet")

var _ = time.Time{}
var _ proposal.Status

func (q *queries) FieldSet(ctx context.Context, p *store.FieldSetParams) (string, error) {
	return "", errNotEffects
}

func (q *queries) ConsentDelete(ctx context.Context, p *store.ConsentDeleteParams) (int, error) {
	return 0, errNotEffects
}

func (q *queries) TagsAdd(ctx context.Context, p *store.TagsParams) (int, error) {
	return 0, errNotEffects
}

func (q *queries) TagsRemove(ctx context.Context, p *store.TagsParams) (int, error) {
	return 0, errNotEffects
}

func (q *queries) TagsList(ctx context.Context, p *store.TagsListParams) ([]store.Tag, error) {
	return nil, errNotEffects
}

func (q *queries) TasksInsert(ctx context.Context, p *store.TasksInsertParams) error {
	return errNotEffects
}

func (q *queries) TasksDelete(ctx context.Context, p *store.TasksDeleteParams) (int, error) {
	return 0, errNotEffects
}

func (q *queries) TasksList(ctx context.Context, p *store.TasksListParams) ([]store.Task, error) {
	return nil, errNotEffects
}

func (q *queries) NotificationsInsert(ctx context.Context, p *store.NotificationsInsertParams) error {
	return errNotEffects
}

func (q *queries) NotificationsList(ctx context.Context, p *store.NotificationsListParams) ([]store.Notification, error) {
	return nil, errNotEffects
}

func (q *queries) PeopleMerge(ctx context.Context, p *store.PeopleMergeParams) (*store.PeopleMergeResult, error) {
	return nil, errNotEffects
}

func (q *queries) PeopleUnmerge(ctx context.Context, p *store.PeopleUnmergeParams) error {
	return errNotEffects
}
