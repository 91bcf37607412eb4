package knowledge

import (
	"fmt"
	"regexp"
	"time"
)

// idPattern is what a product or offer id looks like: other files refer
// to it, so it is a plain lower-case slug, not a display name.
var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// id reads a required id key and checks its shape and that no other
// entry of the layer (in any file) has it.
func (l *loader) id(t *table, key, kind string, seen map[string]where) string {
	id := t.required(key)
	if id == "" {
		return ""
	}
	if !idPattern.MatchString(id) {
		t.problem(key, fmt.Sprintf(`%q must be a short lower-case id like "ai-assist" (letters, digits, - and _)`, id))
		return id
	}
	at := where{t.f.name, t.line(key)}
	if first, dup := seen[id]; dup {
		t.problem(key, fmt.Sprintf("duplicate %s id %q; first defined at %s", kind, id, first))
		return id
	}
	seen[id] = at
	return id
}

// productRef records a product id named by key, checked once every file
// is read.
func (l *loader) productRef(t *table, key, id string, line int) {
	if id == "" {
		return
	}
	l.refs = append(l.refs, ref{where: where{t.f.name, line}, field: t.field(key), id: id})
}

// checkRefs reports every product id that no products file defines.
func (l *loader) checkRefs() {
	for _, r := range l.refs {
		if _, ok := l.productAt[r.id]; !ok {
			l.problems = append(l.problems, Problem{File: r.file, Line: r.line, Field: r.field,
				Reason: fmt.Sprintf("unknown product %q; add it to products.toml or fix the id", r.id)})
		}
	}
}

func (l *loader) products(t *table, meta Meta) int {
	n := 0
	for _, p := range t.tables("product") {
		pr := Product{Meta: meta}
		pr.ID = l.id(p, "id", "product", l.productAt)
		pr.Name = p.required("name")
		pr.Family = p.str("family")
		pr.Solves = p.str("solves")
		pr.For = p.str("for")
		pr.PairsWith = p.strs("pairs_with")
		for i, other := range pr.PairsWith {
			if other == pr.ID && other != "" {
				p.f.add(p.elemLine("pairs_with", i), p.field("pairs_with"), "a product cannot pair with itself")
				continue
			}
			l.productRef(p, "pairs_with", other, p.elemLine("pairs_with", i))
		}
		p.done()
		l.set.Products = append(l.set.Products, pr)
		n++
	}
	return n
}

func (l *loader) offers(t *table, meta Meta) int {
	n := 0
	for _, o := range t.tables("offer") {
		of := Offer{Meta: meta}
		of.ID = l.id(o, "id", "offer", l.offerAt)
		of.Name = o.required("name")
		of.Product = o.required("product")
		l.productRef(o, "product", of.Product, o.line("product"))
		of.Description = o.str("description")
		of.Audience = o.str("audience")
		of.Starts = o.date("starts")
		of.Ends = o.date("ends")
		if !of.Starts.IsZero() && !of.Ends.IsZero() && of.Ends.Before(of.Starts) {
			o.problem("ends", fmt.Sprintf("the offer ends (%s) before it starts (%s)", of.Ends.Format(time.DateOnly), of.Starts.Format(time.DateOnly)))
		}
		o.done()
		l.set.Offers = append(l.set.Offers, of)
		n++
	}
	return n
}

func (l *loader) messaging(t *table, meta Meta) int {
	n := 0
	for _, m := range t.tables("message") {
		ms := Messaging{Meta: meta}
		ms.Product = m.required("product")
		l.productRef(m, "product", ms.Product, m.line("product"))
		ms.Audience = m.str("audience")
		ms.Headline = m.required("headline")
		ms.ValueProps = m.strs("value_props")
		ms.ProofPoints = m.strs("proof_points")
		ms.CTA = m.str("cta")
		m.done()
		// One message per product and audience: two would leave a skill
		// guessing which one is current.
		if ms.Product != "" {
			key := ms.Product + "\x00" + ms.Audience
			if first, dup := l.messageAt[key]; dup {
				m.problem("audience", fmt.Sprintf("a message for product %q and audience %q is already at %s", ms.Product, ms.Audience, first))
			} else {
				l.messageAt[key] = where{m.f.name, m.line("")}
			}
		}
		l.set.Messaging = append(l.set.Messaging, ms)
		n++
	}
	return n
}

// Active reports whether the offer may be made on day now: started (or
// open) and not yet ended (or open). Ends is the last day it runs.
func (o Offer) Active(now time.Time) bool {
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	if !o.Starts.IsZero() && day.Before(o.Starts) {
		return false
	}
	return o.Ends.IsZero() || !day.After(o.Ends)
}

// Product returns the product with id.
func (s *Set) Product(id string) (Product, bool) {
	for _, p := range s.Products {
		if p.ID == id {
			return p, true
		}
	}
	return Product{}, false
}
