package action

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// CreateSegment saves a segment and computes its members in the
// database. Running it again (a retry) finds the segment it made and only
// refreshes it; a segment of the same id with another rule is left alone
// and the action fails, so an agent never rewrites someone's audience.
// Undo deletes the segment when this action created it.
type CreateSegment struct{}

var _ Executor = (*CreateSegment)(nil)

func init() { Register(&CreateSegment{}) }

func (*CreateSegment) Kind() proposal.Kind { return proposal.CreateSegment }

// segmentOf reads the id and name from the target, else the params.
func segmentOf(a proposal.Action) (id, name string) {
	id = a.Param("segment")
	if len(a.Targets) == 1 {
		id, name = a.Targets[0].ID, a.Targets[0].Label
	}
	if n := a.Param("name"); n != "" {
		name = n
	}
	if name == "" {
		name = id
	}
	return id, name
}

func (*CreateSegment) Preview(ctx context.Context, r store.Reader, a proposal.Action) ([]proposal.Change, error) {
	id, _ := segmentOf(a)
	res, err := r.SegmentPreview(ctx, &store.SegmentPreviewParams{Rule: a.Param("rule")})
	if err != nil {
		return nil, fmt.Errorf("segment %s: %w", id, err)
	}
	before := "(none)"
	if old, err := r.SegmentGet(ctx, &store.SegmentGetParams{ID: id}); err == nil {
		before = fmt.Sprintf("%s (%d people)", old.Rule, old.Size)
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	return []proposal.Change{{Target: proposal.Target{Type: proposal.TargetSegment, ID: id}, Field: "segment",
		Before: before, After: fmt.Sprintf("%s (%d people today)", a.Param("rule"), res.Size)}}, nil
}

// segmentUndo says whether the action created the segment.
type segmentUndo struct {
	ID      string `json:"id"`
	Created bool   `json:"created"`
}

func (*CreateSegment) Execute(ctx context.Context, q store.Queries, x Context, a proposal.Action) (Outcome, error) {
	id, name := segmentOf(a)
	rule := a.Param("rule")
	created := true
	old, err := q.SegmentGet(ctx, &store.SegmentGetParams{ID: id})
	switch {
	case err == nil && old.Rule != rule:
		return Outcome{}, fmt.Errorf("segment %s already exists with another rule (%s); choose another id or change it by hand", id, old.Rule)
	case err == nil && old.ProposalID != x.ProposalID:
		created = false
	case err == nil:
		// A retry of this action: the segment is ours.
	case !errors.Is(err, store.ErrNotFound):
		return Outcome{}, err
	default:
		if _, err := q.SegmentSave(ctx, &store.SegmentSaveParams{ID: id, Name: name, Rule: rule, Description: a.Param("description"),
			CreatedBy: "agent:" + x.Agent, ProposalID: x.ProposalID, Now: x.Now}); err != nil {
			return Outcome{}, err
		}
	}
	res, err := q.SegmentRefresh(ctx, &store.SegmentRefreshParams{ID: id, Full: true, Now: x.Now})
	if err != nil {
		return Outcome{}, err
	}
	undo, _ := json.Marshal(segmentUndo{ID: id, Created: created})
	verb := "created"
	if !created {
		verb = "found existing"
	}
	people := "people"
	if res.Segment.Size == 1 {
		people = "person"
	}
	return Outcome{Result: fmt.Sprintf("%s segment %s with %d %s", verb, id, res.Segment.Size, people),
		Undo: undo}, nil
}

func (*CreateSegment) Undo(ctx context.Context, q store.Queries, x Context, undo []byte) error {
	var u segmentUndo
	if err := json.Unmarshal(undo, &u); err != nil {
		return fmt.Errorf("create_segment undo: %w", err)
	}
	if !u.Created {
		return nil
	}
	err := q.SegmentDelete(ctx, &store.SegmentGetParams{ID: u.ID})
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}
