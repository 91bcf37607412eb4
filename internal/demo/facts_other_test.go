package demo

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestHiddenSegmentConvertsFromTheEvents(t *testing.T) {
	dir, truth := bundle(t)
	facts := truth.Kind(KindHiddenSegment)
	if len(facts) != 1 {
		t.Fatalf("%d hidden segments", len(facts))
	}
	seg := facts[0].Segment
	industry := map[string]string{}
	for _, row := range readCSV(t, dir, "accounts.csv").rows {
		industry[row["id"]] = row["industry"]
	}
	type profile struct{ title, industry string }
	byID := map[string]profile{}
	for _, row := range readCSV(t, dir, "people.csv").rows {
		byID[row["system_id"]] = profile{row["title"], industry[row["account_id"]]}
	}
	views, converted, seen := map[string]int{}, map[string]bool{}, map[string]bool{}
	for _, m := range readEvents(t, dir) {
		if m.UserID == "" {
			continue
		}
		seen[m.UserID] = true
		switch m.Event {
		case seg.PricingEvent:
			views[m.UserID]++
		case seg.ConversionEvent:
			converted[m.UserID] = true
		}
	}
	type tally struct{ n, conv int }
	var in, out, pricing, ind, title tally
	var members []string
	add := func(t *tally, id string) {
		t.n++
		if converted[id] {
			t.conv++
		}
	}
	for id := range seen {
		p := byID[id]
		isInd, isTitle, isPricing := p.industry == seg.Industry, strings.Contains(p.title, seg.TitleContains), views[id] >= seg.MinPricingViews
		if isInd && isTitle && isPricing {
			add(&in, id)
			members = append(members, id)
			continue
		}
		add(&out, id)
		if isPricing {
			add(&pricing, id)
		}
		if isInd {
			add(&ind, id)
		}
		if isTitle {
			add(&title, id)
		}
	}
	slices.Sort(members)
	if !slices.Equal(members, seg.MemberUserIDs) {
		t.Errorf("segment from the files has %d members, truth lists %d", len(members), len(seg.MemberUserIDs))
	}
	rate := func(t tally) float64 { return round6(float64(t.conv) / float64(t.n)) }
	if len(seen) != seg.Population || in.n != seg.Size || in.conv != seg.Conversions || rate(in) != seg.Rate || rate(out) != seg.BaseRate {
		t.Errorf("from the files: population %d, size %d, conversions %d, rate %.4f, base %.4f; truth: %d, %d, %d, %.4f, %.4f",
			len(seen), in.n, in.conv, rate(in), rate(out), seg.Population, seg.Size, seg.Conversions, seg.Rate, seg.BaseRate)
	}
	if seg.Size < 10 {
		t.Errorf("segment has only %d members", seg.Size)
	}
	for name, other := range map[string]float64{"base": rate(out), "pricing only": rate(pricing), "industry only": rate(ind), "title only": rate(title)} {
		if rate(in) < 3*other {
			t.Errorf("segment converts at %.3f, not 3x the %s rate %.3f", rate(in), name, other)
		}
	}
}

func TestIdleLicensesMatchUsage(t *testing.T) {
	dir, truth := bundle(t)
	now := truth.nowTime(t)
	seats := map[string]int{}
	for _, row := range readCSV(t, dir, "licenses.csv").rows {
		seats[row["tool"]] = int(num(row, "seats"))
	}
	usage := map[string][]map[string]string{}
	for _, row := range readCSV(t, dir, "license_usage.csv").rows {
		usage[row["tool"]] = append(usage[row["tool"]], row)
	}
	facts := truth.Kind(KindIdleLicenses)
	if len(facts) != len(seats) || len(facts) < 10 {
		t.Fatalf("%d licence facts for %d tools", len(facts), len(seats))
	}
	idle90, unassigned, excluded := 0, 0, 0
	for _, f := range facts {
		l := f.IdleLicenses
		rows := usage[l.Tool]
		if l.Seats != seats[l.Tool] || l.Assigned != len(rows) || l.Unassigned != l.Seats-len(rows) || l.Unassigned < 0 {
			t.Errorf("%s: seats %d assigned %d unassigned %d; files: %d seats, %d users", f.ID, l.Seats, l.Assigned, l.Unassigned, seats[l.Tool], len(rows))
		}
		var i60, i90 []string
		for _, row := range rows {
			if slices.Contains(l.Excluded, row["user_email"]) {
				if row["last_active_at"] != "" {
					t.Errorf("%s: integration user %s has interactive activity", f.ID, row["user_email"])
				}
				continue
			}
			last, _ := time.Parse(time.RFC3339, row["last_active_at"])
			idle := now.Sub(last)
			if row["last_active_at"] == "" || idle > 90*24*time.Hour {
				i90 = append(i90, row["user_email"])
			}
			if row["last_active_at"] == "" || idle > 60*24*time.Hour {
				i60 = append(i60, row["user_email"])
			}
		}
		if !slices.Equal(i60, l.Idle60) || !slices.Equal(i90, l.Idle90) {
			t.Errorf("%s: idle users from the file %v / %v, truth %v / %v", f.ID, i60, i90, l.Idle60, l.Idle90)
		}
		if want := round2(float64(l.Unassigned+len(l.Idle90)) * l.CostPerSeatMonth); l.MonthlyWaste != want {
			t.Errorf("%s: waste %.2f, want %.2f", f.ID, l.MonthlyWaste, want)
		}
		idle90 += len(l.Idle90)
		unassigned += l.Unassigned
		excluded += len(l.Excluded)
	}
	if idle90 < 10 || unassigned < 5 || excluded < 2 {
		t.Errorf("too little to find: %d idle > 90 days, %d unassigned seats, %d integration users", idle90, unassigned, excluded)
	}
}

var (
	hrefRe    = regexp.MustCompile(`href="([^"]+)"`)
	foreignRe = map[string]*regexp.Regexp{
		"liquid":     regexp.MustCompile(`\{\{[#/]`),
		"handlebars": regexp.MustCompile(`\{%`),
	}
)

func TestTemplateIssuesAreInTheFiles(t *testing.T) {
	dir, truth := bundle(t)
	facts := truth.Kind(KindTemplate)
	if len(facts) < 18 {
		t.Fatalf("only %d templates", len(facts))
	}
	clean, kinds := 0, map[string]int{}
	for _, f := range facts {
		tf := f.Template
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(tf.Path)))
		if err != nil {
			t.Fatalf("%s: %v", f.ID, err)
		}
		body := string(b)
		if !strings.Contains(body, "id: \""+tf.TemplateID+"\"") {
			t.Errorf("%s: front matter does not carry id %s", f.ID, tf.TemplateID)
		}
		if tf.Clean != (len(tf.Issues) == 0) {
			t.Errorf("%s: clean = %v with %d issues", f.ID, tf.Clean, len(tf.Issues))
		}
		has := map[string]bool{}
		for _, is := range tf.Issues {
			has[is.Kind] = true
			kinds[is.Kind]++
			if is.Snippet != "" && !strings.Contains(body, is.Snippet) {
				t.Errorf("%s: snippet %q of %s not in the file", f.ID, is.Snippet, is.Kind)
			}
		}
		if got := strings.Contains(strings.ToLower(body), "unsubscribe"); got == has["missing_unsubscribe"] {
			t.Errorf("%s: unsubscribe present = %v, missing_unsubscribe planted = %v", f.ID, got, has["missing_unsubscribe"])
		}
		if got := foreignRe[tf.Dialect].MatchString(body); got != has["wrong_dialect"] {
			t.Errorf("%s: foreign syntax present = %v, wrong_dialect planted = %v", f.ID, got, has["wrong_dialect"])
		}
		untagged, partial := false, false
		for _, m := range hrefRe.FindAllStringSubmatch(body, -1) {
			u := m[1]
			if !strings.HasPrefix(u, "https://"+companyDomain) {
				continue
			}
			n := strings.Count(u, "utm_source=") + strings.Count(u, "utm_medium=") + strings.Count(u, "utm_campaign=")
			untagged = untagged || n == 0
			partial = partial || n > 0 && n < 3
		}
		if untagged != has["untagged_link"] || partial != has["partial_utm"] {
			t.Errorf("%s: untagged %v partial %v; planted %v %v", f.ID, untagged, partial, has["untagged_link"], has["partial_utm"])
		}
		if tf.Clean {
			clean++
			for _, k := range kits {
				for _, bad := range []string{k.broken, k.unknown} {
					if strings.Contains(body, bad) {
						t.Errorf("%s: clean template holds %q", f.ID, bad)
					}
				}
			}
		}
	}
	if clean < 5 {
		t.Errorf("only %d clean templates", clean)
	}
	for _, k := range []string{"broken_merge_field", "wrong_dialect", "unknown_field", "missing_unsubscribe", "untagged_link", "partial_utm", "missing_fallback",
		"banned_phrase", "long_subject", "missing_alt", "malformed_url", "foreign_platform", "missing_postal_address", "utm_taxonomy"} {
		if kinds[k] == 0 {
			t.Errorf("no template with %s", k)
		}
	}
}

func TestTruthReadsWell(t *testing.T) {
	dir, truth := bundle(t)
	b, err := os.ReadFile(filepath.Join(dir, "truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "{\n  \"version\": 1,") || strings.Contains(string(b), `\u0026`) {
		t.Errorf("truth.json is not indented plain JSON: %.60q", b)
	}
	for i := 1; i < len(truth.Facts); i++ {
		a, c := truth.Facts[i-1], truth.Facts[i]
		if a.Kind > c.Kind || a.Kind == c.Kind && a.ID >= c.ID {
			t.Errorf("facts out of order at %s, %s", a.ID, c.ID)
		}
	}
	for _, f := range truth.Facts {
		set := 0
		for _, p := range []bool{f.Suppression != nil, f.Bounce != nil, f.Duplicate != nil, f.Underperformance != nil,
			f.ABTest != nil, f.IdleLicenses != nil, f.Template != nil, f.CampaignLink != nil, f.Segment != nil, f.Hygiene != nil, f.Harm != nil,
			f.CrossSell != nil, f.Routing != nil} {
			if p {
				set++
			}
		}
		if set != 1 || f.Summary == "" {
			t.Errorf("%s: %d detail fields set, summary %q", f.ID, set, f.Summary)
		}
	}
}

func TestCampaignLinksArePlanted(t *testing.T) {
	dir, truth := bundle(t)
	campaigns := readCSV(t, dir, "campaigns.csv")
	byID := map[string]map[string]string{}
	for _, row := range campaigns.rows {
		byID[row["id"]] = row
	}
	issues := map[string]int{}
	planted := map[string]bool{}
	for _, f := range truth.Facts {
		if f.Kind != KindCampaignLink {
			continue
		}
		l := f.CampaignLink
		planted[l.CampaignID] = true
		issues[l.Issue]++
		if got := byID[l.CampaignID]["landing_url"]; got != l.URL {
			t.Errorf("%s: landing_url %q, truth says %q", l.CampaignID, got, l.URL)
		}
	}
	for _, k := range []string{"untagged", "partial_utm", "utm_case"} {
		if issues[k] == 0 {
			t.Errorf("no campaign link planted with %s", k)
		}
	}
	// Every other landing link carries the three required parameters in
	// lower case, with the campaign's own utm_campaign.
	for id, row := range byID {
		u := row["landing_url"]
		if u == "" || planted[id] {
			continue
		}
		if !strings.Contains(u, "utm_source=") || !strings.Contains(u, "utm_medium=") ||
			!strings.Contains(u, "utm_campaign="+row["utm_campaign"]) || u != strings.ToLower(u) {
			t.Errorf("%s: clean landing link %q is not tagged as the taxonomy says", id, u)
		}
	}
}
