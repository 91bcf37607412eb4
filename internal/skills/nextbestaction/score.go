package nextbestaction

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/towerops/tower/internal/dataset"
	"github.com/towerops/tower/internal/learn"
)

// scores is what the propensity model says about each person now.
type scores struct {
	p    map[int64]float64        // person id → P(trial in the next window)
	acts map[int64]map[string]int // person id → recent activity counts
	mean map[string]float64       // average recent count per activity
	kind string                   // the model kind learn chose
	rows int                      // people learned from
	rate float64                  // share of them who started a trial
}

// errTooFew: too few trials in the learning window to learn from.
var errTooFew = errors.New("too few trials to learn from")

// minPositives is the fewest people with a trial in the learning window
// for a model to be fitted at all.
const minPositives = 10

// score fits the propensity model and scores every person. The table has
// two rows per person: features over [now−2w, now−w) with the outcome
// "started a trial in [now−w, now)" to learn from, and features over
// [now−w, now) to score.
func score(ctx context.Context, ws *workspace, now time.Time, window time.Duration, model string, seed uint64) (*scores, error) {
	n := len(ws.people)
	idx := map[int64]int{}
	for i, p := range ws.people {
		idx[p.ID] = i
	}
	past, recent := make([][]float64, n), make([][]float64, n)
	for i := range n {
		past[i], recent[i] = make([]float64, len(activity)), make([]float64, len(activity))
	}
	y := make([]bool, n)
	for _, e := range ws.events {
		i, ok := idx[e.PersonID]
		if !ok {
			continue
		}
		age := now.Sub(e.Timestamp)
		for k, a := range activity {
			if !a.Match(e) {
				continue
			}
			switch {
			case age < window:
				recent[i][k]++
				if a.Name == "trials" {
					y[i] = true
				}
			case age < 2*window:
				past[i][k]++
			}
		}
	}
	pos := 0
	for _, v := range y {
		if v {
			pos++
		}
	}
	if pos < minPositives {
		return nil, fmt.Errorf("%w: %d people started a trial in the last %d days (at least %d are needed)", errTooFew, pos, int(window.Hours()/24), minPositives)
	}
	t := &dataset.Table{File: "workspace people"}
	text := func(name string, f func(i int) string) {
		c := &dataset.Column{Name: name, Values: make([]string, 2*n)}
		for i := range n {
			c.Values[i] = f(i)
			c.Values[n+i] = c.Values[i]
		}
		t.Columns = append(t.Columns, c)
	}
	num := func(name string, f func(row int) float64) {
		c := &dataset.Column{Name: name, Numeric: true, Nums: make([]float64, 2*n), Values: make([]string, 2*n)}
		for r := range 2 * n {
			c.Nums[r] = f(r)
			c.Values[r] = strconv.FormatFloat(c.Nums[r], 'g', -1, 64)
		}
		t.Columns = append(t.Columns, c)
	}
	acct := func(i int) string { return ws.people[i].AccountID }
	text("title", func(i int) string { return ws.people[i].Title })
	text("region", func(i int) string { return ws.accounts[acct(i)].Region })
	text("tier", func(i int) string { return ws.accounts[acct(i)].Tier })
	text("industry", func(i int) string { return ws.accounts[acct(i)].Industry })
	text("stage", func(i int) string { return ws.accounts[acct(i)].LifecycleStage })
	num("employees", func(r int) float64 { return math.Log1p(float64(ws.accounts[acct(r%n)].Employees)) })
	num("products_held", func(r int) float64 { return float64(len(ws.held[acct(r%n)])) })
	for k, a := range activity {
		num(a.Name, func(r int) float64 {
			if r < n {
				return past[r][k]
			}
			return recent[r-n][k]
		})
	}
	t.Lines = make([]int, 2*n)
	for r := range t.Lines {
		t.Lines[r] = r + 1
	}
	train := make([]int, n)
	for i := range train {
		train[i] = i
	}
	m, err := learn.Fit(ctx, t, train, y, learn.Options{Seed: seed, Model: model})
	if err != nil {
		return nil, fmt.Errorf("fitting the propensity model: %w", err)
	}
	all, err := m.ScoreTable(t)
	if err != nil {
		return nil, fmt.Errorf("scoring people: %w", err)
	}
	s := &scores{p: map[int64]float64{}, acts: map[int64]map[string]int{}, mean: map[string]float64{},
		kind: m.Kind(), rows: n, rate: float64(pos) / float64(n)}
	for i, p := range ws.people {
		s.p[p.ID] = all[n+i]
		s.acts[p.ID] = map[string]int{}
		for k, a := range activity {
			s.acts[p.ID][a.Name] = int(recent[i][k])
			s.mean[a.Name] += recent[i][k] / float64(n)
		}
	}
	return s, nil
}
