package store

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/towerops/tower/internal/foundation"
)

// Segment is a saved audience: a rule in Tower's segment language
// (package segment) whose members the database computes and keeps.
type Segment struct {
	ID          string // a slug: lower-case letters, digits and hyphens
	Name        string
	Rule        string
	Description string
	CreatedBy   string // "user:NAME" or "agent:NAME"
	ProposalID  string // the proposal that created it, if any
	CreatedAt   time.Time
	UpdatedAt   time.Time
	// RefreshedAt is when membership was last computed (zero: never);
	// AsOf the clock the rule was evaluated at (it differs from
	// RefreshedAt when a refresh is run for another day).
	RefreshedAt time.Time
	AsOf        time.Time
	Size        int64
	// EventsMark is the highest event id the last refresh saw, and
	// PeopleMark the latest person change; an incremental refresh looks
	// only at people with newer events or changes.
	EventsMark int64
	PeopleMark time.Time
	// RefreshedRule is the rule the members were computed with; when the
	// rule has changed since, the next refresh is full.
	RefreshedRule string
}

// SegmentReader is what skills may read about segments (it is part of
// Reader).
type SegmentReader interface {
	// SegmentGet returns one segment; ErrNotFound when there is none.
	SegmentGet(ctx context.Context, p *SegmentGetParams) (*Segment, error)
	// SegmentsList orders by id.
	SegmentsList(ctx context.Context, p *SegmentsListParams) ([]Segment, error)
	// SegmentMembers lists member person ids in ascending order, from
	// After (exclusive) — keyset paging, so exports of millions stay fast.
	// Limit 0 means 100.
	SegmentMembers(ctx context.Context, p *SegmentMembersParams) ([]int64, error)
	// SegmentPeople pages through members like SegmentMembers, with each
	// person's contact fields (for exports); traits are left out.
	SegmentPeople(ctx context.Context, p *SegmentMembersParams) ([]foundation.Person, error)
	// SegmentPreview evaluates a rule without saving it: how many people
	// match and the first Sample of them by id. A rule that does not
	// compile is an error wrapping segment.ErrRule.
	SegmentPreview(ctx context.Context, p *SegmentPreviewParams) (*SegmentPreviewResult, error)
}

// Segments writes segments. The rule is compiled to SQL by the store
// (with package segment), so membership is computed where the data is.
type Segments interface {
	// SegmentSave creates a segment, or changes the name, rule and
	// description of an existing one (membership is then stale until the
	// next refresh). A rule that does not compile is refused (the error
	// wraps segment.ErrRule).
	SegmentSave(ctx context.Context, p *SegmentSaveParams) (*Segment, error)
	// SegmentDelete removes a segment and its members; ErrNotFound when
	// there is none.
	SegmentDelete(ctx context.Context, p *SegmentGetParams) error
	// SegmentRefresh recomputes membership as of p.Now: fully, or only for
	// people whose events or fields changed since the last refresh (and
	// the current members, for rules whose answer moves with the clock).
	// An incremental refresh of a rule the clock alone can add people to,
	// or of a segment never refreshed, is done fully and says so.
	SegmentRefresh(ctx context.Context, p *SegmentRefreshParams) (*SegmentRefreshResult, error)
}

// SegmentGetParams names a segment.
type SegmentGetParams struct{ ID string }

// SegmentsListParams lists segments.
type SegmentsListParams struct{ Page }

// SegmentMembersParams pages through a segment's members.
type SegmentMembersParams struct {
	ID    string
	After int64
	Limit int
}

// SegmentSaveParams creates or changes a segment.
type SegmentSaveParams struct {
	ID, Name, Rule, Description string
	CreatedBy, ProposalID       string
	Now                         time.Time
}

// SegmentRefreshParams refreshes one segment as of Now.
type SegmentRefreshParams struct {
	ID   string
	Full bool
	Now  time.Time
}

// SegmentRefreshResult says what a refresh did.
type SegmentRefreshResult struct {
	Segment Segment
	Full    bool
	// Why is set when an incremental refresh was done fully.
	Why      string
	Checked  int64 // people evaluated (all people on a full refresh)
	Added    int64
	Removed  int64
	Duration time.Duration
}

// SegmentPreviewParams evaluates a rule as of Now.
type SegmentPreviewParams struct {
	Rule   string
	Now    time.Time
	Sample int
}

// SegmentPreviewResult is a rule's current audience.
type SegmentPreviewResult struct {
	Size   int64
	Sample []int64
}

// segmentID is a segment id: a slug that reads well in URLs and commands.
var segmentID = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// Validate checks a save before the rule is compiled.
func (p *SegmentSaveParams) Validate() error {
	if !segmentID.MatchString(p.ID) {
		return fmt.Errorf("segment id %q: use lower-case letters, digits and hyphens (up to 63), like \"logistics-ops\"", p.ID)
	}
	if strings.TrimSpace(p.Name) == "" {
		return fmt.Errorf("segment %s: a name is needed", p.ID)
	}
	return nil
}
