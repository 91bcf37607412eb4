package basket

import (
	"cmp"
	"slices"
	"strings"
)

// Rule says baskets holding If also tend to hold Then.
type Rule struct {
	If   []string `json:"if"`
	Then []string `json:"then"`
	// Count is how many baskets hold every item of If and Then.
	Count int `json:"baskets"`
	// Support is Count / N; IfSupport and ThenSupport are the shares of
	// baskets holding If and Then.
	Support     float64 `json:"support"`
	IfSupport   float64 `json:"if_support"`
	ThenSupport float64 `json:"then_support"`
	Confidence  float64 `json:"confidence"`
	Lift        float64 `json:"lift"`
	Leverage    float64 `json:"leverage"`
}

// RuleOptions filter the rules kept.
type RuleOptions struct {
	MinConfidence float64 // 0: any
	MinLift       float64 // 0: any; 1 keeps rules at least as likely as chance
}

// Rules splits every frequent itemset of two or more items into If → Then
// in every way (each non-empty proper subset as If) and keeps the rules
// that pass opt. Every part of a frequent itemset is frequent, so every
// support needed is known.
func (r *Result) Rules(opt RuleOptions) []Rule {
	var out []Rule
	n := float64(r.Baskets)
	for i, set := range r.sets {
		k := len(set)
		if k < 2 || k > 20 {
			continue
		}
		all := float64(r.Itemsets[i].Count) / n
		for mask := 1; mask < 1<<k-1; mask++ {
			var a, c []int
			for j, it := range set {
				if mask&(1<<j) != 0 {
					a = append(a, it)
				} else {
					c = append(c, it)
				}
			}
			sa, sc := float64(r.count[key(a)])/n, float64(r.count[key(c)])/n
			conf := all / sa
			lift := all / (sa * sc) // symmetric, so A → C and C → A tie exactly
			if conf < opt.MinConfidence || lift < opt.MinLift {
				continue
			}
			out = append(out, Rule{If: r.namesOf(a), Then: r.namesOf(c), Count: r.Itemsets[i].Count,
				Support: all, IfSupport: sa, ThenSupport: sc, Confidence: conf, Lift: lift, Leverage: all - sa*sc})
		}
	}
	slices.SortFunc(out, func(x, y Rule) int {
		return cmp.Or(cmp.Compare(y.Lift, x.Lift), cmp.Compare(y.Confidence, x.Confidence), cmp.Compare(y.Support, x.Support),
			slices.Compare(x.If, y.If), slices.Compare(x.Then, y.Then))
	})
	return out
}

func (r *Result) namesOf(set []int) []string {
	out := make([]string, len(set))
	for i, it := range set {
		out[i] = r.names[it]
	}
	return out
}

// String writes the rule as "A + B → C".
func (x Rule) String() string {
	return strings.Join(x.If, " + ") + " → " + strings.Join(x.Then, " + ")
}
