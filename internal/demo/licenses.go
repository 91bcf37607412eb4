package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
)

type license struct {
	tool, vendor, category, ownerEmail string
	seats                              int
	cost                               float64
	renewal                            time.Time
}

type usageRow struct {
	tool, email string
	lastActive  time.Time // zero: never
	actions     int
	integration bool
}

// toolSeed is the martech stack: tool, vendor, category, seats, monthly
// cost per seat and the team that uses it.
var toolSeed = []struct {
	tool, vendor, category string
	seats                  int
	cost                   float64
	team                   string
	integration            string // API user that never logs in, if any
}{
	{"Salesforce Sales Cloud", "Salesforce", "crm", 40, 165, "sales", "integration@" + companyDomain},
	{"Marketo Engage", "Adobe", "marketing_automation", 12, 250, "marketing", "api-sync@" + companyDomain},
	{"Braze", "Braze", "esp", 10, 120, "marketing", "braze-connector@" + companyDomain},
	{"Iterable", "Iterable", "esp", 6, 95, "marketing", ""},
	{"Outreach", "Outreach", "sales_engagement", 28, 100, "sales", ""},
	{"Gong", "Gong", "conversation_intelligence", 30, 120, "sales", ""},
	{"ZoomInfo", "ZoomInfo", "data_enrichment", 18, 150, "sales", ""},
	{"6sense", "6sense", "abm", 10, 200, "marketing", ""},
	{"Hotjar", "Contentsquare", "analytics", 8, 40, "marketing", ""},
	{"Canva Teams", "Canva", "design", 15, 13, "marketing", ""},
	{"Semrush", "Semrush", "seo", 6, 140, "marketing", ""},
	{"Asana", "Asana", "work_management", 40, 25, "", ""},
}

// staff returns the company's employees by team: the owners plus
// colleagues who hold tool seats but own no accounts.
func staff(r *rand.Rand, owners []owner) map[string][]string {
	out := map[string][]string{}
	seen := map[string]bool{}
	for _, o := range owners {
		out[o.team] = append(out[o.team], o.email)
		seen[o.email] = true
	}
	sizes := map[string]int{"sales": 34, "marketing": 20, "cs": 10, "ops": 6}
	for _, team := range []string{"sales", "marketing", "cs", "ops"} {
		for len(out[team]) < sizes[team] {
			e := emailLocal(pick(r, firstNames), pick(r, lastNames), 0) + "@" + companyDomain
			if !seen[e] {
				seen[e] = true
				out[team] = append(out[team], e)
			}
		}
	}
	return out
}

func genLicenses(r *rand.Rand, w *world) {
	people := staff(r, w.owners)
	var everyone []string
	for _, team := range []string{"sales", "marketing", "cs", "ops"} {
		everyone = append(everyone, people[team]...)
	}
	admin := w.owners[len(w.owners)-1].email
	for _, t := range toolSeed {
		l := license{tool: t.tool, vendor: t.vendor, category: t.category, seats: t.seats, cost: t.cost,
			ownerEmail: admin, renewal: w.now.AddDate(0, 0, 15+r.IntN(320))}
		w.licenses = append(w.licenses, l)
		pool := everyone
		if t.team != "" {
			pool = append(slices.Clone(people[t.team]), people["ops"]...)
		}
		unassigned := r.IntN(t.seats/5 + 2)
		assigned := min(len(pool), t.seats-unassigned)
		if t.integration != "" {
			assigned--
			w.usage = append(w.usage, usageRow{tool: t.tool, email: t.integration, actions: 20000 + r.IntN(60000), integration: true})
		}
		for _, j := range r.Perm(len(pool))[:assigned] {
			w.usage = append(w.usage, usage(r, w.now, t.tool, pool[j]))
		}
	}
	slices.SortFunc(w.usage, func(a, b usageRow) int {
		if a.tool != b.tool {
			if a.tool < b.tool {
				return -1
			}
			return 1
		}
		if a.email < b.email {
			return -1
		} else if a.email > b.email {
			return 1
		}
		return 0
	})
	licenseTruth(w)
}

// usage draws one user's activity: most active this month, some drifting
// away, some gone for a quarter or more, a few never logged in.
func usage(r *rand.Rand, now time.Time, tool, email string) usageRow {
	u := usageRow{tool: tool, email: email}
	ago := func(a, b int) time.Time {
		return now.AddDate(0, 0, -(a + r.IntN(b-a))).Add(-time.Duration(r.IntN(86400)) * time.Second)
	}
	switch weighted(r, []float64{68, 9, 9, 10, 4}) {
	case 0:
		u.lastActive, u.actions = ago(0, 25), 5+r.IntN(400)
	case 1:
		u.lastActive = ago(31, 59)
	case 2:
		u.lastActive = ago(62, 88)
	case 3:
		u.lastActive = ago(92, 400)
	}
	return u
}

func licenseTruth(w *world) {
	for _, l := range w.licenses {
		f := &IdleLicensesFact{Tool: l.tool, Seats: l.seats, CostPerSeatMonth: l.cost,
			Idle60: []string{}, Idle90: []string{}, Excluded: []string{}}
		for _, u := range w.usage {
			if u.tool != l.tool {
				continue
			}
			f.Assigned++
			switch {
			case u.integration:
				f.Excluded = append(f.Excluded, u.email)
			case u.lastActive.IsZero() || u.lastActive.Before(w.now.AddDate(0, 0, -90)):
				f.Idle60 = append(f.Idle60, u.email)
				f.Idle90 = append(f.Idle90, u.email)
			case u.lastActive.Before(w.now.AddDate(0, 0, -60)):
				f.Idle60 = append(f.Idle60, u.email)
			}
		}
		f.Unassigned = l.seats - f.Assigned
		f.ReclaimableSeats = f.Unassigned + len(f.Idle90)
		f.MonthlyWaste = round2(float64(f.ReclaimableSeats) * l.cost)
		w.addFact(KindIdleLicenses, fmt.Sprintf("%s: %d of %d seats unassigned, %d users idle > 90 days, %d idle > 60 days",
			l.tool, f.Unassigned, l.seats, len(f.Idle90), len(f.Idle60)), &Fact{IdleLicenses: f})
	}
}
