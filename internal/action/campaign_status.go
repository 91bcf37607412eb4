package action

import (
	"context"
	"fmt"
	"strings"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// CampaignStatus pauses (Status "paused") or resumes (Status "active")
// campaigns. A campaign already in that status is left alone and named in
// the result; undo restores only the campaigns this action changed.
type CampaignStatus struct {
	kind   proposal.Kind
	status string
	verb   string
}

var _ Executor = (*CampaignStatus)(nil)

func init() {
	Register(&CampaignStatus{kind: proposal.PauseCampaign, status: store.CampaignPaused, verb: "paused"})
	Register(&CampaignStatus{kind: proposal.ResumeCampaign, status: store.CampaignActive, verb: "resumed"})
}

func (e *CampaignStatus) Kind() proposal.Kind { return e.kind }

func (e *CampaignStatus) Preview(ctx context.Context, r store.Reader, a proposal.Action) ([]proposal.Change, error) {
	return previewFields(ctx, r, a.Targets, "status", e.status)
}

func (e *CampaignStatus) Execute(ctx context.Context, q store.Queries, x Context, a proposal.Action) (Outcome, error) {
	changes := []fieldChange{}
	var changed, already []string
	for _, t := range a.Targets {
		d, err := q.CampaignGet(ctx, &store.CampaignGetParams{ID: t.ID})
		if err != nil {
			return Outcome{}, err
		}
		if d.Campaign.Status == e.status {
			already = append(already, t.ID)
			continue
		}
		c, err := setFields(ctx, q, []proposal.Target{t}, "status", e.status)
		if err != nil {
			return Outcome{}, err
		}
		changes, changed = append(changes, c...), append(changed, t.ID)
	}
	var parts []string
	if len(changed) > 0 {
		parts = append(parts, fmt.Sprintf("%s %s %s", e.verb, plural(len(changed), "campaign"), strings.Join(changed, ", ")))
	}
	if len(already) > 0 {
		parts = append(parts, fmt.Sprintf("%s already %s, left as it was", strings.Join(already, ", "), e.status))
	}
	return Outcome{Result: strings.Join(parts, "; "), Undo: marshal(changes)}, nil
}

func (e *CampaignStatus) Undo(ctx context.Context, q store.Queries, x Context, undo []byte) error {
	return restoreFields(ctx, q, undo)
}
