package crosssell

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/towerops/tower/internal/basket"
	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// Options are the thresholds a rule must pass.
type Options struct {
	MinSupport    float64 // share of customers holding the whole rule
	MinConfidence float64 // share of customers with the first part that hold the product
	MinLift       float64 // confidence over the product's share among all customers
	MinAccounts   int     // customers holding the whole rule
}

// Input is what the skill reads.
type Input struct {
	Accounts  []foundation.Account
	Products  []foundation.Product
	Holdings  []foundation.Holding
	OpenTasks []store.Task
}

// Opportunity is one customer to offer one product.
type Opportunity struct {
	Account foundation.Account
	Product foundation.Product
	// Owns are the products the account holds, by name.
	Owns []foundation.Product
	// Rule is the rule that predicts the product (If and Then are
	// product ids); Customers how many customers it was measured over.
	Rule      basket.Rule
	Customers int
	// HoldIf is how many customers hold the rule's first part.
	HoldIf int
	// TypicalMRR is the median monthly revenue of the customers holding
	// the product (its list price when nobody pays for it yet).
	TypicalMRR float64
}

// Value is the opportunity's expected monthly revenue: what similar
// customers pay × the chance the rule is right.
func (o Opportunity) Value() float64 { return o.TypicalMRR * o.Rule.Confidence }

// Report is one run's findings.
type Report struct {
	Customers     int
	Rules         []basket.Rule // single-product rules that passed, best first
	Opportunities []Opportunity // one per account, most valuable first
	HeldBack      int           // opportunities with an open task already
}

// isCustomer: a current customer. Churned accounts are neither learned
// from nor offered anything; prospects hold nothing yet.
func isCustomer(a foundation.Account) bool {
	return strings.EqualFold(a.LifecycleStage, "customer")
}

// Find mines the customers' holdings and lists the opportunities.
func Find(ctx context.Context, in *Input, opt Options) (*Report, error) {
	accounts := map[string]foundation.Account{}
	for _, a := range in.Accounts {
		if isCustomer(a) {
			accounts[a.ID] = a
		}
	}
	products := map[string]foundation.Product{}
	for _, p := range in.Products {
		products[p.ID] = p
	}
	b := basket.NewBuilder(nil)
	owns := map[string]map[string]bool{}
	mrr := map[string][]float64{}
	for _, h := range in.Holdings {
		if _, ok := accounts[h.AccountID]; !ok {
			continue
		}
		b.Add(h.AccountID, h.ProductID, 1)
		if owns[h.AccountID] == nil {
			owns[h.AccountID] = map[string]bool{}
		}
		owns[h.AccountID][h.ProductID] = true
		if h.MRR > 0 {
			mrr[h.ProductID] = append(mrr[h.ProductID], h.MRR)
		}
	}
	tx := b.Build()
	rep := &Report{Customers: tx.Len()}
	if tx.Len() == 0 {
		return rep, nil
	}
	res, err := basket.Mine(ctx, tx, basket.Options{MinSupport: opt.MinSupport})
	if err != nil {
		return nil, fmt.Errorf("learning from %d customers' holdings: %w", tx.Len(), err)
	}
	for _, r := range res.Rules(basket.RuleOptions{MinConfidence: opt.MinConfidence, MinLift: opt.MinLift}) {
		if len(r.Then) == 1 && r.Count >= opt.MinAccounts {
			rep.Rules = append(rep.Rules, r)
		}
	}
	open := openOffers(in.OpenTasks)
	// First the best rule for each account and product, then the best
	// product for each account.
	perProduct := map[[2]string]Opportunity{}
	for _, id := range tx.IDs {
		held := owns[id]
		for _, r := range rep.Rules {
			p := r.Then[0]
			if held[p] || !holdsAll(held, r.If) {
				continue
			}
			o := Opportunity{Account: accounts[id], Product: product(products, p), Rule: r, Customers: tx.Len(),
				HoldIf: int(r.IfSupport*float64(tx.Len()) + 0.5), TypicalMRR: median(mrr[p])}
			if o.TypicalMRR == 0 {
				o.TypicalMRR = o.Product.ListPrice
			}
			k := [2]string{id, p}
			if cur, ok := perProduct[k]; !ok || better(o, cur) {
				perProduct[k] = o
			}
		}
	}
	best := map[string]Opportunity{}
	for k, o := range perProduct {
		if cur, ok := best[k[0]]; !ok || better(o, cur) {
			best[k[0]] = o
		}
	}
	for id, o := range best {
		if open[id+"\x00"+title(o)] {
			rep.HeldBack++
			continue
		}
		for p := range owns[id] {
			o.Owns = append(o.Owns, product(products, p))
		}
		slices.SortFunc(o.Owns, func(a, b foundation.Product) int { return cmp.Compare(a.Name, b.Name) })
		rep.Opportunities = append(rep.Opportunities, o)
	}
	slices.SortFunc(rep.Opportunities, func(a, b Opportunity) int {
		return cmp.Or(cmp.Compare(b.Value(), a.Value()), cmp.Compare(a.Account.ID, b.Account.ID))
	})
	return rep, nil
}

// better orders two opportunities for one account: the more valuable
// product first; for the same product, the rule with the shorter first
// part (a longer one that looks surer is most often a small slice of the
// same customers, sure by chance), then the surer one; then ids, so runs
// agree.
func better(a, b Opportunity) bool {
	if a.Product.ID == b.Product.ID {
		return cmp.Or(cmp.Compare(len(a.Rule.If), len(b.Rule.If)), cmp.Compare(b.Rule.Confidence, a.Rule.Confidence),
			slices.Compare(a.Rule.If, b.Rule.If)) < 0
	}
	return cmp.Or(cmp.Compare(b.Value(), a.Value()), cmp.Compare(b.Rule.Confidence, a.Rule.Confidence),
		cmp.Compare(a.Product.ID, b.Product.ID)) < 0
}

func holdsAll(held map[string]bool, ids []string) bool {
	for _, id := range ids {
		if !held[id] {
			return false
		}
	}
	return true
}

// product returns the product with id, or one named by its id when the
// catalogue lacks it (holdings may name a product not imported).
func product(ps map[string]foundation.Product, id string) foundation.Product {
	if p, ok := ps[id]; ok {
		return p
	}
	return foundation.Product{ID: id, Name: id}
}

// openOffers indexes open tasks by account and title.
func openOffers(tasks []store.Task) map[string]bool {
	out := map[string]bool{}
	for _, t := range tasks {
		if t.Status != "open" {
			continue
		}
		for _, target := range t.Targets {
			if id, ok := strings.CutPrefix(target, "account:"); ok {
				out[id+"\x00"+t.Title] = true
			}
		}
	}
	return out
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	if n := len(s); n%2 == 1 {
		return s[n/2]
	} else {
		return (s[n/2-1] + s[n/2]) / 2
	}
}
