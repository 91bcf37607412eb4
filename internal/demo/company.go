package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"
)

// companyDomain is the demo company's own domain: owners, licence users
// and tracked links live on it.
const companyDomain = "tallyfield.io"

type owner struct {
	id, name, email, team, region string
	capacity                      int
}

type account struct {
	id, name, domain, industry, region, tier, ownerID, stage, country string
	employees                                                         int
	emailPattern                                                      int // how the company builds addresses
}

type product struct {
	id, name, family string
	price            float64
}

type holding struct {
	accountID, productID, personEmail string
	since                             time.Time
	seats                             int
	mrr                               float64
}

// ownerSeed is the sales, success, marketing and operations team. Fixed,
// because a demo's cast should be recognisable from seed to seed.
var ownerSeed = []struct{ name, team, region string }{
	{"Dana Whitfield", "sales", "NA"}, {"Marcus Oyelaran", "sales", "NA"},
	{"Sofia Brandt", "sales", "EMEA"}, {"Tom Okonkwo", "sales", "EMEA"},
	{"Aiko Tanaka", "sales", "APAC"}, {"Lucas Ferreira", "sales", "LATAM"},
	{"Rachel Kim", "cs", "NA"}, {"Henrik Lund", "cs", "EMEA"},
	{"Priya Raman", "marketing", "NA"}, {"Claire Dubois", "marketing", "EMEA"},
	{"Sam Porter", "ops", "NA"},
}

func genOwners() []owner {
	caps := map[string]int{"sales": 60, "cs": 40, "marketing": 25, "ops": 30}
	out := make([]owner, len(ownerSeed))
	for i, o := range ownerSeed {
		first, last, _ := strings.Cut(o.name, " ")
		out[i] = owner{
			id:       sfID("005", int64(1000+i*7)),
			name:     o.name,
			email:    strings.ToLower(first+"."+last) + "@" + companyDomain,
			team:     o.team,
			region:   o.region,
			capacity: caps[o.team],
		}
	}
	return out
}

// ownerFor picks the account owner: customer success for customers, the
// region's sellers otherwise, falling back to any seller.
func ownerFor(r *rand.Rand, owners []owner, region, stage string) string {
	team := "sales"
	if stage == "customer" {
		team = "cs"
	}
	var same, any []string
	for _, o := range owners {
		if o.team != team {
			continue
		}
		any = append(any, o.id)
		if o.region == region {
			same = append(same, o.id)
		}
	}
	if len(same) > 0 {
		return pick(r, same)
	}
	return pick(r, any)
}

func genAccounts(r *rand.Rand, n int, owners []owner) []account {
	indW := make([]float64, len(industries))
	for i, x := range industries {
		indW[i] = x.weight
	}
	regW := make([]float64, len(regions))
	for i, x := range regions {
		regW[i] = x.weight
	}
	usedName := map[string]bool{}
	usedDomain := map[string]bool{}
	out := make([]account, 0, n)
	for i := 0; i < n; i++ {
		ind := industries[weighted(r, indW)].name
		reg := regions[weighted(r, regW)]
		var name string
		for try := 0; ; try++ {
			name = pick(r, namePrefixes) + pick(r, nameCores) + " " + pick(r, industryWords[ind])
			if try > 20 {
				name = fmt.Sprintf("%s %d", name, try)
			}
			if !usedName[name] {
				break
			}
		}
		usedName[name] = true
		country := pick(r, reg.countries)
		domain := domainFor(name, country)
		for k := 2; usedDomain[domain]; k++ {
			domain = strings.Replace(domainFor(name, country), ".", fmt.Sprint(k)+".", 1)
		}
		usedDomain[domain] = true
		// Employees follow a heavy tail: most accounts are small.
		emp := int(math.Round(math.Exp(3 + r.Float64()*7.2)))
		tier := "smb"
		switch {
		case emp >= 2000:
			tier = "enterprise"
		case emp >= 200:
			tier = "mid-market"
		}
		stage := []string{"target", "prospect", "opportunity", "customer", "churned"}[weighted(r, []float64{30, 28, 10, 28, 4})]
		out = append(out, account{
			id:           sfID("001", int64(20000+i*13+r.IntN(13))),
			name:         name,
			domain:       domain,
			industry:     ind,
			region:       reg.name,
			country:      country,
			tier:         tier,
			employees:    emp,
			stage:        stage,
			ownerID:      ownerFor(r, owners, reg.name, stage),
			emailPattern: weighted(r, []float64{60, 25, 10, 5}),
		})
	}
	return out
}

// domainFor turns "Bluepeak Logistics" into "bluepeaklogistics.com", with a
// country TLD for some non-US companies.
func domainFor(name, country string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(name) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	tld := ".com"
	switch country {
	case "GB":
		tld = ".co.uk"
	case "DE":
		tld = ".de"
	}
	return b.String() + tld
}

func genProducts() []product {
	return []product{
		{"prod-core", "Tallyfield Core", "platform", 2400},
		{"prod-pipelines", "Tallyfield Pipelines", "add-on", 900},
		{"prod-governance", "Tallyfield Governance", "add-on", 1200},
		{"prod-assist", "Tallyfield AI Assist", "add-on", 750},
		{"prod-embedded", "Tallyfield Embedded", "add-on", 1800},
		{"prod-support", "Premium Support", "service", 500},
	}
}

// genHoldings gives every customer (and churned account, in the past) the
// core platform and some add-ons. Premium Support is held for one named
// contact when the account has one, as support contracts are.
func genHoldings(r *rand.Rand, accounts []account, contacts map[int]string, now time.Time) []holding {
	products := genProducts()
	var out []holding
	for i, a := range accounts {
		if a.stage != "customer" {
			continue
		}
		since := now.AddDate(0, 0, -30-r.IntN(1400)).Truncate(24 * time.Hour)
		seats := max(3, a.employees/40+r.IntN(10))
		out = append(out, holding{a.id, "prod-core", "", since, seats, round2(products[0].price * (0.8 + 0.4*r.Float64()) * math.Max(1, float64(seats)/25))})
		for _, p := range products[1:] {
			if !chance(r, 0.3) {
				continue
			}
			h := holding{accountID: a.id, productID: p.id, since: since.AddDate(0, 0, r.IntN(300)), seats: max(1, seats/3)}
			if h.since.After(now) {
				h.since = now.AddDate(0, 0, -7)
			}
			h.mrr = round2(p.price * (0.8 + 0.4*r.Float64()))
			if p.id == "prod-support" {
				h.seats = 1
				h.personEmail = contacts[i]
			}
			out = append(out, h)
		}
	}
	return out
}
