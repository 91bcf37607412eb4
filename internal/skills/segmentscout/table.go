package segmentscout

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/towerops/tower/internal/dataset"
	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
)

// feature is one column of the people table and how to write a condition
// on it in the segment language.
type feature struct {
	col *dataset.Column
	// expr is the segment-language expression the column holds, e.g.
	// account.industry or events.count("Pricing Viewed", days(180)).
	expr string
	// contains: the column is "does the title contain Word" (value "yes"
	// or empty); expr is then the whole condition.
	contains bool
	// plain names the column for people ("account industry").
	plain string
}

// people is the workspace as one row per active person.
type people struct {
	table     *dataset.Table
	features  map[string]*feature // by column name
	ids       []int64             // person id of each row
	converted []bool
	window    int // days
	leaks     []string
}

const pageSize = 5000

// eventPage is larger: events are read with offsets, and each page skips
// every event before it, so fewer, larger pages cost far less on a
// workspace with millions of events.
const eventPage = 50000

// readPeople builds the table: every person with a track event other than
// the conversion event in the window (the same test for converters and
// the rest: counting people active only because they converted would make
// "did nothing else" look like a sign of converting); whether they did the
// conversion event in it; their title words, country, region; their
// account's industry, tier, region, lifecycle stage and employees; their
// traits; and how many times they did each other event in the window.
// Events are counted over the whole window for everyone: cutting a
// converter's count at their conversion would make low counts look like a
// sign of converting. Steps of converting itself ("Signed Up" a minute
// before "Trial Started") are left out by addEvents.
func readPeople(ctx context.Context, v skill.View, conversion string, window time.Duration, minSize int) (*people, error) {
	since := v.Now().Add(-window)
	type tally struct {
		converted bool
		counts    map[string]int
	}
	byPerson := map[int64]*tally{}
	for offset := 0; ; offset += eventPage {
		evs, err := v.EventsList(ctx, &store.EventsListParams{Page: store.Page{Limit: eventPage, Offset: offset}, Type: foundation.EventType("track"), Since: since})
		if err != nil {
			return nil, fmt.Errorf("reading events: %w", err)
		}
		for _, e := range evs {
			if e.PersonID == 0 {
				continue
			}
			t := byPerson[e.PersonID]
			if t == nil {
				t = &tally{counts: map[string]int{}}
				byPerson[e.PersonID] = t
			}
			if e.Event == conversion {
				t.converted = true
				continue
			}
			t.counts[e.Event]++
		}
		if len(evs) < eventPage {
			break
		}
	}
	accounts := map[string]foundation.Account{}
	for offset := 0; ; offset += pageSize {
		as, err := v.AccountsList(ctx, &store.AccountsListParams{Page: store.Page{Limit: pageSize, Offset: offset}})
		if err != nil {
			return nil, fmt.Errorf("reading accounts: %w", err)
		}
		for _, a := range as {
			accounts[a.ID] = a
		}
		if len(as) < pageSize {
			break
		}
	}
	var persons []foundation.Person
	for offset := 0; ; offset += pageSize {
		ps, err := v.PeopleList(ctx, &store.PeopleListParams{Page: store.Page{Limit: pageSize, Offset: offset}})
		if err != nil {
			return nil, fmt.Errorf("reading people: %w", err)
		}
		for _, p := range ps {
			if t := byPerson[p.ID]; t != nil && len(t.counts) > 0 {
				persons = append(persons, p.Person)
			}
		}
		if len(ps) < pageSize {
			break
		}
	}
	days := int(math.Round(window.Hours() / 24))
	pp := &people{table: &dataset.Table{File: "workspace"}, features: map[string]*feature{}, window: days}
	counts := make([]map[string]int, len(persons))
	for i, p := range persons {
		t := byPerson[p.ID]
		pp.ids = append(pp.ids, p.ID)
		pp.converted = append(pp.converted, t.converted)
		pp.table.Lines = append(pp.table.Lines, i+1)
		counts[i] = t.counts
	}
	pp.addText("person.country", "country", persons, func(p foundation.Person) string { return p.Country })
	pp.addText("person.region", "region", persons, func(p foundation.Person) string { return p.Region })
	acct := func(f func(a foundation.Account) string) func(p foundation.Person) string {
		return func(p foundation.Person) string {
			if a, ok := accounts[p.AccountID]; ok {
				return f(a)
			}
			return ""
		}
	}
	pp.addText("account.industry", "account industry", persons, acct(func(a foundation.Account) string { return a.Industry }))
	pp.addText("account.tier", "account tier", persons, acct(func(a foundation.Account) string { return a.Tier }))
	pp.addText("account.region", "account region", persons, acct(func(a foundation.Account) string { return a.Region }))
	pp.addText("account.lifecycle_stage", "account lifecycle stage", persons, acct(func(a foundation.Account) string { return a.LifecycleStage }))
	pp.addNumber("account.employees", "account employees", func(i int) float64 {
		if a, ok := accounts[persons[i].AccountID]; ok && a.Employees > 0 {
			return float64(a.Employees)
		}
		return math.NaN()
	})
	pp.addTitleWords(persons, minSize)
	pp.addTraits(persons)
	pp.addEvents(counts, minSize)
	return pp, nil
}

func (pp *people) add(f *feature) {
	pp.table.Columns = append(pp.table.Columns, f.col)
	pp.features[f.col.Name] = f
}

func (pp *people) addText(expr, plain string, ps []foundation.Person, get func(foundation.Person) string) {
	c := &dataset.Column{Name: expr, Values: make([]string, len(ps))}
	for i, p := range ps {
		c.Values[i] = get(p)
	}
	pp.add(&feature{col: c, expr: expr, plain: plain})
}

func (pp *people) addNumber(expr, plain string, get func(i int) float64) {
	n := len(pp.ids)
	c := &dataset.Column{Name: expr, Numeric: true, Values: make([]string, n), Nums: make([]float64, n)}
	for i := range n {
		c.Nums[i] = get(i)
		if !math.IsNaN(c.Nums[i]) {
			c.Values[i] = strconv.FormatFloat(c.Nums[i], 'g', -1, 64)
		}
	}
	pp.add(&feature{col: c, expr: expr, plain: plain})
}

// maxWords caps the title words tried (the most frequent).
const maxWords = 30

// addTitleWords adds, for each word (3+ letters) found in at least minSize
// titles, a column "does the title contain it".
func (pp *people) addTitleWords(ps []foundation.Person, minSize int) {
	freq := map[string]int{}
	for _, p := range ps {
		seen := map[string]bool{}
		for _, w := range strings.FieldsFunc(p.Title, func(r rune) bool { return !unicode.IsLetter(r) }) {
			if len([]rune(w)) >= 3 && !seen[w] {
				seen[w] = true
				freq[w]++
			}
		}
	}
	var words []string
	for w, n := range freq {
		if n >= minSize {
			words = append(words, w)
		}
	}
	slices.SortFunc(words, func(a, b string) int { return cmp.Or(cmp.Compare(freq[b], freq[a]), cmp.Compare(a, b)) })
	words = words[:min(len(words), maxWords)]
	slices.Sort(words)
	for _, w := range words {
		expr := "person.title.contains(" + strconv.Quote(w) + ")"
		c := &dataset.Column{Name: expr, Values: make([]string, len(ps))}
		for i, p := range ps {
			if strings.Contains(p.Title, w) {
				c.Values[i] = "yes"
			}
		}
		pp.add(&feature{col: c, expr: expr, contains: true, plain: fmt.Sprintf("title contains %q", w)})
	}
}

// addTraits adds each custom person trait: numbers as numbers, text as
// categories (a trait with too many values is dropped by the search as an
// identifier).
func (pp *people) addTraits(ps []foundation.Person) {
	keys := map[string]bool{}
	for _, p := range ps {
		for k := range p.Traits {
			keys[k] = true
		}
	}
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range keys {
			if !yield(k) {
				return
			}
		}
	}) {
		if !traitName.MatchString(k) {
			continue // not writable as person.traits.NAME
		}
		numeric := true
		for _, p := range ps {
			switch p.Traits[k].(type) {
			case nil, float64, int, int64:
			default:
				numeric = false
			}
		}
		expr := "person.traits." + k
		if numeric {
			pp.addNumber(expr, "trait "+k, func(i int) float64 {
				switch x := ps[i].Traits[k].(type) {
				case float64:
					return x
				case int:
					return float64(x)
				case int64:
					return float64(x)
				}
				return math.NaN()
			})
			continue
		}
		pp.addText(expr, "trait "+k, ps, func(p foundation.Person) string { return traitText(p.Traits[k]) })
	}
}

// maxEvents caps the event names counted (the most widespread).
const maxEvents = 20

// addEvents adds a count column per event name done by at least minSize
// people. An event name that almost only converters do before converting
// (90% or more of the people doing it convert) is a step of converting,
// not a predictor, and is left out.
func (pp *people) addEvents(counts []map[string]int, minSize int) {
	doers, conv := map[string]int{}, map[string]int{}
	for i, c := range counts {
		for name := range c {
			doers[name]++
			if pp.converted[i] {
				conv[name]++
			}
		}
	}
	var names []string
	for name, n := range doers {
		if n < minSize {
			continue
		}
		if float64(conv[name]) >= 0.9*float64(n) {
			pp.leaks = append(pp.leaks, name)
			continue
		}
		names = append(names, name)
	}
	slices.SortFunc(names, func(a, b string) int { return cmp.Or(cmp.Compare(doers[b], doers[a]), cmp.Compare(a, b)) })
	names = names[:min(len(names), maxEvents)]
	slices.Sort(names)
	slices.Sort(pp.leaks)
	for _, name := range names {
		expr := fmt.Sprintf("events.count(%s, days(%d))", strconv.Quote(name), pp.window)
		pp.addNumber(expr, fmt.Sprintf("%q events in the last %d days", name, pp.window), func(i int) float64 { return float64(counts[i][name]) })
	}
}

// traitText writes a trait value as text the same way whichever backend
// decoded it (a number may come back as a number or as its text).
func traitText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	default:
		return fmt.Sprint(x)
	}
}
