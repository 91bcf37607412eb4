package nextbestaction

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
)

// Name is the skill's name.
const Name = "next-best-action"

func init() { skill.Register(Skill{}) }

// Skill implements next-best-action.
type Skill struct{}

var _ skill.Skill = Skill{}

// Manifest declares the skill.
func (Skill) Manifest() skill.Manifest {
	return skill.Manifest{
		Name:        Name,
		Team:        "growth",
		Description: "For each account that matters now, chooses sales outreach, a nurture programme, the customer success manager, or nothing, by likelihood to convert × open value, and proposes it with its reasons.",
		Triggers:    skill.Triggers{Schedule: "0 6 * * 1-5"},
		Actions:     []proposal.Kind{proposal.CreateTask, proposal.Tag},
		Params: []skill.Param{
			{Name: "max_proposals", Type: skill.Int, Default: int64(20), Min: skill.Bound(1), Max: skill.Bound(500), Description: "proposals per run at most, highest expected value first"},
			{Name: "window", Type: skill.Duration, Default: "30d", Description: "the model learns whether people start a trial within this long of their activity, and scores the latest window of activity"},
			{Name: "active_days", Type: skill.Duration, Default: "30d", Description: "accounts whose people were active this recently are considered (opportunities and customers always are)"},
			{Name: "min_score", Type: skill.Float, Default: 0.10, Min: skill.Bound(0), Max: skill.Bound(1), Description: "below this likelihood that someone at the account starts a trial, no action"},
			{Name: "sales_score", Type: skill.Float, Default: 0.35, Min: skill.Bound(0), Max: skill.Bound(1), Description: "likelihood needed before a seller's time is asked for"},
			{Name: "min_sales_value", Type: skill.Float, Default: 5000.0, Min: skill.Bound(0), Description: "expected value (USD a year: likelihood × list price of products not held) needed for sales outreach"},
			{Name: "model", Type: skill.String, Default: "auto", Enum: []string{"auto", "logistic", "boosted"}, Description: "the propensity model: auto fits both and keeps the better on held-out people (about three times the work of one)"},
			{Name: "nurture_tag", Type: skill.String, Default: "nurture:next-best-action", Description: "the tag that puts people into the nurture programme's audience"},
		},
	}
}

// Run scores the workspace once and decides per agent (agents may differ
// in thresholds).
func (s Skill) Run(ctx context.Context, v skill.View, batch []skill.Agent) ([]proposal.Draft, error) {
	var out []proposal.Draft
	for _, a := range batch {
		window := a.Params.Duration("window")
		active := a.Params.Duration("active_days")
		ws, err := load(ctx, v, v.Now().Add(-max(2*window, active)))
		if err != nil {
			return nil, fmt.Errorf("agent %s: %w", a.Name, err)
		}
		sc, err := score(ctx, ws, v.Now(), window, a.Params.String("model"), 1)
		if errors.Is(err, errTooFew) {
			slog.InfoContext(ctx, "next-best-action: nothing to learn from yet", "agent", a.Name, "reason", err.Error())
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("agent %s: %w", a.Name, err)
		}
		plans := Plan(ws, sc, v.Now(), active, Thresholds{MinScore: a.Params.Float("min_score"),
			SalesScore: a.Params.Float("sales_score"), MinSalesValue: a.Params.Float("min_sales_value")})
		n := 0
		for _, p := range plans {
			if p.Motion == None {
				continue
			}
			if n == int(a.Params.Int("max_proposals")) {
				break
			}
			out = append(out, p.draft(a.Name, a.Params.String("nurture_tag"), sc, v.Now()))
			n++
		}
	}
	return out, nil
}

// AccountPlan is the decision for one priority account.
type AccountPlan struct {
	Account foundation.Account
	Figures Account
	Motion  Motion
	Why     string
	WhyNot  []string
	People  []foundation.Person // its people, most likely first
	Owner   foundation.Owner    // who the task is for (seller or CSM)
	Open    []string            // products not held
}

// Plan decides for every priority account, highest expected value first
// (no-action plans included, last, so callers can see them).
func Plan(ws *workspace, sc *scores, now time.Time, active time.Duration, th Thresholds) []AccountPlan {
	byAccount := map[string][]foundation.Person{}
	for _, p := range ws.people {
		byAccount[p.AccountID] = append(byAccount[p.AccountID], p)
	}
	recent := map[int64]bool{}
	for _, e := range ws.events {
		if now.Sub(e.Timestamp) < active {
			recent[e.PersonID] = true
		}
	}
	var plans []AccountPlan
	for id, people := range byAccount {
		a := ws.accounts[id]
		priority := a.LifecycleStage == "opportunity" || a.LifecycleStage == "customer"
		notP := 1.0
		for _, p := range people {
			priority = priority || recent[p.ID]
			notP *= 1 - sc.p[p.ID]
		}
		if !priority {
			continue
		}
		slices.SortFunc(people, func(x, y foundation.Person) int {
			return cmp.Or(cmp.Compare(sc.p[y.ID], sc.p[x.ID]), cmp.Compare(x.ID, y.ID))
		})
		monthly, open := ws.whitespace(id)
		csm, hasCSM := ws.csmFor(a)
		seller, hasSeller := ws.owners[a.OwnerID]
		in := Account{Stage: a.LifecycleStage, Propensity: 1 - notP, Value: 12 * monthly, HasSeller: hasSeller, HasCSM: hasCSM}
		m, why, whyNot := Decide(in, th)
		owner := seller
		if m == Service {
			owner = csm
		}
		plans = append(plans, AccountPlan{Account: a, Figures: in, Motion: m, Why: why, WhyNot: whyNot, People: people, Owner: owner, Open: open})
	}
	slices.SortFunc(plans, func(x, y AccountPlan) int {
		if (x.Motion == None) != (y.Motion == None) {
			if x.Motion == None {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(y.Figures.Expected(), x.Figures.Expected()), cmp.Compare(x.Account.ID, y.Account.ID))
	})
	return plans
}

func personID(p foundation.Person) string { return strconv.FormatInt(p.ID, 10) }
