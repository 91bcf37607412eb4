package demo

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"
)

// The three systems every human can appear in.
const (
	sysCRM = iota
	sysMAP
	sysESP
)

var systemNames = [3]string{"crm", "map", "esp"}

// human is one real person of the demo world. Records are how systems see
// them; a human may have up to one record per system, plus planted
// duplicate records.
type human struct {
	first, last, email string // email is the canonical lower-case address
	title, phone       string
	account            int // index into accounts, -1 for none
	country, region    string
	created            time.Time
	in                 [3]bool
	stored             [3]string // the address as each system holds it ("" = none)
	ids                [3]string
	sysCreated         [3]time.Time
	sysUpdated         [3]time.Time
	role, personal     bool
	leadScore          int
	persona, utmSource string
	reserved           bool // taken by a planted fact; keeps facts apart
	consentDone        bool // consent rows already written by a planted fact
}

// systemCount is how many systems know the human.
func (h *human) systemCount() int {
	n := 0
	for _, b := range h.in {
		if b {
			n++
		}
	}
	return n
}

// userID is the id the website's tracking knows the human by: the MAP lead
// id when there is one (the tracking cookie is the MAP's), else the CRM
// id, else the ESP id.
func (h *human) userID() string {
	for _, s := range []int{sysMAP, sysCRM, sysESP} {
		if h.in[s] {
			return h.ids[s]
		}
	}
	return ""
}

// record is one people.csv row.
type record struct {
	system                            int
	id, email, first, last, title     string
	phone, accountID, country, region string
	created, updated                  time.Time
	leadScore, persona, utmSource     string
	plan, trialDaysLeft, stage        string // product plan (ESP) and lifecycle stage (CRM)
	human                             int
	duplicate                         bool
}

// systemMixes are the combinations of systems a human is in, with weights:
// most people are in two or three.
var systemMixes = []struct {
	in     [3]bool
	weight float64
}{
	{[3]bool{true, true, true}, 35}, {[3]bool{true, true, false}, 20},
	{[3]bool{false, true, true}, 22}, {[3]bool{true, false, true}, 5},
	{[3]bool{false, true, false}, 10}, {[3]bool{true, false, false}, 5},
	{[3]bool{false, false, true}, 3},
}

// peopleGen builds humans and keeps the sets that keep addresses unique.
type peopleGen struct {
	r        *rand.Rand
	now      time.Time
	accounts []account
	cum      []float64
	used     map[string]bool // canonical addresses in use
	names    map[string]bool // account|first|last in use
}

func newPeopleGen(r *rand.Rand, now time.Time, accounts []account) *peopleGen {
	g := &peopleGen{r: r, now: now, accounts: accounts, used: map[string]bool{}, names: map[string]bool{}}
	total := 0.0
	for _, a := range accounts {
		// Bigger companies have more people known to us, sub-linearly.
		total += 1 + float64(a.employees)/(float64(a.employees)+400)*8
		g.cum = append(g.cum, total)
	}
	return g
}

func (g *peopleGen) pickAccount() int {
	u := g.r.Float64() * g.cum[len(g.cum)-1]
	return min(sort.SearchFloat64s(g.cum, u), len(g.cum)-1)
}

func genHumans(r *rand.Rand, n int, now time.Time, accounts []account) ([]*human, *peopleGen) {
	g := newPeopleGen(r, now, accounts)
	mixW := make([]float64, len(systemMixes))
	for i, m := range systemMixes {
		mixW[i] = m.weight
	}
	titleW := make([]float64, len(titles))
	for i, t := range titles {
		titleW[i] = t.weight
	}
	out := make([]*human, 0, n)
	for len(out) < n {
		h := &human{account: -1}
		kind := weighted(r, []float64{92.5, 7, 0.5}) // company, personal, role
		h.in = systemMixes[weighted(r, mixW)].in
		switch kind {
		case 0:
			h.account = g.pickAccount()
			a := accounts[h.account]
			h.country, h.region = a.country, a.region
			g.name(h, a.id)
			h.title = titles[weighted(r, titleW)].title
			h.email = g.unique(emailLocal(h.first, h.last, a.emailPattern), a.domain)
		case 1:
			h.personal = true
			reg := regions[weighted(r, []float64{45, 35, 14, 6})]
			h.country, h.region = pick(r, reg.countries), reg.name
			g.name(h, "")
			if chance(r, 0.5) {
				h.title = titles[weighted(r, titleW)].title
			}
			local := emailLocal(h.first, h.last, 0) + fmt.Sprint(r.IntN(90)+10)
			h.email = g.unique(local, pick(r, personalDomains))
			h.in[sysCRM] = h.in[sysCRM] && chance(r, 0.2)
		case 2:
			h.role = true
			h.account = g.pickAccount()
			a := accounts[h.account]
			h.country, h.region = a.country, a.region
			local := pick(r, roleLocals)
			if g.used[local+"@"+a.domain] {
				continue
			}
			h.email = g.unique(local, a.domain)
			h.in = [3]bool{false, true, chance(r, 0.8)}
		}
		if h.systemCount() == 0 {
			h.in[sysMAP] = true
		}
		if !h.role && chance(r, 0.55) {
			h.phone = phoneFor(r, h.country)
		}
		// A quarter of the people arrived during the six-month window.
		if chance(r, 0.25) {
			h.created = between(r, now.AddDate(0, 0, -windowDays), now.Add(-time.Hour))
		} else {
			h.created = between(r, now.AddDate(-3, 0, 0), now.AddDate(0, 0, -windowDays))
		}
		out = append(out, h)
	}
	return out, g
}

// name draws a first and last name not yet used at the account, so two
// different humans never look like a duplicate by accident.
func (g *peopleGen) name(h *human, accountID string) {
	for {
		h.first, h.last = pick(g.r, firstNames), pick(g.r, lastNames)
		if accountID == "" {
			return
		}
		k := accountID + "|" + h.first + "|" + h.last
		if !g.names[k] {
			g.names[k] = true
			return
		}
	}
}

// unique returns local@domain, or a numbered variant when that address is
// taken, and marks it used.
func (g *peopleGen) unique(local, domain string) string {
	e := local + "@" + domain
	for k := 2; g.used[e]; k++ {
		e = fmt.Sprintf("%s%d@%s", local, k, domain)
	}
	g.used[e] = true
	return e
}

// emailLocal builds the local part of a work address in the company's
// pattern: first.last, flast, firstl or first_last.
func emailLocal(first, last string, pattern int) string {
	f, l := asciiFold(first), asciiFold(last)
	switch pattern {
	case 1:
		return f[:1] + l
	case 2:
		return f + l[:1]
	case 3:
		return f + "_" + l
	}
	return f + "." + l
}

var foldMap = map[rune]string{
	'á': "a", 'à': "a", 'ä': "a", 'â': "a", 'ã': "a", 'é': "e", 'è': "e", 'ë': "e", 'ê': "e",
	'í': "i", 'ï': "i", 'î': "i", 'ó': "o", 'ö': "o", 'ô': "o", 'õ': "o", 'ú': "u", 'ü': "u",
	'û': "u", 'ñ': "n", 'ç': "c", 'ß': "ss", 'ø': "o", 'å': "a",
}

// asciiFold lower-cases a name and drops what cannot be in an address
// local part the way mail admins do: accents folded, spaces and
// apostrophes removed.
func asciiFold(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		switch {
		case c >= 'a' && c <= 'z':
			b.WriteRune(c)
		case foldMap[c] != "":
			b.WriteString(foldMap[c])
		}
	}
	if b.Len() == 0 {
		return "x"
	}
	return b.String()
}

func phoneFor(r *rand.Rand, country string) string {
	switch country {
	case "US", "CA":
		return fmt.Sprintf("+1 %03d-555-%04d", 201+r.IntN(780), r.IntN(10000))
	case "GB":
		return fmt.Sprintf("+44 20 7946 %04d", r.IntN(10000))
	case "DE":
		return fmt.Sprintf("+49 30 %08d", r.IntN(100000000))
	case "FR":
		return fmt.Sprintf("+33 1 %02d %02d %02d %02d", r.IntN(100), r.IntN(100), r.IntN(100), r.IntN(100))
	}
	codes := map[string]string{"NL": "31", "SE": "46", "IE": "353", "ES": "34", "IT": "39", "AU": "61",
		"SG": "65", "JP": "81", "IN": "91", "NZ": "64", "BR": "55", "MX": "52", "CO": "57", "AR": "54"}
	return fmt.Sprintf("+%s %d", codes[country], 100000000+r.IntN(900000000))
}

// assignSystems sorts humans by arrival, then gives each system's record
// its creation time, stored address and id. Ids grow with time, as they
// do in a real CRM and MAP.
func assignSystems(r *rand.Rand, hs []*human, now time.Time) (crmNext, mapNext int64) {
	slices.SortStableFunc(hs, func(a, b *human) int { return a.created.Compare(b.created) })
	crmN, mapN := int64(400000), int64(1204331)
	for _, h := range hs {
		latest := now.Add(-time.Minute)
		h.sysCreated[sysMAP] = h.created
		h.sysCreated[sysCRM] = minTime(h.created.Add(time.Duration(r.IntN(60*24*60))*time.Minute), latest)
		if !h.in[sysMAP] {
			h.sysCreated[sysCRM] = h.created
		}
		h.sysCreated[sysESP] = minTime(h.created.Add(time.Duration(r.IntN(48*60))*time.Minute), latest)
		for s := 0; s < 3; s++ {
			if !h.in[s] {
				continue
			}
			h.stored[s] = h.email
			if chance(r, 0.06) {
				h.stored[s] = mixCase(r, h.email)
			}
			h.sysUpdated[s] = between(r, h.sysCreated[s], now)
		}
		if h.in[sysCRM] {
			crmN += 1 + int64(r.IntN(40))
			h.ids[sysCRM] = sfID("003", crmN)
			if !h.role {
				h.persona = pick(r, personas)
			}
		}
		if h.in[sysMAP] {
			mapN += 1 + int64(r.IntN(3))
			h.ids[sysMAP] = mapID(mapN)
			h.leadScore = r.IntN(101)
			if chance(r, 0.7) {
				h.utmSource = pick(r, leadSources)
			}
		}
		if h.in[sysESP] {
			h.ids[sysESP] = espID(h.stored[sysESP])
		}
	}
	return crmN + 50, mapN + 10
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// mixCase returns the address as a person typed it into a form:
// "Ana.Lopez@Acme.com" or "ANA.LOPEZ@ACME.COM".
func mixCase(r *rand.Rand, e string) string {
	local, domain, _ := strings.Cut(e, "@")
	if chance(r, 0.2) {
		return strings.ToUpper(e)
	}
	return titleWords(local) + "@" + titleWords(domain)
}

// titleWords capitalises each dot- or underscore-separated word.
func titleWords(s string) string {
	b := []byte(s)
	up := true
	for i, c := range b {
		if up && c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
		up = c == '.' || c == '_'
	}
	return string(b)
}

// humanRecords turns humans into their per-system records.
func humanRecords(hs []*human, accounts []account) []*record {
	out := make([]*record, 0, len(hs)*22/10)
	for i, h := range hs {
		for s := 0; s < 3; s++ {
			if !h.in[s] {
				continue
			}
			out = append(out, h.record(i, s, accounts))
		}
	}
	return out
}

func (h *human) record(i, s int, accounts []account) *record {
	rec := &record{
		system: s, id: h.ids[s], email: h.stored[s], first: h.first, last: h.last,
		title: h.title, phone: h.phone, country: h.country, region: h.region,
		created: h.sysCreated[s], updated: h.sysUpdated[s], human: i,
	}
	if h.account >= 0 {
		rec.accountID = accounts[h.account].id
	}
	switch s {
	case sysMAP:
		rec.leadScore = fmt.Sprint(h.leadScore)
		rec.utmSource = h.utmSource
	case sysCRM:
		rec.persona = h.persona
		if h.account >= 0 {
			rec.stage = accounts[h.account].stage
		}
	case sysESP:
		// ESPs keep the address and a name, and the product attributes
		// e-mails personalise on.
		if h.account >= 0 {
			rec.plan, rec.trialDaysLeft = productPlan(accounts[h.account], rec.id)
		}
		rec.title, rec.phone, rec.accountID = "", "", ""
	}
	return rec
}

// productPlan is the plan an ESP knows a person's company is on, and the
// days left for a trial. It is derived from the account and the record id,
// not drawn, so adding it left every other drawn value as it was.
func productPlan(a account, recordID string) (plan, daysLeft string) {
	switch a.stage {
	case "customer":
		if a.tier == "smb" {
			return "team", ""
		}
		return "business", ""
	case "opportunity", "prospect":
		h := fnv.New32a()
		h.Write([]byte(recordID))
		if v := h.Sum32(); v%3 == 0 {
			return "trial", fmt.Sprint(1 + v/3%14)
		}
	}
	return "", ""
}
