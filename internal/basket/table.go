package basket

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/towerops/tower/internal/dataset"
)

// Spec says how to read baskets from a table of lines (one row per item
// bought, as order and invoice exports have).
type Spec struct {
	BasketCol string // the basket (invoice, order, account) id; required
	ItemCol   string // the item's name; required
	// QuantityCol, when set, is summed per basket and item: the item is
	// in the basket only when its total is above zero, so returns and
	// corrections cancel the purchase they undo. Unset: every row counts.
	QuantityCol string
	// Filters keep only rows meeting every condition (Country=France).
	Filters []dataset.Condition
	// DropBasketPrefix leaves out baskets whose id starts with it
	// (ignoring case), e.g. "C" for cancelled invoices.
	DropBasketPrefix string
	// ExcludeItems are left out of every basket; the basket still counts.
	ExcludeItems []string
}

// Read is what FromTable found besides the baskets.
type Read struct {
	Rows           int                // rows in the table
	Used           int                // rows that went into a basket
	Filtered       int                // rows left out by the filters
	DroppedBaskets int                // baskets left out by DropBasketPrefix
	NoItem         int                // rows without an item name
	Excluded       int                // rows of an excluded item
	Problems       []dataset.RowError // rows that could not be read, with the reason
}

// FromTable reads baskets from t as spec says. A row whose basket id is
// empty or whose quantity is not a number is reported in Problems and left
// out; a row with no item name is counted in NoItem (exports often have a
// few) and left out.
func FromTable(t *dataset.Table, spec Spec) (*Transactions, *Read, error) {
	if spec.BasketCol == "" || spec.ItemCol == "" {
		return nil, nil, fmt.Errorf("name the basket column and the item column")
	}
	bc, err := t.Column(spec.BasketCol)
	if err != nil {
		return nil, nil, err
	}
	ic, err := t.Column(spec.ItemCol)
	if err != nil {
		return nil, nil, err
	}
	var qc *dataset.Column
	if spec.QuantityCol != "" {
		if qc, err = t.Column(spec.QuantityCol); err != nil {
			return nil, nil, err
		}
	}
	keep := make([]bool, t.Len())
	for i := range keep {
		keep[i] = true
	}
	for _, f := range spec.Filters {
		m, err := t.Mask(f)
		if err != nil {
			return nil, nil, err
		}
		for i := range keep {
			keep[i] = keep[i] && m[i]
		}
	}
	rd := &Read{Rows: t.Len()}
	b := NewBuilder(spec.ExcludeItems)
	prefix := strings.ToUpper(spec.DropBasketPrefix)
	dropped := map[string]bool{}
	for i := range keep {
		if !keep[i] {
			rd.Filtered++
			continue
		}
		id, item := bc.Values[i], ic.Values[i]
		if id == "" {
			rd.Problems = append(rd.Problems, dataset.RowError{File: t.File, Line: t.Lines[i], Column: bc.Name, Reason: "no basket id"})
			continue
		}
		if prefix != "" && strings.HasPrefix(strings.ToUpper(id), prefix) {
			dropped[id] = true
			continue
		}
		if item == "" {
			rd.NoItem++
			continue
		}
		qty := 1.0
		if qc != nil {
			q, ok := quantity(qc, i)
			if !ok {
				rd.Problems = append(rd.Problems, dataset.RowError{File: t.File, Line: t.Lines[i], Column: qc.Name,
					Reason: fmt.Sprintf("quantity %q is not a number", qc.Values[i])})
				continue
			}
			qty = q
		}
		if b.Excluded(item) {
			rd.Excluded++
		}
		b.Add(id, item, qty)
		rd.Used++
	}
	rd.DroppedBaskets = len(dropped)
	return b.Build(), rd, nil
}

// quantity reads row i of a quantity column; a column with one bad cell
// is text to dataset, so the cells are parsed here.
func quantity(c *dataset.Column, i int) (float64, bool) {
	if c.Numeric {
		return c.Nums[i], !math.IsNaN(c.Nums[i])
	}
	f, err := strconv.ParseFloat(c.Values[i], 64)
	return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
}
