package dedupe

import (
	"slices"

	"github.com/towerops/tower/internal/linkage"
)

// cluster is one group of people to merge, with the links that tie it.
type cluster struct {
	ids   []int64
	links []linkage.Pair
	// weakest is the lowest probability among the links that hold the
	// cluster together: the proposal is as sure as its weakest link.
	weakest float64
}

// clustersAbove splits the engine's clusters by the links at or above
// threshold (the engine clustered at the lowest threshold of the batch),
// most certain first.
func clustersAbove(res *linkage.Result, threshold float64, allowed func(linkage.Pair) bool) []cluster {
	in := map[string]int{} // record id → engine cluster
	for i, c := range res.Clusters {
		for _, id := range c {
			in[id] = i
		}
	}
	sets := unionFind[string]{}
	var kept []linkage.Pair
	for _, p := range res.Pairs {
		ca, okA := in[p.A]
		cb, okB := in[p.B]
		if !okA || !okB || ca != cb || p.Probability < threshold || !allowed(p) {
			continue
		}
		kept = append(kept, p)
		sets.union(p.A, p.B)
	}
	groups := map[string]*cluster{}
	for _, p := range kept {
		r := sets.find(p.A)
		g := groups[r]
		if g == nil {
			g = &cluster{weakest: 1}
			groups[r] = g
		}
		g.links = append(g.links, p)
	}
	var out []cluster
	for _, g := range groups {
		seen := map[int64]bool{}
		for _, l := range g.links {
			for _, id := range []string{l.A, l.B} {
				if n := personID(id); !seen[n] {
					seen[n] = true
					g.ids = append(g.ids, n)
				}
			}
		}
		slices.Sort(g.ids)
		g.weakest = spanningWeakest(g.ids, g.links)
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b cluster) int {
		if a.weakest != b.weakest {
			if a.weakest > b.weakest {
				return -1
			}
			return 1
		}
		return int(a.ids[0] - b.ids[0])
	})
	return out
}

// spanningWeakest is the weakest link of the strongest spanning tree: the
// probability the cluster stands on (links added strongest first until
// every person is joined).
func spanningWeakest(ids []int64, links []linkage.Pair) float64 {
	sorted := slices.Clone(links)
	slices.SortFunc(sorted, func(a, b linkage.Pair) int {
		switch {
		case a.Probability > b.Probability:
			return -1
		case a.Probability < b.Probability:
			return 1
		}
		return 0
	})
	sets := unionFind[int64]{}
	weakest, joined := 1.0, 1
	for _, l := range sorted {
		if !sets.union(personID(l.A), personID(l.B)) {
			continue
		}
		weakest = min(weakest, l.Probability)
		if joined++; joined == len(ids) {
			break
		}
	}
	return weakest
}

// unionFind is a disjoint-set forest over keys never seen before being
// their own set.
type unionFind[K comparable] map[K]K

func (u unionFind[K]) find(x K) K {
	p, ok := u[x]
	if !ok || p == x {
		return x
	}
	r := u.find(p)
	u[x] = r
	return r
}

// union joins the sets of a and b; false when they were one already.
func (u unionFind[K]) union(a, b K) bool {
	ra, rb := u.find(a), u.find(b)
	if ra == rb {
		return false
	}
	u[ra] = rb
	return true
}
