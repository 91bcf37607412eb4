package demo

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// world is everything generated, kept in memory until it is written.
type world struct {
	cfg        Config
	now, start time.Time

	owners   []owner
	accounts []account
	products []product
	holdings []holding

	people  *peopleGen
	humans  []*human
	dups    []*record // planted duplicate records
	records []*record // every people.csv row

	crmNext, mapNext int64 // next free CRM and MAP ids for planted records

	consent   []consentRow
	campaigns []*campaign
	days      []dayRow
	events    []event
	licenses  []license
	usage     []usageRow
	templates []templateFile

	facts []Fact
	noise Noise
}

// addFact appends a fact of kind with its summary; detail carries the
// kind's detail field.
func (w *world) addFact(kind, summary string, detail *Fact) {
	detail.Kind = kind
	detail.Summary = summary
	w.facts = append(w.facts, *detail)
}

// sortedFacts orders facts by kind and a stable key, then numbers them
// "kind-0001" so ids read well and never depend on generation order.
func (w *world) sortedFacts() []Fact {
	facts := slices.Clone(w.facts)
	slices.SortStableFunc(facts, func(a, b Fact) int {
		if c := strings.Compare(a.Kind, b.Kind); c != 0 {
			return c
		}
		return strings.Compare(factKey(a), factKey(b))
	})
	n := map[string]int{}
	for i := range facts {
		n[facts[i].Kind]++
		facts[i].ID = fmt.Sprintf("%s-%04d", strings.ReplaceAll(facts[i].Kind, "_", "-"), n[facts[i].Kind])
	}
	return facts
}

// factKey is the sort key within a kind: the ids a reader looks facts up by.
func factKey(f Fact) string {
	switch {
	case f.Suppression != nil:
		return f.Suppression.Email
	case f.Bounce != nil:
		return f.Bounce.Email
	case f.Duplicate != nil:
		return f.Duplicate.A.System + ":" + f.Duplicate.A.SystemID + "|" + f.Duplicate.B.System + ":" + f.Duplicate.B.SystemID
	case f.Underperformance != nil:
		return f.Underperformance.CampaignID
	case f.ABTest != nil:
		return f.ABTest.CampaignID
	case f.IdleLicenses != nil:
		return f.IdleLicenses.Tool
	case f.Template != nil:
		return f.Template.TemplateID
	case f.Segment != nil:
		return f.Segment.Industry
	}
	return f.Summary
}

// date formats a day as YYYY-MM-DD.
func date(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// stamp formats an instant as RFC 3339 UTC, seconds precision.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
