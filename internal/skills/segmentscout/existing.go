package segmentscout

import (
	"context"
	"fmt"
	"slices"

	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
)

// existing is a saved segment with its members.
type existing struct {
	seg     store.Segment
	members []int64 // ascending
}

const memberPage = 5000

// readExisting reads every saved segment and its members.
func readExisting(ctx context.Context, v skill.View) ([]existing, error) {
	var out []existing
	for offset := 0; ; offset += pageSize {
		segs, err := v.SegmentsList(ctx, &store.SegmentsListParams{Page: store.Page{Limit: pageSize, Offset: offset}})
		if err != nil {
			return nil, fmt.Errorf("reading segments: %w", err)
		}
		for _, s := range segs {
			e := existing{seg: s}
			for after := int64(0); ; {
				ids, err := v.SegmentMembers(ctx, &store.SegmentMembersParams{ID: s.ID, After: after, Limit: memberPage})
				if err != nil {
					return nil, fmt.Errorf("reading the members of segment %s: %w", s.ID, err)
				}
				e.members = append(e.members, ids...)
				if len(ids) < memberPage {
					break
				}
				after = ids[len(ids)-1]
			}
			out = append(out, e)
		}
		if len(segs) < pageSize {
			break
		}
	}
	return out, nil
}

// Coverage thresholds: a found group is not new when 80% of its members
// are already in one saved segment, or when its members and that
// segment's (among the people compared) overlap with Jaccard 0.7 or more.
const (
	coveredShare   = 0.8
	coveredJaccard = 0.7
)

// covered names the saved segment that already holds most of members, and
// says how; "" when none does. Saved segments are compared on the people
// the search looked at (active ones), since the others cannot be in a
// found group.
func covered(members []int64, saved []existing, active []int64) (string, string) {
	in := map[int64]bool{}
	for _, id := range active {
		in[id] = true
	}
	for _, e := range saved {
		inter, other := 0, 0
		for _, id := range e.members {
			if !in[id] {
				continue
			}
			if _, ok := slices.BinarySearch(members, id); ok {
				inter++
			} else {
				other++
			}
		}
		if len(members) == 0 {
			continue
		}
		share := float64(inter) / float64(len(members))
		jac := float64(inter) / float64(len(members)+other)
		if share >= coveredShare || jac >= coveredJaccard {
			return e.seg.ID, fmt.Sprintf("%.0f%% of its %d people are already in segment %s (%s); overlap (Jaccard) %.2f",
				100*share, len(members), e.seg.ID, e.seg.Name, jac)
		}
	}
	return "", ""
}
