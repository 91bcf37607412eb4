package demo

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// event is one events.ndjson line, kept with its sort key.
type event struct {
	ts   time.Time
	id   string
	line []byte
}

const (
	evPricing    = "Pricing Viewed"
	evConversion = "Trial Started"
)

var userAgents = []string{
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
}

var sitePages = []struct{ name, path string }{
	{"Home", "/"}, {"Product", "/product"}, {"Blog", "/blog"}, {"Docs", "/docs"},
	{"Customers", "/customers"}, {"Integrations", "/integrations"}, {"Security", "/security"}, {"Careers", "/careers"},
}

var referrers = []string{"https://www.google.com/", "https://www.linkedin.com/", "", "", "https://www.bing.com/", "https://news.ycombinator.com/"}

// eventGen draws one human's activity.
type eventGen struct {
	r   *rand.Rand
	w   *world
	out []event
	// email and webinar campaigns, for Email Clicked and Webinar Registered.
	emails, webinars []*campaign
}

// emit encodes a message and keeps it for sorting. Page views, identify,
// group and pricing views come from the browser (analytics.js, with a user
// agent and an address); the other track events from the product's
// servers.
func (g *eventGen) emit(ts time.Time, typ, userID, anonID string, fields ...kv) {
	ts = ts.Add(time.Duration(g.r.IntN(1000)) * time.Millisecond)
	ts = maxTime(ts, g.w.start)
	if !ts.Before(g.w.now) {
		return // an anonymous session running past today
	}
	id := uuid(g.r)
	obj := []kv{{"type", typ}, {"messageId", id}, {"timestamp", ts.UTC().Format("2006-01-02T15:04:05.000Z")}}
	if userID != "" {
		obj = append(obj, kv{"userId", userID})
	}
	if anonID != "" {
		obj = append(obj, kv{"anonymousId", anonID})
	}
	obj = append(obj, fields...)
	browser := typ != "track"
	for _, f := range fields {
		if f.k == "event" && f.v == evPricing {
			browser = true
		}
	}
	if browser {
		obj = append(obj, kv{"context", []kv{
			{"library", []kv{{"name", "analytics.js"}, {"version", "5.2.0"}}},
			{"userAgent", pick(g.r, userAgents)},
			{"ip", fmt.Sprintf("203.0.113.%d", 1+g.r.IntN(254))},
		}})
	} else {
		obj = append(obj, kv{"context", []kv{{"library", []kv{{"name", "analytics-node"}, {"version", "2.1.2"}}}}})
	}
	g.out = append(g.out, event{ts: ts, id: id, line: appendObject(make([]byte, 0, 512), obj)})
}

// uuid returns a random version-4 UUID string from r.
func uuid(r *rand.Rand) string {
	var raw [16]byte
	binary.BigEndian.PutUint64(raw[:8], r.Uint64())
	binary.BigEndian.PutUint64(raw[8:], r.Uint64())
	raw[6] = raw[6]&0x0f | 0x40
	raw[8] = raw[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], raw[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], raw[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], raw[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], raw[8:10])
	out[23] = '-'
	hex.Encode(out[24:], raw[10:])
	return string(out[:])
}

func page(name, path string, props ...kv) []kv {
	return []kv{{"name", name}, {"properties", append([]kv{
		{"path", path}, {"url", "https://" + companyDomain + path}, {"title", name + " | Tallyfield"},
	}, props...)}}
}

func track(name string, props ...kv) []kv {
	return []kv{{"event", name}, {"properties", props}}
}

// genEvents draws six months of website and product activity for the
// humans, plus anonymous visitors, and plants the hidden segment.
func genEvents(r *rand.Rand, w *world) {
	g := &eventGen{r: r, w: w}
	for _, c := range w.campaigns {
		switch c.channel {
		case "email":
			g.emails = append(g.emails, c)
		case "webinar":
			g.webinars = append(g.webinars, c)
		}
	}
	seg := newSegmentPlan(newRand(w.cfg.Seed, streamSegment), w)
	for i, h := range w.humans {
		g.human(i, h, seg)
	}
	anon := scaled(w.cfg.People, 0.1, 50)
	before := len(g.out)
	for i := 0; i < anon; i++ {
		id := uuid(r)
		t := between(r, w.start, w.now)
		for k := 0; k < 1+r.IntN(5); k++ {
			p := pick(r, sitePages)
			g.emit(t, "page", "", id, page(p.name, p.path, kv{"referrer", pick(r, referrers)})...)
			t = t.Add(time.Duration(20+r.IntN(300)) * time.Second)
		}
	}
	w.noise.AnonymousEvents = len(g.out) - before + seg.anonymous
	slices.SortFunc(g.out, func(a, b event) int {
		if c := a.ts.Compare(b.ts); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	w.events = g.out
	seg.truth(w)
}

// human draws one human's events. Humans created before the window were
// already known; their activity starts at the window.
func (g *eventGen) human(i int, h *human, seg *segmentPlan) {
	w, r := g.w, g.r
	if !seg.isActive(i) {
		return
	}
	from := maxTime(w.start, h.created)
	uid, anon := h.userID(), uuid(r)
	t0 := between(r, from, minTime(from.AddDate(0, 0, 30), w.now.Add(-time.Hour)))
	// A visit or two before the visitor identified.
	for k := 0; k < r.IntN(2); k++ {
		p := pick(r, sitePages)
		g.emit(maxTime(w.start, t0.Add(-time.Duration(1+r.IntN(72))*time.Hour)), "page", "", anon, page(p.name, p.path, kv{"referrer", pick(r, referrers)})...)
		seg.anonymous++
	}
	traits := []kv{{"email", h.stored[firstStored(h)]}}
	if h.first != "" {
		traits = append(traits, kv{"firstName", h.first}, kv{"lastName", h.last})
	}
	if h.title != "" {
		traits = append(traits, kv{"title", h.title})
	}
	var acct *account
	if h.account >= 0 {
		acct = &w.accounts[h.account]
		traits = append(traits, kv{"company", []kv{{"id", acct.id}, {"name", acct.name}, {"industry", acct.industry}}})
	}
	g.emit(t0, "identify", uid, anon, kv{"traits", traits})
	if acct != nil {
		g.emit(t0.Add(time.Second), "group", uid, anon, kv{"groupId", acct.id}, kv{"traits", []kv{
			{"name", acct.name}, {"industry", acct.industry}, {"employees", acct.employees}, {"plan", acct.stage}}})
	}
	at := func() time.Time { return between(r, t0, w.now) }
	for k := 0; k < geometric(r, 2); k++ {
		p := pick(r, sitePages)
		g.emit(at(), "page", uid, "", page(p.name, p.path, kv{"referrer", pick(r, referrers)})...)
	}
	views := seg.pricingViews(i)
	var lastView time.Time
	for k := 0; k < views; k++ {
		t := at()
		lastView = maxTime(lastView, t)
		g.emit(t, "track", uid, "", track(evPricing, kv{"plan_viewed", pick(r, []string{"team", "business", "enterprise"})},
			kv{"billing", pick(r, []string{"annual", "monthly"})}, kv{"path", "/pricing"})...)
		if chance(r, 0.5) {
			g.emit(t.Add(-2*time.Second), "page", uid, "", page("Pricing", "/pricing")...)
		}
	}
	if seg.converts(i) {
		t := between(r, maxTime(lastView, t0), w.now)
		if chance(r, 0.7) {
			g.emit(t.Add(-3*time.Minute), "track", uid, "", track("Signed Up", kv{"method", pick(r, []string{"google", "email"})}, kv{"plan", "free"})...)
		}
		g.emit(t, "track", uid, "", track(evConversion, kv{"plan", pick(r, []string{"team", "business"})}, kv{"trial_days", 14})...)
	}
	if chance(r, 0.02+0.02*float64(min(views, 3))) {
		g.emit(at(), "track", uid, "", track("Demo Requested", kv{"form_id", "demo-request"}, kv{"source_page", "/pricing"})...)
	}
	for k := 0; k < geometric(r, 1); k++ {
		g.emailClick(uid, at())
	}
	if len(g.webinars) > 0 && chance(r, 0.08) {
		c := pick(r, g.webinars)
		if from, to := maxTime(c.start, t0), minTime(c.end, w.now); from.Before(to) {
			g.emit(between(r, from, to), "track", uid, "",
				track("Webinar Registered", kv{"webinar_id", c.id}, kv{"campaign_id", c.id}, kv{"webinar_name", c.name})...)
		}
	}
	if chance(r, 0.1) {
		g.emit(at(), "track", uid, "", track("Whitepaper Downloaded", kv{"asset", pick(r, campaignTopics)}, kv{"format", "pdf"})...)
	}
	if acct != nil && acct.stage == "customer" {
		for k := 0; k < 2+r.IntN(5); k++ {
			g.emit(at(), "track", uid, "", track("Feature Used", kv{"feature", pick(r, []string{"dashboards", "pipelines", "alerts", "ai_assist", "exports"})})...)
		}
	}
}

// emailClick records a click on an e-mail campaign running at t.
func (g *eventGen) emailClick(uid string, t time.Time) {
	for tries := 0; tries < 4; tries++ {
		c := pick(g.r, g.emails)
		if t.Before(c.start) || t.After(c.end) {
			continue
		}
		url := fmt.Sprintf("https://%s/product?utm_source=newsletter&utm_medium=email&utm_campaign=%s", companyDomain, c.slug)
		g.emit(t, "track", uid, "", track("Email Clicked", kv{"campaign_id", c.id}, kv{"campaign_name", c.name}, kv{"link_url", url})...)
		return
	}
}

// geometric draws a count with the given mean.
func geometric(r *rand.Rand, mean float64) int {
	p := 1 / (1 + mean)
	n := 0
	for r.Float64() > p && n < 50 {
		n++
	}
	return n
}

// firstStored returns the system whose stored address identify sends.
func firstStored(h *human) int {
	for _, s := range []int{sysMAP, sysCRM, sysESP} {
		if h.in[s] && h.stored[s] != "" {
			return s
		}
	}
	return sysMAP
}
