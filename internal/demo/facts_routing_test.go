package demo

import (
	"slices"
	"testing"
	"time"
)

// TestRoutingCasesAreInTheFiles checks every planted routing case against
// the bundle: its signal events are in events.ndjson at the stated time
// and are the person's only events in the last two weeks; the account's
// owner, the owner's capacity and the person's region are as the case
// says.
func TestRoutingCasesAreInTheFiles(t *testing.T) {
	dir, truth := bundle(t)
	facts := truth.Kind(KindRoutingCase)
	variants := map[string]int{}
	for _, f := range facts {
		variants[f.Routing.Variant]++
	}
	for _, v := range []string{RouteAccountOwner, RouteUnowned, RouteFiller, RouteAtCapacity, RouteCustomer, RouteNoAccount, RouteNoAccountRobin} {
		if variants[v] == 0 {
			t.Errorf("no %s case planted (%v)", v, variants)
		}
	}
	if len(facts) < 8 || len(facts) > 14 {
		t.Errorf("%d routing cases, want 8 to 14", len(facts))
	}
	now, _ := time.Parse(time.DateOnly, truth.Now)
	owners := map[string]map[string]string{}
	for _, row := range readCSV(t, dir, "owners.csv").rows {
		owners[row["id"]] = row
	}
	accounts := map[string]map[string]string{}
	for _, row := range readCSV(t, dir, "accounts.csv").rows {
		accounts[row["id"]] = row
	}
	regions := map[string][]string{} // system_id → regions of the person's rows
	for _, row := range readCSV(t, dir, "people.csv").rows {
		regions[row["system_id"]] = append(regions[row["system_id"]], row["region"])
	}
	type seen struct {
		n, planted int
		at         []time.Time
	}
	recent := map[string]*seen{}
	for _, m := range readEvents(t, dir) {
		ts, err := time.Parse(time.RFC3339, m.Timestamp)
		if err != nil || m.UserID == "" || ts.Before(now.AddDate(0, 0, -14)) {
			continue
		}
		s := recent[m.UserID]
		if s == nil {
			s = &seen{}
			recent[m.UserID] = s
		}
		s.n++
		s.at = append(s.at, ts.Truncate(time.Second))
	}
	for _, f := range facts {
		c := f.Routing
		at, err := time.Parse(time.RFC3339, c.At)
		if err != nil || !at.Before(now) || at.Before(now.Add(-48*time.Hour)) {
			t.Errorf("%s: signal at %q, not in the two days before %s", f.Summary, c.At, truth.Now)
		}
		s := recent[c.UserID]
		if s == nil || s.n != c.Events || !slices.ContainsFunc(s.at, at.Equal) {
			t.Errorf("%s: the events file has %+v for %s in the last two weeks, want exactly the %d planted ones", f.Summary, s, c.UserID, c.Events)
		}
		if len(c.ExpectedOwners) == 0 {
			t.Errorf("%s: no expected owner", f.Summary)
		}
		for _, o := range c.ExpectedOwners {
			if owners[o] == nil {
				t.Errorf("%s: expected owner %s is not in owners.csv", f.Summary, o)
			}
		}
		acct := accounts[c.AccountID]
		switch c.Variant {
		case RouteAccountOwner, RouteCustomer:
			if acct == nil || !slices.Contains(c.ExpectedOwners, acct["owner_id"]) || len(c.ExpectedOwners) != 1 {
				t.Errorf("%s: account %v, its owner should be the one expected", f.Summary, acct)
			}
			if c.Variant == RouteCustomer && (acct["lifecycle_stage"] != "customer" || owners[acct["owner_id"]]["team"] != "cs") {
				t.Errorf("%s: not a customer owned by customer success: %v", f.Summary, acct)
			}
		case RouteUnowned:
			if acct == nil || acct["owner_id"] != "" || !c.AssignAccount {
				t.Errorf("%s: account %v should have no owner and be assigned", f.Summary, acct)
			}
		case RouteFiller, RouteAtCapacity:
			if acct == nil || owners[acct["owner_id"]]["name"] != routingCapacityOwner || owners[acct["owner_id"]]["capacity"] != "2" {
				t.Errorf("%s: account %v should belong to %s, capacity 2", f.Summary, acct, routingCapacityOwner)
			}
			if c.Variant == RouteAtCapacity && slices.Contains(c.ExpectedOwners, acct["owner_id"]) {
				t.Errorf("%s: the full owner is expected", f.Summary)
			}
		case RouteNoAccount, RouteNoAccountRobin:
			if c.AccountID != "" {
				t.Errorf("%s: has an account", f.Summary)
			}
			for _, reg := range regions[c.UserID] {
				if reg != c.Region {
					t.Errorf("%s: people.csv region %q, case says %q", f.Summary, reg, c.Region)
				}
			}
			for _, o := range c.ExpectedOwners {
				if owners[o]["team"] != "sales" || (c.Region != "" && owners[o]["region"] != c.Region) {
					t.Errorf("%s: expected owner %v is not a seller of %q", f.Summary, owners[o], c.Region)
				}
			}
		}
	}
}
