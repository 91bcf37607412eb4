package demo

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// streamRouting is the random stream of the routing plants.
const streamRouting uint64 = 0x5254

// The signal events the routing plants send; a signal-router agent reads
// them with its default parameters (demo requests; 3 pricing visits in 7
// days; 10 product uses in 24 hours).
const (
	evDemo  = "Demo Requested"
	evUsage = "Feature Used"
)

// Routing case variants.
const (
	RouteAccountOwner   = "account_owner"          // the owner has room
	RouteUnowned        = "unowned_account"        // a seller of the region, and the account given to them
	RouteFiller         = "capacity_filler"        // fills the owner's capacity before RouteAtCapacity
	RouteAtCapacity     = "owner_at_capacity"      // the owner is full: the territory's other seller
	RouteCustomer       = "customer_csm"           // a customer's usage surge: the account's CSM
	RouteNoAccount      = "no_account_territory"   // no account: a seller of the person's region
	RouteNoAccountRobin = "no_account_round_robin" // no account, no region: the sales rotation
)

// RoutingFact describes one planted routing case: a buying signal and who
// should act on it. Any owner in ExpectedOwners is right (a territory or a
// rotation can have several); AssignAccount says the account has no owner
// and should be given to the one chosen.
type RoutingFact struct {
	Variant string `json:"variant"`
	// Signal is the signal kind as signal-router names it (demo_request,
	// pricing_visits, usage_surge); Event the track event planted; At when
	// the signal fires (RFC 3339): the demo request, the third pricing
	// visit or the tenth use.
	Signal string `json:"signal"`
	Event  string `json:"event"`
	Events int    `json:"events"`
	At     string `json:"at"`
	Email  string `json:"email"`
	UserID string `json:"user_id"`
	// AccountID is "" for a person with no account; Region is the region
	// the router should use ("" when unknown).
	AccountID      string   `json:"account_id,omitempty"`
	Region         string   `json:"region,omitempty"`
	ExpectedOwners []string `json:"expected_owners"`
	Rule           string   `json:"rule"`
	AssignAccount  bool     `json:"assign_account,omitempty"`
	Why            string   `json:"why"`
}

// routingCapacityOwner is the seller whose capacity the plants fill:
// Tom Okonkwo, one of EMEA's two sellers, takes at most routingCapacity
// new items (he is ramping down), so the third EMEA lead on his accounts
// must go to Sofia Brandt.
const (
	routingCapacityOwner = "Tom Okonkwo"
	routingCapacity      = 2
)

// routingPlan keeps what the plants have used.
type routingPlan struct {
	r        *rand.Rand
	w        *world
	g        *eventGen
	quiet    map[string]bool // userIds seen in events but quiet for two weeks
	pricing  map[string]int  // Pricing Viewed events per userId
	accounts map[int]bool    // accounts a case uses
}

// plantRouting plants the buying signals and who should act on them. The
// signals come early in the router's two-day window: the full-size demo
// holds some three hundred background signals in those two days, enough to
// fill the sellers' capacity of 60 by the end, and a case whose answer is
// "the owner has room" must be routed before that happens. The
// people chosen have been quiet for two weeks, so nothing else they did
// makes a signal in the router's window, and they already appear in the
// events, so the hidden segment's population does not change; no Trial
// Started is planted, and pricing visits go only to people outside the
// segment's profile who already viewed pricing twice, so the segment's
// rates stay exactly as planted.
func plantRouting(r *rand.Rand, w *world) {
	p := &routingPlan{r: r, w: w, g: &eventGen{r: r, w: w}, quiet: map[string]bool{}, pricing: map[string]int{}, accounts: map[int]bool{}}
	p.index()
	byName := map[string]*owner{}
	for i := range w.owners {
		byName[w.owners[i].name] = &w.owners[i]
	}
	sellers := func(region string) []*owner {
		var out []*owner
		for i := range w.owners {
			if o := &w.owners[i]; o.team == "sales" && (region == "" || o.region == region) {
				out = append(out, o)
			}
		}
		return out
	}
	h := func(hours float64) time.Time { return w.now.Add(-time.Duration(hours * float64(time.Hour))) }
	open := func(a *account) bool { return a.stage != "customer" && a.stage != "churned" }

	// The account's owner has room.
	for _, region := range []string{"NA", "APAC"} {
		if _, hu := p.take(func(hu *human, a *account) bool {
			return a != nil && a.region == region && open(a) && a.ownerID != "" && a.ownerID != byName[routingCapacityOwner].id
		}); hu != nil {
			a := &w.accounts[hu.account]
			p.demo(hu, h(47+p.r.Float64()/2), RouteAccountOwner, "account_owner", []string{a.ownerID}, false,
				"the account's owner has room")
		}
	}
	if _, hu := p.take(func(hu *human, a *account) bool {
		return a != nil && a.region == "NA" && open(a) && a.ownerID != "" && p.pricing[hu.userID()] >= segmentViews && !inSegmentProfile(w, hu)
	}); hu != nil {
		p.pricingVisits(hu, h(47.8), []string{w.accounts[hu.account].ownerID})
	}
	// An account with no owner: the region's one seller, who is given it.
	for _, region := range []string{"APAC", "LATAM"} {
		if _, hu := p.take(func(hu *human, a *account) bool { return a != nil && a.region == region && open(a) }); hu != nil {
			a := &w.accounts[hu.account]
			a.ownerID = ""
			p.demo(hu, h(46+p.r.Float64()), RouteUnowned, "territory", ids(sellers(region)), true,
				"the account has no owner; "+sellers(region)[0].name+" is "+region+"'s seller")
		}
	}
	// Tom has room for two: two demo requests on his accounts fill it,
	// and the third goes to EMEA's other seller.
	tom := byName[routingCapacityOwner]
	tom.capacity = routingCapacity
	onTom := func(hu *human, a *account) bool { return a != nil && a.ownerID == tom.id && open(a) }
	emea := sellers("EMEA")
	for k := 0; k < routingCapacity; k++ {
		if _, hu := p.take(onTom); hu != nil {
			p.demo(hu, h(47.9-float64(k)/5), RouteFiller, "account_owner", ids(emea), false,
				fmt.Sprintf("fills %s's capacity of %d (a signal routed earlier in the window may have filled it first)", tom.name, routingCapacity))
		}
	}
	if _, hu := p.take(onTom); hu != nil {
		var others []*owner
		for _, o := range emea {
			if o != tom {
				others = append(others, o)
			}
		}
		p.demo(hu, h(41), RouteAtCapacity, "territory", ids(others), false,
			fmt.Sprintf("%s owns the account but is at capacity (%d)", tom.name, routingCapacity))
	}
	// A customer's usage surge: their CSM.
	for _, region := range []string{"NA", "EMEA"} {
		if _, hu := p.take(func(hu *human, a *account) bool {
			return a != nil && a.region == region && a.stage == "customer" && ownerTeam(w, a.ownerID) == "cs"
		}); hu != nil {
			p.usageSurge(hu, h(46.5+p.r.Float64()/2), []string{w.accounts[hu.account].ownerID})
		}
	}
	// No account: the seller of the person's region; with no region, the
	// rotation (anyone in sales but the full Tom).
	for _, region := range []string{"LATAM", "APAC"} {
		if _, hu := p.take(func(hu *human, a *account) bool { return a == nil && hu.region == region }); hu != nil {
			p.demo(hu, h(44+p.r.Float64()), RouteNoAccount, "territory", ids(sellers(region)), false,
				"no account; "+sellers(region)[0].name+" covers "+region)
		}
	}
	if i, hu := p.take(func(hu *human, a *account) bool { return a == nil }); hu != nil {
		hu.country, hu.region = "", ""
		for _, rec := range w.records {
			if rec.human == i {
				rec.country, rec.region = "", ""
			}
		}
		var robin []*owner
		for _, o := range sellers("") {
			if o != tom {
				robin = append(robin, o)
			}
		}
		p.demo(hu, h(40.5), RouteNoAccountRobin, "round_robin", ids(robin), false, "no account and no region: the sales rotation")
	}
	p.merge()
}

// index reads the generated events once: who appears, who has been quiet
// for two weeks, and how often each person viewed pricing.
func (p *routingPlan) index() {
	quietSince := p.w.now.AddDate(0, 0, -14)
	recent := map[string]bool{}
	for _, e := range p.w.events {
		uid := field(e.line, `"userId":"`)
		if uid == "" {
			continue
		}
		if e.ts.Before(quietSince) {
			p.quiet[uid] = true
		} else {
			recent[uid] = true
		}
		if bytes.Contains(e.line, []byte(`"event":"`+evPricing+`"`)) {
			p.pricing[uid]++
		}
	}
	for uid := range recent {
		delete(p.quiet, uid)
	}
}

// field returns the JSON string value after key in line ("" if absent).
// Event lines are written by appendObject, so the spelling is fixed.
func field(line []byte, key string) string {
	i := bytes.Index(line, []byte(key))
	if i < 0 {
		return ""
	}
	rest := line[i+len(key):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return ""
	}
	return string(rest[:j])
}

// take reserves a random quiet, named, unreserved human passing ok (with
// their account, nil for none) on an account no other case uses.
func (p *routingPlan) take(ok func(*human, *account) bool) (int, *human) {
	var cands []int
	for i, hu := range p.w.humans {
		if hu.reserved || hu.role || hu.first == "" || !p.quiet[hu.userID()] || p.accounts[hu.account] {
			continue
		}
		var a *account
		if k := knownAccount(hu); k >= 0 {
			a = &p.w.accounts[k]
		}
		if ok(hu, a) {
			cands = append(cands, i)
		}
	}
	if len(cands) == 0 {
		return -1, nil
	}
	i := pick(p.r, cands)
	hu := p.w.humans[i]
	hu.reserved = true
	if hu.account >= 0 {
		p.accounts[hu.account] = true
	}
	return i, hu
}

func (p *routingPlan) demo(hu *human, at time.Time, variant, rule string, expected []string, assign bool, why string) {
	at = p.emit(hu, at, evDemo, kv{"form_id", "demo-request"}, kv{"source_page", "/pricing"})
	p.fact(hu, variant, "demo_request", evDemo, 1, at, rule, expected, assign, why)
}

// pricingVisits plants four pricing visits two hours apart; the third fires.
func (p *routingPlan) pricingVisits(hu *human, start time.Time, expected []string) {
	var third time.Time
	for k := 0; k < 4; k++ {
		t := p.emit(hu, start.Add(time.Duration(k)*2*time.Hour), evPricing, kv{"plan_viewed", "business"}, kv{"billing", "annual"}, kv{"path", "/pricing"})
		if k == 2 {
			third = t
		}
	}
	p.fact(hu, RouteAccountOwner, "pricing_visits", evPricing, 4, third, "account_owner", expected, false,
		"four pricing visits in six hours; the account's owner has room")
}

// usageSurge plants twelve uses within four hours; the tenth fires.
func (p *routingPlan) usageSurge(hu *human, start time.Time, expected []string) {
	var tenth time.Time
	for k := 0; k < 12; k++ {
		t := p.emit(hu, start.Add(time.Duration(k)*20*time.Minute), evUsage, kv{"feature", pick(p.r, []string{"dashboards", "pipelines", "alerts"})})
		if k == 9 {
			tenth = t
		}
	}
	p.fact(hu, RouteCustomer, "usage_surge", evUsage, 12, tenth, "account_owner", expected, false,
		"a customer's usage surge goes to the account's CSM")
}

// emit writes one track event and returns its time to the second, as the
// router reads it.
func (p *routingPlan) emit(hu *human, at time.Time, name string, props ...kv) time.Time {
	n := len(p.g.out)
	p.g.emit(at, "track", hu.userID(), "", track(name, props...)...)
	return p.g.out[n].ts.Truncate(time.Second)
}

func (p *routingPlan) fact(hu *human, variant, sig, event string, n int, at time.Time, rule string, expected []string, assign bool, why string) {
	f := &RoutingFact{Variant: variant, Signal: sig, Event: event, Events: n, At: stamp(at), Email: hu.email, UserID: hu.userID(),
		Region: hu.region, ExpectedOwners: slices.Sorted(slices.Values(expected)), Rule: rule, AssignAccount: assign, Why: why}
	if k := knownAccount(hu); k >= 0 {
		a := p.w.accounts[k]
		f.AccountID, f.Region = a.id, a.region
	}
	p.w.addFact(KindRoutingCase, fmt.Sprintf("%s: %s %s → %s", hu.email, variant, sig, strings.Join(f.ExpectedOwners, "|")), &Fact{Routing: f})
}

// merge adds the planted events to the sorted event list.
func (p *routingPlan) merge() {
	add := p.g.out
	slices.SortFunc(add, compareEvents)
	out := make([]event, 0, len(p.w.events)+len(add))
	a, b := p.w.events, add
	for len(a) > 0 && len(b) > 0 {
		if compareEvents(a[0], b[0]) <= 0 {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	p.w.events = append(append(out, a...), b...)
}

func compareEvents(a, b event) int {
	if c := a.ts.Compare(b.ts); c != 0 {
		return c
	}
	return strings.Compare(a.id, b.id)
}

// knownAccount is the account Tower will know the human by: ESP rows
// carry no account, so a human only in the ESP has none as far as the
// router can see. -1 for none.
func knownAccount(hu *human) int {
	if hu.in[sysCRM] || hu.in[sysMAP] {
		return hu.account
	}
	return -1
}

func ids(os []*owner) []string {
	out := make([]string, len(os))
	for i, o := range os {
		out[i] = o.id
	}
	return out
}

func ownerTeam(w *world, id string) string {
	for _, o := range w.owners {
		if o.id == id {
			return o.team
		}
	}
	return ""
}
