package demo

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
)

// streamCrossSell is the random stream of the cross-sell plant.
const streamCrossSell uint64 = 0x4353

// The planted pattern: Embedded is sold to teams that already run
// Pipelines and Governance (it embeds governed, piped data in their own
// product). Almost every customer holding both holds Embedded; nobody
// else does. The few customers holding both without Embedded are the
// cross-sell opportunities.
const (
	crossSellIfA  = "prod-pipelines"
	crossSellIfB  = "prod-governance"
	crossSellThen = "prod-embedded"
)

// CrossSellFact is one customer that holds the planted rule's antecedent
// but not its consequent: the product to offer it. The rule's figures are
// over customer accounts (each one basket of the products it holds), as
// they stand in holdings.csv.
type CrossSellFact struct {
	AccountID   string   `json:"account_id"`
	AccountName string   `json:"account_name"`
	OwnerID     string   `json:"owner_id"`
	Owns        []string `json:"owns"`  // product ids it holds, sorted
	Offer       string   `json:"offer"` // the product id to offer
	// RuleIf is the rule's antecedent (product ids); RuleThen its
	// consequent, the same as Offer.
	RuleIf   []string `json:"rule_if"`
	RuleThen string   `json:"rule_then"`
	// Customers is how many customer accounts the rule is measured over;
	// HoldIf how many hold the antecedent, HoldAll how many hold the
	// antecedent and the consequent, HoldThen how many hold the consequent.
	Customers  int     `json:"customers"`
	HoldIf     int     `json:"hold_if"`
	HoldAll    int     `json:"hold_all"`
	HoldThen   int     `json:"hold_then"`
	Support    float64 `json:"support"`    // HoldAll / Customers
	Confidence float64 `json:"confidence"` // HoldAll / HoldIf
	Lift       float64 `json:"lift"`       // Confidence / (HoldThen / Customers)
}

// plantCrossSell reshapes the customers' add-on holdings into the pattern
// above. Enough customers hold Pipelines and Governance for the rule to
// be clear (at least 40, or a tenth of customers): when too few do by
// chance, customers holding neither get both, so neither add-on starts
// predicting the other. Between 6 and 10 of them (one in twelve) lose
// Embedded; the rest get it; customers without both lose it.
func plantCrossSell(r *rand.Rand, w *world) {
	accIx := map[string]int{}
	var customers []int
	for i, a := range w.accounts {
		accIx[a.id] = i
		if a.stage == "customer" {
			customers = append(customers, i)
		}
	}
	if len(customers) < 20 {
		return // too small a company for a pattern anyone could learn
	}
	held := map[int]map[string]int{} // account → product → index in w.holdings
	for hi, h := range w.holdings {
		ai := accIx[h.accountID]
		if held[ai] == nil {
			held[ai] = map[string]int{}
		}
		held[ai][h.productID] = hi
	}
	for _, ai := range customers {
		if held[ai] == nil {
			held[ai] = map[string]int{}
		}
	}
	has := func(ai int, p string) bool { _, ok := held[ai][p]; return ok }
	bothOf := func() (both, neither []int) {
		for _, ai := range customers {
			switch a, b := has(ai, crossSellIfA), has(ai, crossSellIfB); {
			case a && b:
				both = append(both, ai)
			case !a && !b:
				neither = append(neither, ai)
			}
		}
		return both, neither
	}
	both, neither := bothOf()
	target := max(40, len(customers)/10)
	r.Shuffle(len(neither), func(i, j int) { neither[i], neither[j] = neither[j], neither[i] })
	var add []holding
	for _, ai := range neither[:min(len(neither), max(0, target-len(both)))] {
		add = append(add, w.addOn(r, ai, crossSellIfA), w.addOn(r, ai, crossSellIfB))
		held[ai][crossSellIfA], held[ai][crossSellIfB] = -1, -1
	}
	both, _ = bothOf()
	gaps := min(10, max(6, len(both)/12))
	r.Shuffle(len(both), func(i, j int) { both[i], both[j] = both[j], both[i] })
	gap := map[int]bool{}
	for _, ai := range both[:min(gaps, len(both))] {
		gap[ai] = true
	}
	drop := map[int]bool{} // indexes into w.holdings
	inBoth := map[int]bool{}
	for _, ai := range both {
		inBoth[ai] = true
	}
	for _, ai := range customers {
		hi, ok := held[ai][crossSellThen]
		switch {
		case inBoth[ai] && !gap[ai] && !ok:
			add = append(add, w.addOn(r, ai, crossSellThen))
		case (!inBoth[ai] || gap[ai]) && ok:
			drop[hi] = true
		}
	}
	kept := w.holdings[:0:0]
	for hi, h := range w.holdings {
		if !drop[hi] {
			kept = append(kept, h)
		}
	}
	w.holdings = append(kept, add...)
	prodIx := map[string]int{}
	for i, p := range w.products {
		prodIx[p.id] = i
	}
	slices.SortStableFunc(w.holdings, func(a, b holding) int {
		return cmp.Or(cmp.Compare(accIx[a.accountID], accIx[b.accountID]), cmp.Compare(prodIx[a.productID], prodIx[b.productID]))
	})
	w.crossSellFacts(customers, gap)
}

// addOn is a holding of add-on p for account ai shaped as genHoldings
// shapes them: after the account's core platform, a third of its seats,
// the list price give or take a fifth.
func (w *world) addOn(r *rand.Rand, ai int, p string) holding {
	core := holding{since: w.now.AddDate(0, 0, -400), seats: 3}
	for _, h := range w.holdings {
		if h.accountID == w.accounts[ai].id && h.productID == "prod-core" {
			core = h
			break
		}
	}
	price := 0.0
	for _, pr := range w.products {
		if pr.id == p {
			price = pr.price
		}
	}
	h := holding{accountID: w.accounts[ai].id, productID: p, since: core.since.AddDate(0, 0, r.IntN(300)), seats: max(1, core.seats/3)}
	if h.since.After(w.now) {
		h.since = w.now.AddDate(0, 0, -7)
	}
	h.mrr = round2(price * (0.8 + 0.4*r.Float64()))
	return h
}

// crossSellFacts measures the planted rule on the final holdings and
// records one fact per customer in gap.
func (w *world) crossSellFacts(customers []int, gap map[int]bool) {
	owns := map[string][]string{}
	for _, h := range w.holdings {
		owns[h.accountID] = append(owns[h.accountID], h.productID)
	}
	var nIf, nAll, nThen int
	for _, ai := range customers {
		ps := owns[w.accounts[ai].id]
		ifs := slices.Contains(ps, crossSellIfA) && slices.Contains(ps, crossSellIfB)
		then := slices.Contains(ps, crossSellThen)
		if ifs {
			nIf++
		}
		if then {
			nThen++
		}
		if ifs && then {
			nAll++
		}
	}
	n := len(customers)
	conf := float64(nAll) / float64(nIf)
	names := map[string]string{}
	for _, p := range w.products {
		names[p.id] = p.name
	}
	for _, ai := range customers {
		if !gap[ai] {
			continue
		}
		a := w.accounts[ai]
		ps := slices.Sorted(slices.Values(owns[a.id]))
		f := &CrossSellFact{AccountID: a.id, AccountName: a.name, OwnerID: a.ownerID, Owns: ps, Offer: crossSellThen,
			RuleIf: []string{crossSellIfA, crossSellIfB}, RuleThen: crossSellThen,
			Customers: n, HoldIf: nIf, HoldAll: nAll, HoldThen: nThen,
			Support: round6(float64(nAll) / float64(n)), Confidence: round6(conf),
			Lift: round6(conf / (float64(nThen) / float64(n)))}
		w.addFact(KindCrossSell, fmt.Sprintf("%s (%s) holds %s and %s but not %s; %d of %d customers holding both have it",
			a.id, a.name, names[crossSellIfA], names[crossSellIfB], names[crossSellThen], nAll, nIf),
			&Fact{CrossSell: f})
	}
}
