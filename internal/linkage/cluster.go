package linkage

import (
	"cmp"
	"context"
	"slices"
)

// cluster groups records into people from the kept pairs, strongest link
// first (pairs arrive sorted by weight). Two groups are joined only when
//   - the result has at most MaxClusterSize records, and
//   - every record of one group, compared with every record of the other,
//     has a match probability of at least MinLinkProbability.
//
// The second rule stops chaining: A≈B and B≈C do not put A with C when A
// and C are plainly different people (a parent and child at one address
// sharing a phone). A rejected link stays in Pairs; only the cluster
// ignores it. Clusters of two or more records are returned, largest first,
// each sorted by record order.
func (e *engine) cluster(ctx context.Context, pairs []scored) ([][]string, error) {
	parent := map[uint32]uint32{}
	members := map[uint32][]uint32{}
	find := func(x uint32) uint32 {
		if _, ok := parent[x]; !ok {
			parent[x] = x
			members[x] = []uint32{x}
			return x
		}
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for n, s := range pairs {
		if n%4096 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		ra, rb := find(s.i), find(s.j)
		if ra == rb {
			continue
		}
		ma, mb := members[ra], members[rb]
		if len(ma)+len(mb) > e.cfg.MaxClusterSize || !e.compatible(ma, mb) {
			continue
		}
		if len(ma) < len(mb) {
			ra, rb, ma, mb = rb, ra, mb, ma
		}
		parent[rb] = ra
		members[ra] = append(ma, mb...)
		delete(members, rb)
	}
	var out [][]uint32
	for _, m := range members {
		if len(m) > 1 {
			slices.Sort(m)
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b []uint32) int {
		if c := cmp.Compare(len(b), len(a)); c != 0 {
			return c
		}
		return cmp.Compare(a[0], b[0])
	})
	ids := make([][]string, len(out))
	for x, m := range out {
		ids[x] = make([]string, len(m))
		for y, i := range m {
			ids[x][y] = e.p.recs[i].ID
		}
	}
	return ids, nil
}

// compatible reports whether no record of a is plainly a different person
// from any record of b.
func (e *engine) compatible(a, b []uint32) bool {
	if len(a) == 1 && len(b) == 1 {
		return true // the pair itself, already above the threshold
	}
	for _, i := range a {
		for _, j := range b {
			x, y := int(min(i, j)), int(max(i, j))
			if prob(e.weight(x, y, e.p.pattern(nil, x, y))) < e.cfg.MinLinkProbability {
				return false
			}
		}
	}
	return true
}
