package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"
)

// campaign is one campaigns.csv row plus the rates its days are drawn from.
type campaign struct {
	id, name, slug, channel, ownerID, goal, segment string
	landingURL                                      string // "" for channels without one
	start, end                                      time.Time
	budget                                          float64

	volume    float64 // sends or impressions on a weekday
	openRate  float64 // opens / delivered
	clickRate float64 // clicks / delivered
	convRate  float64 // conversions / clicks
	unitCost  float64 // per send, per click or per thousand impressions
	value     float64 // revenue per conversion
	dropDays  int     // direct mail: a drop every n days (0: daily)

	variants []variant // A/B test arms; nil for an ordinary campaign
	abMetric string    // the metric the test is judged on
	drop     *drop     // planted underperformance
	harm     *harm     // planted complaint or unsubscribe surge
}

// harm raises a campaign's complaint or unsubscribe rate from a date on.
type harm struct {
	metric string // complaint_rate or unsubscribe_rate
	from   time.Time
	rate   float64
}

// The rates every e-mail send draws complaints and unsubscribes at
// (Mailchimp's averages are 0.012% and 0.25%).
const (
	baseComplaintRate   = 0.0001
	baseUnsubscribeRate = 0.002
)

type variant struct {
	name            string
	clickRate, conv float64
}

// drop lowers one metric's rate from a date on.
type drop struct {
	metric string
	from   time.Time
	factor float64
}

// dayRow is one campaign_days.csv row.
type dayRow struct {
	campaignID, variant                    string
	date                                   time.Time
	sends, delivered, opens, clicks, convs int64
	spend, revenue                         float64
	unsubs, hardBounces, complaints        int64
}

// channelMix is how many of the 120 campaigns run on each channel.
var channelMix = []struct {
	channel string
	count   int
	label   string
}{
	{"email", 44, "Email"}, {"paid_search", 18, "Search"}, {"paid_social", 18, "Social"},
	{"webinar", 10, "Webinar"}, {"display", 10, "Display"}, {"direct_mail", 6, "Direct Mail"},
	{"sales_sequence", 14, "Sequence"},
}

var campaignTopics = []string{
	"Data Governance 101", "Pipeline Reliability", "AI Assist Launch", "Product Update", "Logistics Customer Stories",
	"2026 Analytics Benchmark", "Free Trial Nurture", "Pricing Page Retargeting", "Competitor Switch", "Brand Awareness",
	"Churn Win-back", "Onboarding Week 1", "Embedded Analytics", "Finance Teams", "Healthcare Compliance",
	"Executive Dinner Follow-up", "Partner Co-marketing", "Year-end Planning", "Self-serve Upgrade", "Security Review Kit",
}

var segmentsByChannel = map[string][]string{
	"email":          {"All subscribed contacts", "Trial users", "Customers: admins", "Lapsed customers", "Newsletter subscribers", "Logistics accounts"},
	"paid_search":    {"Search: branded", "Search: non-branded", "Search: competitor terms"},
	"paid_social":    {"LinkedIn: data leaders", "LinkedIn: operations titles", "Retargeting: pricing visitors"},
	"webinar":        {"All subscribed contacts", "Enterprise NA", "EMEA prospects"},
	"display":        {"ABM target accounts", "Retargeting: site visitors"},
	"direct_mail":    {"ABM tier 1 accounts", "Enterprise NA"},
	"sales_sequence": {"MQLs: demo requested", "Trial users: day 7", "Target accounts: outbound"},
}

func genCampaigns(r *rand.Rand, w *world) {
	var marketers []string
	for _, o := range w.owners {
		if o.team == "marketing" || o.team == "ops" {
			marketers = append(marketers, o.id)
		}
	}
	var cs []*campaign
	usedNames := map[string]bool{}
	for _, cm := range channelMix {
		for i := 0; i < cm.count; i++ {
			c := &campaign{channel: cm.channel, ownerID: pick(r, marketers), segment: pick(r, segmentsByChannel[cm.channel])}
			c.start = w.start.AddDate(0, 0, -30+r.IntN(windowDays+30-21))
			c.end = c.start.AddDate(0, 0, 21+r.IntN(100))
			region := pick(r, []string{"NA", "EMEA", "APAC", "Global"})
			topic := pick(r, campaignTopics)
			q := (int(c.start.Month())-1)/3 + 1
			c.name = fmt.Sprintf("%d-Q%d %s — %s (%s)", c.start.Year(), q, cm.label, topic, region)
			for k := 2; usedNames[c.name]; k++ {
				c.name = fmt.Sprintf("%d-Q%d %s — %s (%s) #%d", c.start.Year(), q, cm.label, topic, region, k)
			}
			usedNames[c.name] = true
			c.slug = slugify(fmt.Sprintf("%d-q%d-%s-%s-%s", c.start.Year(), q, cm.channel, topic, region))
			rates(r, c)
			cs = append(cs, c)
		}
	}
	// Ids grow with start date, as they do in a CRM.
	sortCampaigns(cs)
	for i, c := range cs {
		c.id = sfID("701", int64(3000+i*5))
	}
	w.campaigns = cs
	landingLinks(w)
	plantCampaignFacts(r, w)
	for _, c := range cs {
		w.days = append(w.days, campaignDays(r, w, c)...)
	}
	campaignTruth(w)
}

func sortCampaigns(cs []*campaign) {
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && (cs[j].start.Before(cs[j-1].start) || cs[j].start.Equal(cs[j-1].start) && cs[j].name < cs[j-1].name); j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}

// rates sets a campaign's volume and rates from its channel's benchmarks.
func rates(r *rand.Rand, c *campaign) {
	u := func(a, b float64) float64 { return a + (b-a)*r.Float64() }
	c.value = math.Round(u(300, 1800))
	switch c.channel {
	case "email":
		c.volume, c.openRate, c.clickRate, c.convRate, c.unitCost = u(800, 4000), u(0.22, 0.40), u(0.02, 0.04), u(0.04, 0.10), 0.002
		c.goal = pick(r, []string{"clicks", "conversions"})
	case "paid_search":
		c.volume, c.clickRate, c.convRate, c.unitCost = u(5000, 40000), u(0.02, 0.06), u(0.03, 0.09), u(3, 12)
		c.goal = pick(r, []string{"conversions", "revenue"})
	case "paid_social":
		c.volume, c.clickRate, c.convRate, c.unitCost = u(10000, 80000), u(0.004, 0.012), u(0.01, 0.04), u(4, 10)
		c.goal = pick(r, []string{"conversions", "clicks"})
	case "display":
		c.volume, c.clickRate, c.convRate, c.unitCost = u(50000, 200000), u(0.0008, 0.003), u(0.005, 0.02), u(3, 8)
		c.goal = "clicks"
	case "webinar":
		c.volume, c.openRate, c.clickRate, c.convRate, c.unitCost = u(500, 2000), u(0.25, 0.40), u(0.04, 0.08), u(0.25, 0.40), 0.004
		c.goal = "signups"
	case "direct_mail":
		c.volume, c.clickRate, c.convRate, c.unitCost, c.dropDays = u(300, 1500), u(0.01, 0.03), u(0.1, 0.25), 2.5, 14
		c.goal = "conversions"
	case "sales_sequence":
		c.volume, c.openRate, c.clickRate, c.convRate = u(50, 300), u(0.35, 0.55), u(0.02, 0.06), u(0.2, 0.4)
		c.goal = "conversions"
	}
	days := c.end.Sub(c.start).Hours() / 24
	c.budget = math.Round(expectedSpend(c)*days*u(1.0, 1.3)/100) * 100
}

// expectedSpend is a weekday's spend at the campaign's rates.
func expectedSpend(c *campaign) float64 {
	switch c.channel {
	case "paid_search", "paid_social":
		return c.volume * c.clickRate * c.unitCost
	case "display":
		return c.volume / 1000 * c.unitCost
	case "direct_mail":
		return c.volume * c.unitCost / float64(c.dropDays)
	}
	return c.volume * c.unitCost
}

// isEmailLike reports whether the channel sends messages (and so has
// opens, bounces, unsubscribes and complaints).
func isEmailLike(ch string) bool {
	return ch == "email" || ch == "webinar" || ch == "sales_sequence"
}

// campaignDays draws a campaign's daily rows inside the window.
func campaignDays(r *rand.Rand, w *world, c *campaign) []dayRow {
	first := maxTime(c.start, w.start)
	last := minTime(c.end, w.now.AddDate(0, 0, -1))
	arms := c.variants
	if arms == nil {
		arms = []variant{{name: "", clickRate: c.clickRate, conv: c.convRate}}
	}
	var out []dayRow
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		if c.dropDays > 0 && int(d.Sub(c.start).Hours()/24)%c.dropDays != 0 {
			continue
		}
		weekday := 1.0
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			weekday = 0.35
		}
		noise := math.Exp(0.05 * r.NormFloat64())
		for _, a := range arms {
			click, conv := a.clickRate*noise, a.conv*math.Exp(0.05*r.NormFloat64())
			if c.drop != nil && !d.Before(c.drop.from) {
				switch c.drop.metric {
				case "click_rate":
					click *= c.drop.factor
				case "conversion_rate":
					conv *= c.drop.factor
				}
			}
			volume := c.volume * weekday * math.Exp(0.1*r.NormFloat64()) / float64(len(arms))
			out = append(out, drawDay(r, c, a.name, d, int64(math.Round(volume)), click, conv))
		}
	}
	return out
}

func drawDay(r *rand.Rand, c *campaign, arm string, d time.Time, sends int64, click, conv float64) dayRow {
	row := dayRow{campaignID: c.id, variant: arm, date: d, sends: sends, delivered: sends}
	if isEmailLike(c.channel) || c.channel == "direct_mail" {
		row.hardBounces = binomial(r, sends, 0.003)
		soft := binomial(r, sends, 0.005)
		row.delivered = sends - row.hardBounces - soft
	}
	if isEmailLike(c.channel) {
		row.opens = binomial(r, row.delivered, c.openRate)
		unsub, complaint := baseUnsubscribeRate, baseComplaintRate
		if c.harm != nil && !d.Before(c.harm.from) {
			switch c.harm.metric {
			case "complaint_rate":
				complaint = c.harm.rate
			case "unsubscribe_rate":
				unsub = c.harm.rate
			}
		}
		row.unsubs = binomial(r, row.delivered, unsub)
		row.complaints = binomial(r, row.delivered, complaint)
	}
	row.clicks = binomial(r, row.delivered, click)
	row.convs = binomial(r, row.clicks, conv)
	switch c.channel {
	case "paid_search", "paid_social":
		row.spend = round2(float64(row.clicks) * c.unitCost * (0.9 + 0.2*r.Float64()))
	case "display":
		row.spend = round2(float64(row.delivered) / 1000 * c.unitCost)
	default:
		row.spend = round2(float64(sends) * c.unitCost)
	}
	row.revenue = round2(float64(row.convs) * c.value * (0.8 + 0.4*r.Float64()))
	return row
}

// slugify makes a lower-case, hyphenated utm_campaign value.
func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(s) {
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b.WriteRune(c)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(strings.ReplaceAll(b.String(), "_", "-"), "-")
}
