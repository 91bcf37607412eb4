package action

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// Tag adds a tag to people, accounts or records. Undo removes only the
// tags this action added: a target that already had the tag keeps it.
type Tag struct{}

var _ Executor = (*Tag)(nil)

func init() { Register(&Tag{}) }

func (*Tag) Kind() proposal.Kind { return proposal.Tag }

// tagLister reads tags. Tags are part of store.Effects, not store.Reader,
// so Preview finds them on the Reader it is given (every Store has them).
type tagLister interface {
	TagsList(ctx context.Context, p *store.TagsListParams) ([]store.Tag, error)
}

// tagsOf returns the tags a target carries now.
func tagsOf(ctx context.Context, r tagLister, t proposal.Target) ([]string, error) {
	tags, err := r.TagsList(ctx, &store.TagsListParams{Entity: entityOf[t.Type], ID: t.ID, Page: store.Page{Limit: 1000}})
	if err != nil {
		return nil, err
	}
	out := make([]string, len(tags))
	for i, tg := range tags {
		out[i] = tg.Tag
	}
	return out, nil
}

func (*Tag) Preview(ctx context.Context, r store.Reader, a proposal.Action) ([]proposal.Change, error) {
	q, ok := r.(tagLister)
	if !ok {
		return nil, fmt.Errorf("tag preview: this reader cannot read tags")
	}
	tag := a.Param("tag")
	out := make([]proposal.Change, 0, len(a.Targets))
	for _, t := range a.Targets {
		have, err := tagsOf(ctx, q, t)
		if err != nil {
			return nil, err
		}
		after := have
		if !contains(have, tag) {
			after = append(append([]string(nil), have...), tag)
		}
		out = append(out, proposal.Change{Target: t, Field: "tags", Before: strings.Join(have, ", "), After: strings.Join(after, ", ")})
	}
	return out, nil
}

func (*Tag) Execute(ctx context.Context, q store.Queries, x Context, a proposal.Action) (Outcome, error) {
	tag := a.Param("tag")
	var added []store.Tag
	for _, t := range a.Targets {
		tg := store.Tag{Entity: entityOf[t.Type], ID: t.ID, Tag: tag, ProposalID: x.ProposalID, CreatedAt: x.Now}
		n, err := q.TagsAdd(ctx, &store.TagsParams{Tags: []store.Tag{tg}})
		if err != nil {
			return Outcome{}, err
		}
		if n > 0 {
			added = append(added, tg)
		}
	}
	res := fmt.Sprintf("tagged %d %s %q", len(added), plural(len(added), "target"), tag)
	if had := len(a.Targets) - len(added); had > 0 {
		res += fmt.Sprintf("; %d already had it", had)
	}
	return Outcome{Result: res, Undo: marshal(added)}, nil
}

func (*Tag) Undo(ctx context.Context, q store.Queries, x Context, undo []byte) error {
	var added []store.Tag
	if err := json.Unmarshal(undo, &added); err != nil {
		return fmt.Errorf("read undo data: %w", err)
	}
	_, err := q.TagsRemove(ctx, &store.TagsParams{Tags: added})
	return err
}

func contains(l []string, s string) bool {
	for _, v := range l {
		if v == s {
			return true
		}
	}
	return false
}
