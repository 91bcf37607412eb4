package crosssell

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/knowledge"
)

// Catalog is the product truth and offers the skill may quote.
type Catalog struct {
	Products []knowledge.Product
	Offers   []knowledge.Offer
}

// about finds the knowledge entry for a sold product: by id, else by the
// name customers see (the CRM's product ids and the knowledge slugs often
// differ).
func (c Catalog) about(p foundation.Product) (knowledge.Product, bool) {
	for _, k := range c.Products {
		if k.ID == p.ID {
			return k, true
		}
	}
	for _, k := range c.Products {
		if strings.EqualFold(strings.TrimSpace(k.Name), strings.TrimSpace(p.Name)) {
			return k, true
		}
	}
	return knowledge.Product{}, false
}

// current lists the offers for product id running on day now, by id. An
// offer that has ended, or not yet started, is never among them.
func (c Catalog) current(id string, now time.Time) []knowledge.Offer {
	var out []knowledge.Offer
	for _, o := range c.Offers {
		if o.Product == id && o.Active(now) {
			out = append(out, o)
		}
	}
	slices.SortFunc(out, func(a, b knowledge.Offer) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// pitch is what the owner is told about the product: only what the
// knowledge files say, and the offers running today.
type pitch struct {
	known  bool
	solves string
	forWho string
	offers []knowledge.Offer
}

func (c Catalog) pitch(p foundation.Product, now time.Time) pitch {
	k, ok := c.about(p)
	if !ok {
		return pitch{}
	}
	return pitch{known: true, solves: k.Solves, forWho: k.For, offers: c.current(k.ID, now)}
}

// note writes the task's note: why this account, what the product does,
// and the offer that may be made.
func note(o Opportunity, pt pitch) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Offer %s to %s.\n\n", o.Product.Name, o.Account.Name)
	fmt.Fprintf(&b, "Why this account: it holds %s. Of the %d customers holding %s, %d also hold %s (%s); across all %d customers %s do, so it is %.1f times the usual rate.\n\n",
		names(o.Owns), o.HoldIf, ruleIf(o), o.Rule.Count, o.Product.Name, pct(o.Rule.Confidence), o.Customers, pct(o.Rule.ThenSupport), o.Rule.Lift)
	if !pt.known {
		fmt.Fprintf(&b, "The product knowledge has no entry for %s: ask product marketing what to say before describing it.\n", o.Product.Name)
	} else {
		if pt.solves != "" {
			fmt.Fprintf(&b, "What it does: %s\n", pt.solves)
		}
		if pt.forWho != "" {
			fmt.Fprintf(&b, "Who it is for: %s\n", pt.forWho)
		}
	}
	if len(pt.offers) == 0 {
		fmt.Fprintf(&b, "\nNo offer for %s is running today: quote the list price and promise no discount.", o.Product.Name)
		return b.String()
	}
	for _, of := range pt.offers {
		fmt.Fprintf(&b, "\nOffer you can make: %s. %s", of.Name, of.Description)
		if of.Audience != "" {
			fmt.Fprintf(&b, " For: %s.", strings.TrimSuffix(of.Audience, "."))
		}
		if !of.Ends.IsZero() {
			fmt.Fprintf(&b, " It ends on %s; do not promise it after that.", of.Ends.Format(time.DateOnly))
		}
	}
	return b.String()
}

// ruleIf names the rule's first part: "Tallyfield Pipelines and Tallyfield Governance".
func ruleIf(o Opportunity) string {
	var ps []foundation.Product
	for _, id := range o.Rule.If {
		p := foundation.Product{ID: id, Name: id}
		for _, own := range o.Owns {
			if own.ID == id {
				p = own
			}
		}
		ps = append(ps, p)
	}
	return names(ps)
}

func names(ps []foundation.Product) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.Name
	}
	switch len(s) {
	case 0:
		return "nothing"
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

func pct(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) }
