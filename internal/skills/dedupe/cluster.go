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
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		p, ok := parent[x]
		if !ok || p == x {
			return x
		}
		r := find(p)
		parent[x] = r
		return r
	}
	var kept []linkage.Pair
	for _, p := range res.Pairs {
		ca, okA := in[p.A]
		cb, okB := in[p.B]
		if !okA || !okB || ca != cb || p.Probability < threshold || !allowed(p) {
			continue
		}
		kept = append(kept, p)
		if ra, rb := find(p.A), find(p.B); ra != rb {
			parent[ra] = rb
		}
	}
	groups := map[string]*cluster{}
	for _, p := range kept {
		r := find(p.A)
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
	parent := map[int64]int64{}
	var find func(int64) int64
	find = func(x int64) int64 {
		p, ok := parent[x]
		if !ok || p == x {
			return x
		}
		r := find(p)
		parent[x] = r
		return r
	}
	weakest, joined := 1.0, 1
	for _, l := range sorted {
		a, b := find(personID(l.A)), find(personID(l.B))
		if a == b {
			continue
		}
		parent[a] = b
		weakest = min(weakest, l.Probability)
		if joined++; joined == len(ids) {
			break
		}
	}
	return weakest
}
