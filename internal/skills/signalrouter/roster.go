package signalrouter

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// Rules, in the order they are tried (DOMAIN §7: most specific first).
const (
	RuleAccountOwner = "account_owner" // the account's owner, when they have room
	RuleTerritory    = "territory"     // the least-loaded owner of the region's team
	RuleRoundRobin   = "round_robin"   // the team member with the fewest recent assignments
)

// seat is an owner with the load the router counts against their
// capacity.
type seat struct {
	foundation.Owner
	// Open is the owner's open tasks created within the load window, plus
	// what this run has already given them. Tower has no other record of
	// "open leads" an owner is working, and tasks left open for longer than
	// the window are taken as abandoned rather than as work in hand — so a
	// forgotten task does not block someone's routing forever.
	Open int
	// Recent is every task created for the owner within the load window,
	// open or done, plus this run's: round robin turns on it.
	Recent int
}

// HasRoom reports whether the owner can take one more item. A capacity of
// 0 means none was recorded: no limit.
func (s *seat) HasRoom() bool { return s.Capacity <= 0 || s.Open < s.Capacity }

func (s *seat) loadText() string {
	if s.Capacity <= 0 {
		return fmt.Sprintf("%d open (no capacity recorded)", s.Open)
	}
	return fmt.Sprintf("%d open of %d", s.Open, s.Capacity)
}

// roster holds every owner's load for one run.
type roster struct {
	seats []*seat // by id
	byID  map[string]*seat
}

// newRoster counts each owner's load from the tasks created since
// loadSince.
func newRoster(owners []foundation.Owner, tasks []store.Task, loadSince time.Time) *roster {
	r := &roster{byID: map[string]*seat{}}
	for _, o := range owners {
		s := &seat{Owner: o}
		r.seats = append(r.seats, s)
		r.byID[o.ID] = s
	}
	slices.SortFunc(r.seats, func(a, b *seat) int { return cmp.Compare(a.ID, b.ID) })
	for _, t := range tasks {
		s := r.byID[t.OwnerID]
		if s == nil || t.CreatedAt.Before(loadSince) {
			continue
		}
		s.Recent++
		if t.Status != "done" {
			s.Open++
		}
	}
	return r
}

// give records an assignment made by this run.
func (r *roster) give(s *seat) { s.Open++; s.Recent++ }

// decision is who should act on a signal, and why.
type decision struct {
	Seat *seat
	Rule string
	// Why explains the choice in a sentence a person can check.
	Why string
	// Passed over is the account owner when they had no room.
	PassedOver *seat
}

// teams returns the teams to try: customer success first for a customer
// (their CSM knows the account), sales for everyone else.
func teams(acct *foundation.Account) []foundation.Team {
	if acct != nil && acct.LifecycleStage == "customer" {
		return []foundation.Team{foundation.TeamCS, foundation.TeamSales}
	}
	return []foundation.Team{foundation.TeamSales}
}

// route decides who acts on a signal of person p (acct is p's account,
// nil when none). exclude is an owner not to choose (the one being
// escalated past). ok is false when nobody has room.
func (r *roster) route(p foundation.Person, acct *foundation.Account, exclude string) (d decision, ok bool) {
	var owner *seat
	if acct != nil && acct.OwnerID != "" {
		owner = r.byID[acct.OwnerID]
	}
	if owner != nil && owner.ID != exclude {
		if owner.HasRoom() {
			return decision{Seat: owner, Rule: RuleAccountOwner,
				Why: fmt.Sprintf("%s owns %s and has room (%s)", owner.Name, acct.Name, owner.loadText())}, true
		}
		d.PassedOver = owner
	}
	region := p.Region
	if acct != nil && acct.Region != "" {
		region = acct.Region
	}
	usable := func(s *seat, team foundation.Team) bool {
		return s.Team == team && s.ID != exclude && s.HasRoom()
	}
	for _, team := range teams(acct) {
		if region == "" {
			break
		}
		var best *seat
		for _, s := range r.seats {
			if usable(s, team) && s.Region == region && (best == nil || s.Open < best.Open ||
				s.Open == best.Open && s.Recent < best.Recent) {
				best = s
			}
		}
		if best != nil {
			d.Seat, d.Rule = best, RuleTerritory
			d.Why = fmt.Sprintf("%s is the least-loaded %s owner in %s with room (%s)", best.Name, team, region, best.loadText())
			return d, true
		}
	}
	for _, team := range teams(acct) {
		var best *seat
		for _, s := range r.seats {
			if usable(s, team) && (best == nil || s.Recent < best.Recent || s.Recent == best.Recent && s.Open < best.Open) {
				best = s
			}
		}
		if best != nil {
			d.Seat, d.Rule = best, RuleRoundRobin
			where := "nobody in " + region + " has room"
			if region == "" {
				where = "the region is unknown"
			} else if !r.covers(region, acct) {
				where = "no owner covers " + region
			}
			d.Why = fmt.Sprintf("%s; %s is next in the %s rotation (%d assignments recently, %s)", where, best.Name, team, best.Recent, best.loadText())
			return d, true
		}
	}
	return d, false
}

// covers reports whether any owner of the account's teams works region.
func (r *roster) covers(region string, acct *foundation.Account) bool {
	for _, s := range r.seats {
		if s.Region == region && slices.Contains(teams(acct), s.Team) {
			return true
		}
	}
	return false
}
