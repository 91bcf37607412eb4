package signalrouter

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/skill"
	"github.com/towerops/tower/internal/store"
)

// Name is the skill's name.
const Name = "signal-router"

func init() { skill.Register(Skill{}) }

// Skill implements signal-router.
type Skill struct{}

var _ skill.Skill = Skill{}

// Manifest declares the skill.
func (Skill) Manifest() skill.Manifest {
	return skill.Manifest{
		Name: Name,
		Team: "revenue-ops",
		Description: "Sends each buying signal (a demo request, a trial, repeated pricing visits, a usage surge) to the person who should act, " +
			"with a deadline per kind of signal, and escalates a follow-up still open past its deadline.",
		// Demo requests and trials trigger a run as they arrive; the
		// schedule catches counted signals and overdue follow-ups.
		Triggers: skill.Triggers{Schedule: "*/15 * * * *", Events: []string{"track:Demo Requested", "track:Trial Started", "import:events"}},
		Actions:  []proposal.Kind{proposal.CreateTask, proposal.AssignOwner, proposal.Notify},
		Scopes:   []string{"region"},
		Params: []skill.Param{
			{Name: "demo_events", Type: skill.String, List: true, Default: "Demo Requested", Description: "track events that are a demo request (comma-separated)"},
			{Name: "trial_events", Type: skill.String, List: true, Default: "Trial Started", Description: "track events that are a trial start"},
			{Name: "pricing_events", Type: skill.String, List: true, Default: "Pricing Viewed", Description: "track events that are a pricing-page visit"},
			{Name: "pricing_visits", Type: skill.Int, Default: 3, Min: skill.Bound(1), Max: skill.Bound(100), Description: "pricing visits within pricing_window that make a signal"},
			{Name: "pricing_window", Type: skill.Duration, Default: "7d"},
			{Name: "usage_events", Type: skill.String, List: true, Default: "Feature Used", Description: "track events that count as product usage"},
			{Name: "usage_count", Type: skill.Int, Default: 10, Min: skill.Bound(1), Max: skill.Bound(100000), Description: "usage events within usage_window that make a surge"},
			{Name: "usage_window", Type: skill.Duration, Default: "24h"},
			// Speed-to-lead (DOMAIN §7): a lead called within the hour is
			// about seven times likelier to qualify than one called an hour
			// later; a demo request is the hottest signal there is.
			{Name: "sla_demo_request", Type: skill.Duration, Default: "1h", Description: "how soon a demo request must be followed up"},
			{Name: "sla_trial_started", Type: skill.Duration, Default: "4h"},
			{Name: "sla_pricing_visits", Type: skill.Duration, Default: "24h"},
			{Name: "sla_usage_surge", Type: skill.Duration, Default: "24h"},
			{Name: "lookback", Type: skill.Duration, Default: "2d", Description: "signals older than this are not routed any more"},
			{Name: "load_window", Type: skill.Duration, Default: "14d", Description: "open tasks created within this count against an owner's capacity"},
			{Name: "escalate_to", Type: skill.String, Default: "", Description: "who is told when a follow-up is overdue (a user, owner id or channel); empty: the agent's owner"},
			{Name: "reassign", Type: skill.Bool, Default: true, Description: "on escalation, also give the follow-up to the next owner in line"},
		},
	}
}

// Run routes each agent's new signals and escalates its overdue tasks.
// Tasks and owners are read once for the batch.
func (s Skill) Run(ctx context.Context, v skill.View, batch []skill.Agent) ([]proposal.Draft, error) {
	tasks, err := allTasks(ctx, v)
	if err != nil {
		return nil, err
	}
	owners, err := allOwners(ctx, v)
	if err != nil {
		return nil, err
	}
	var drafts []proposal.Draft
	for _, a := range batch {
		got, err := forAgent(ctx, v, a, owners, tasks)
		if err != nil {
			return nil, fmt.Errorf("agent %s: %w", a.Name, err)
		}
		drafts = append(drafts, got...)
	}
	return drafts, nil
}

// lead is one person with their new signals and what Tower knows of them.
type lead struct {
	Person  foundation.Person
	Account *foundation.Account
	Signals []signal // oldest first
}

// First is the signal that came first; leads are routed in that order so
// an owner's room goes to whoever asked first.
func (l lead) First() signal { return l.Signals[0] }

// Urgent is the signal with the earliest deadline: it sets the task's due.
func (l lead) Urgent() signal {
	u := l.Signals[0]
	for _, s := range l.Signals[1:] {
		if s.Due().Before(u.Due()) {
			u = s
		}
	}
	return u
}

func forAgent(ctx context.Context, v skill.View, a skill.Agent, owners []foundation.Owner, tasks []store.Task) ([]proposal.Draft, error) {
	now := v.Now()
	cfgs := configs(a.Params)
	ros := newRoster(owners, tasks, now.Add(-a.Params.Duration("load_window")))
	mine := routerTasks(tasks)

	routed := map[signalRef]bool{}
	busy := map[int64]bool{} // people with an open follow-up already
	for _, t := range mine {
		for _, r := range t.Refs {
			routed[r] = true
		}
		if t.Status != "done" && t.Person() != 0 {
			busy[t.Person()] = true
		}
	}
	byPerson, err := detect(ctx, v, cfgs, now.Add(-a.Params.Duration("lookback")))
	if err != nil {
		return nil, err
	}
	rd := &reader{v: v, accounts: map[string]*foundation.Account{}}
	var leads []lead
	for person, sigs := range byPerson {
		if busy[person] {
			continue // their open follow-up covers it; a second task would split the conversation
		}
		sigs = slices.DeleteFunc(sigs, func(s signal) bool { return routed[s.ref()] })
		if len(sigs) == 0 {
			continue
		}
		l, ok, err := rd.lead(ctx, person, sigs)
		if err != nil {
			return nil, err
		}
		if ok && inScope(a.Scope, l) {
			leads = append(leads, l)
		}
	}
	slices.SortFunc(leads, func(x, y lead) int {
		if c := x.First().At.Compare(y.First().At); c != 0 {
			return c
		}
		return int(x.Person.ID - y.Person.ID)
	})
	var drafts []proposal.Draft
	assigned := map[string]bool{}
	for _, l := range leads {
		d, ok := ros.route(l.Person, l.Account, "")
		if !ok {
			drafts = append(drafts, nobodyDraft(a, l))
			continue
		}
		ros.give(d.Seat)
		drafts = append(drafts, routeDraft(a, l, d))
		if l.Account != nil && l.Account.OwnerID == "" && !assigned[l.Account.ID] {
			assigned[l.Account.ID] = true
			drafts = append(drafts, assignDraft(a, l, d))
		}
	}
	esc, err := escalations(ctx, v, a, cfgs, ros, rd, mine)
	if err != nil {
		return nil, err
	}
	return append(drafts, esc...), nil
}

// routerTasks keeps the tasks this skill asked for.
func routerTasks(tasks []store.Task) []routerTask {
	var out []routerTask
	for _, t := range tasks {
		if rt, ok := parseNote(t); ok {
			out = append(out, rt)
		}
	}
	return out
}

// inScope applies a region scope to the lead's account region, else the
// person's.
func inScope(sc store.Scope, l lead) bool {
	if sc.Kind != "region" {
		return true
	}
	region := l.Person.Region
	if l.Account != nil && l.Account.Region != "" {
		region = l.Account.Region
	}
	return slices.Contains(sc.Values, region)
}

// reader looks people and accounts up, once each.
type reader struct {
	v        skill.View
	accounts map[string]*foundation.Account
}

// lead reads person's details; ok is false for a person merged away.
func (r *reader) lead(ctx context.Context, person int64, sigs []signal) (lead, bool, error) {
	d, err := r.v.PersonGet(ctx, &store.PersonGetParams{ID: person})
	if errors.Is(err, store.ErrNotFound) {
		return lead{}, false, nil
	}
	if err != nil {
		return lead{}, false, fmt.Errorf("read person %d: %w", person, err)
	}
	if d.Person.MergedInto != 0 {
		return lead{}, false, nil
	}
	acct, err := r.account(ctx, d.Person.AccountID)
	if err != nil {
		return lead{}, false, err
	}
	return lead{Person: d.Person, Account: acct, Signals: sigs}, true, nil
}

// account returns the account, nil when id is empty or unknown.
func (r *reader) account(ctx context.Context, id string) (*foundation.Account, error) {
	if id == "" {
		return nil, nil
	}
	if a, ok := r.accounts[id]; ok {
		return a, nil
	}
	d, err := r.v.AccountGet(ctx, &store.AccountGetParams{ID: id})
	if errors.Is(err, store.ErrNotFound) {
		r.accounts[id] = nil
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read account %s: %w", id, err)
	}
	r.accounts[id] = &d.Account
	return &d.Account, nil
}

func allOwners(ctx context.Context, v skill.View) ([]foundation.Owner, error) {
	out, err := store.ReadAll(1000, func(p store.Page) ([]foundation.Owner, error) {
		return v.OwnersList(ctx, &store.OwnersListParams{Page: p})
	})
	if err != nil {
		return nil, fmt.Errorf("read owners: %w", err)
	}
	return out, nil
}

// dueDate is a task's due as create_task takes it: a date. The exact
// deadline is kept on the signal ref, and escalation uses that.
func dueDate(t time.Time) string { return t.UTC().Format(time.DateOnly) }
