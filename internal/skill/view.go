package skill

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// KnowledgeFunc loads one knowledge layer by name.
type KnowledgeFunc func(layer string) (any, error)

// NewView gives a skill a read-only view of r as of now. Only the Reader
// methods are reachable through it: the store's write methods are not
// promoted, so a type assertion to store.Writer fails. Dated reads are cut
// at now, and Knowledge answers only the layers in declared.
func NewView(r store.Reader, now time.Time, declared []string, knowledge KnowledgeFunc) View {
	return &view{Reader: r, now: now.UTC(), declared: declared, knowledge: knowledge}
}

type view struct {
	store.Reader
	now       time.Time
	declared  []string
	knowledge KnowledgeFunc
}

func (v *view) Now() time.Time { return v.now }

func (v *view) Knowledge(layer string) (any, error) {
	if !slices.Contains(v.declared, layer) {
		return nil, fmt.Errorf("%w: %s", ErrUndeclaredLayer, layer)
	}
	if v.knowledge == nil {
		return nil, fmt.Errorf("knowledge layer %s: no knowledge folder loaded", layer)
	}
	return v.knowledge(layer)
}

// clamp returns the earlier of until and the view's now (zero means now).
func (v *view) clamp(until time.Time) time.Time {
	if until.IsZero() || until.After(v.now) {
		return v.now
	}
	return until
}

func (v *view) EventsList(ctx context.Context, p *store.EventsListParams) ([]foundation.Event, error) {
	q := *p
	q.Until = v.clamp(p.Until)
	return v.Reader.EventsList(ctx, &q)
}

func (v *view) ConsentList(ctx context.Context, p *store.ConsentListParams) ([]foundation.Consent, error) {
	q := *p
	q.Until = v.clamp(p.Until)
	return v.Reader.ConsentList(ctx, &q)
}

func (v *view) CampaignDaysList(ctx context.Context, p *store.CampaignDaysListParams) ([]foundation.CampaignDay, error) {
	q := *p
	q.To = v.clamp(p.To)
	return v.Reader.CampaignDaysList(ctx, &q)
}

func (v *view) LastActivity(ctx context.Context, p *store.LastActivityParams) (map[int64]time.Time, error) {
	q := *p
	q.Until = v.clamp(p.Until)
	return v.Reader.LastActivity(ctx, &q)
}

// PersonGet cuts the person's consent facts at now.
func (v *view) PersonGet(ctx context.Context, p *store.PersonGetParams) (*store.PersonDetail, error) {
	d, err := v.Reader.PersonGet(ctx, p)
	if err != nil {
		return nil, err
	}
	kept := d.Consent[:0]
	for _, c := range d.Consent {
		if !c.At.After(v.now) {
			kept = append(kept, c)
		}
	}
	d.Consent = kept
	return d, nil
}

// CampaignGet cuts the campaign's days at now.
func (v *view) CampaignGet(ctx context.Context, p *store.CampaignGetParams) (*store.CampaignDetail, error) {
	d, err := v.Reader.CampaignGet(ctx, p)
	if err != nil {
		return nil, err
	}
	kept := d.Days[:0]
	for _, day := range d.Days {
		if !day.Date.After(v.now) {
			kept = append(kept, day)
		}
	}
	d.Days = kept
	return d, nil
}

// TasksList hides tasks created after now, so a simulated day does not see
// the follow-ups a later day asked for. The store cannot filter tasks by
// creation time, so the view reads them all and pages the ones it keeps;
// tasks are few next to events, and read once per run.
func (v *view) TasksList(ctx context.Context, p *store.TasksListParams) ([]store.Task, error) {
	const chunk = 5000
	var kept []store.Task
	for offset := 0; ; offset += chunk {
		q := *p
		q.Page = store.Page{Limit: chunk, Offset: offset}
		ts, err := v.Reader.TasksList(ctx, &q)
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			if !t.CreatedAt.After(v.now) {
				kept = append(kept, t)
			}
		}
		if len(ts) < chunk {
			break
		}
	}
	limit := p.Limit
	if limit <= 0 {
		limit = 100
	}
	if p.Offset >= len(kept) {
		return []store.Task{}, nil
	}
	return kept[p.Offset:min(p.Offset+limit, len(kept))], nil
}
