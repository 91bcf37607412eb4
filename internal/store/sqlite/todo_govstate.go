package sqlite

import (
	"context"
	"errors"

	"github.com/towerops/tower/internal/store"
)

// errTodoGovState marks autonomy-track, change-count and setting queries
// not yet written for this backend.
var errTodoGovState = errors.New("sqlite: governance state is not implemented yet")

func (q *queries) AutonomyTracksList(ctx context.Context, p *store.AutonomyTracksListParams) ([]store.AutonomyTrack, error) {
	return nil, errTodoGovState
}

func (q *queries) AutonomyTrackPut(ctx context.Context, p *store.AutonomyTrackPutParams) error {
	return errTodoGovState
}

func (q *queries) AgentChanges(ctx context.Context, p *store.AgentChangesParams) (map[string]int, error) {
	return nil, errTodoGovState
}

func (q *queries) RecordsPerSystem(ctx context.Context) (map[string]int, error) {
	return nil, errTodoGovState
}

func (q *queries) SettingGet(ctx context.Context, p *store.SettingGetParams) (*store.Setting, error) {
	return nil, errTodoGovState
}

func (q *queries) SettingSet(ctx context.Context, p *store.SettingSetParams) error {
	return errTodoGovState
}
