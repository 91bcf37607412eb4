package replay_test

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/demo/replay"
	"github.com/towerops/tower/internal/measure"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/eachbackend"
)

// TestScorecardsMatchTheHistory replays the small demo and counts each
// agent's scorecard by hand from the replay's own log — which the
// simulated team wrote as it went — then checks measure's scorecards,
// computed from the store, give the same figures.
func TestScorecardsMatchTheHistory(t *testing.T) {
	eachbackend.Run(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		runner, lc := smallDemo(t, st)
		l, err := replay.Replay(ctx, st, runner, lc, testConfig(5))
		if err != nil {
			t.Fatal(err)
		}
		want := byHand(l)
		h, err := measure.Load(ctx, st, measure.Filter{Since: l.Start, Until: l.End})
		if err != nil {
			t.Fatal(err)
		}
		cards := measure.Scorecards(h, measure.Options{By: measure.ByAgent})
		if len(cards) != len(want) {
			t.Fatalf("%d cards, %d agents in the log", len(cards), len(want))
		}
		for _, c := range cards {
			w, ok := want[c.Key]
			if !ok {
				t.Errorf("card for %s, not in the log", c.Key)
				continue
			}
			got := handCard{c.Proposals, c.Accepted, c.Edited, c.Rejected, c.Expired, c.Waiting, c.Autonomous,
				c.Executed, c.Undone, c.Failed, c.Decided, c.DecisionP50, c.DecisionP90}
			if got != *w {
				t.Errorf("%s:\n measured %+v\n by hand  %+v", c.Key, got, *w)
			}
			t.Logf("%s: %+v accept %.2f", c.Key, got, c.AcceptRate)
		}
	})
}

type handCard struct {
	Proposals, Accepted, Edited, Rejected, Expired, Waiting, Autonomous int
	Executed, Undone, Failed, Decided                                   int
	P50, P90                                                            float64
}

// chain is one proposal as the log tells it, edits included.
type chain struct {
	agent                       string
	made, verdict               time.Time
	edited, approved, rejected  bool
	expired, undone, failed     bool
	executed, autonomous, ended bool
}

func byHand(l *replay.Log) map[string]*handCard {
	root := map[string]string{}
	chains := map[string]*chain{}
	var order []string
	for _, e := range l.Entries {
		if e.What == replay.Proposed {
			root[e.Proposal] = e.Proposal
			chains[e.Proposal] = &chain{agent: e.Agent, made: e.At}
			order = append(order, e.Proposal)
			continue
		}
		if e.What == replay.Edited {
			root[e.Proposal] = root[e.Revises]
		}
		c := chains[root[e.Proposal]]
		switch e.What {
		case replay.Edited:
			c.edited, c.verdict = true, e.At // an edit that runs on its own is its own verdict
		case replay.Approved:
			c.approved, c.verdict = true, e.At
		case replay.Rejected:
			c.rejected, c.verdict = true, e.At
		case replay.Expired:
			c.expired = true
		case replay.Executed:
			c.executed = true
			c.autonomous = strings.HasPrefix(e.By, "autonomy:")
		case replay.Failed:
			c.failed = true
		case replay.Undone:
			c.undone = true
		}
	}
	out := map[string]*handCard{}
	waits := map[string][]float64{}
	for _, id := range order {
		c := chains[id]
		w := out[c.agent]
		if w == nil {
			w = &handCard{}
			out[c.agent] = w
		}
		w.Proposals++
		switch {
		case c.edited:
			w.Edited++
		case c.rejected:
			w.Rejected++
		case c.expired:
			w.Expired++
		case c.approved:
			w.Accepted++
		case c.executed && c.autonomous:
			w.Autonomous++
		case !c.executed && !c.failed:
			w.Waiting++
		}
		if c.executed {
			w.Executed++
		}
		if c.undone {
			w.Undone++
		}
		if c.failed {
			w.Failed++
		}
		if (c.edited && !c.expired || c.approved || c.rejected) && !c.verdict.IsZero() {
			waits[c.agent] = append(waits[c.agent], c.verdict.Sub(c.made).Hours())
		}
	}
	for agent, w := range out {
		ws := waits[agent]
		slices.Sort(ws)
		w.Decided = len(ws)
		w.P50, w.P90 = nearestRank(ws, 0.5), nearestRank(ws, 0.9)
	}
	return out
}

func nearestRank(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return math.Round(sorted[max(0, min(i, len(sorted)-1))]*100) / 100
}
