package demo

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"gopkg.in/yaml.v3"
)

// required lists each CSV's required columns (the import formats).
var required = map[string][]string{
	"owners.csv":        {"id", "name", "email"},
	"accounts.csv":      {"id", "name"},
	"products.csv":      {"id", "name"},
	"people.csv":        {"system", "system_id"},
	"consent.csv":       {"system", "channel", "status", "at"},
	"holdings.csv":      {"account_id", "product_id"},
	"campaigns.csv":     {"id", "name", "channel"},
	"campaign_days.csv": {"campaign_id", "date"},
	"licenses.csv":      {"tool", "seats", "cost_per_seat_month"},
	"license_usage.csv": {"tool", "user_email"},
}

// checker collects shape errors with file and line, and stops a test
// from drowning in them.
type checker struct {
	t *testing.T
	n int
}

func (c *checker) errorf(file string, line int, format string, args ...any) {
	c.t.Helper()
	c.n++
	if c.n <= 20 {
		c.t.Errorf("%s:%d: "+format, append([]any{file, line}, args...)...)
	}
}

func (c *checker) enum(file string, line int, v string, allowed []string) {
	c.t.Helper()
	if !slices.Contains(allowed, v) {
		c.errorf(file, line, "%q is not one of %v", v, allowed)
	}
}

func (c *checker) number(file string, line int, col, v string, integer bool) {
	c.t.Helper()
	if v == "" {
		return
	}
	var err error
	if integer {
		_, err = strconv.ParseInt(v, 10, 64)
	} else {
		_, err = strconv.ParseFloat(v, 64)
	}
	if err != nil || strings.ContainsAny(v, "eE") {
		c.errorf(file, line, "%s %q is not a plain number", col, v)
	}
}

func (c *checker) when(file string, line int, col, v string, dateOnly, optional bool) time.Time {
	c.t.Helper()
	if v == "" {
		if !optional {
			c.errorf(file, line, "%s is empty", col)
		}
		return time.Time{}
	}
	layout := time.RFC3339
	if dateOnly {
		layout = time.DateOnly
	}
	ts, err := time.Parse(layout, v)
	if err != nil {
		c.errorf(file, line, "%s %q: %v", col, v, err)
	}
	return ts
}

func names[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

func TestBundleShape(t *testing.T) {
	dir, truth := bundle(t)
	c := &checker{t: t}
	tables := map[string]table{}
	for name, cols := range required {
		tb := readCSV(t, dir, name)
		tables[name] = tb
		for _, col := range cols {
			if !slices.Contains(tb.header, col) {
				t.Fatalf("%s lacks required column %s", name, col)
			}
		}
		for i, row := range tb.rows {
			for _, col := range cols {
				if row[col] == "" && !(name == "consent.csv" && col == "system") {
					c.errorf(name, i+2, "required %s is empty", col)
				}
			}
		}
	}
	key := func(name string, cols ...string) map[string]bool {
		seen := map[string]bool{}
		for i, row := range tables[name].rows {
			parts := make([]string, len(cols))
			for j, col := range cols {
				parts[j] = row[col]
			}
			k := strings.Join(parts, "\x00")
			if seen[k] {
				c.errorf(name, i+2, "duplicate key %v", parts)
			}
			seen[k] = true
		}
		return seen
	}
	owners, accounts, products := key("owners.csv", "id"), key("accounts.csv", "id"), key("products.csv", "id")
	records := key("people.csv", "system", "system_id")
	campaigns, tools := key("campaigns.csv", "id"), key("licenses.csv", "tool")
	key("consent.csv", "system", "system_id", "email", "channel", "status", "at")
	key("holdings.csv", "account_id", "product_id", "person_email")
	key("campaign_days.csv", "campaign_id", "date", "variant")
	key("license_usage.csv", "tool", "user_email")

	for i, row := range tables["owners.csv"].rows {
		c.enum("owners.csv", i+2, row["team"], names(foundation.Teams))
		c.number("owners.csv", i+2, "capacity", row["capacity"], true)
	}
	for i, row := range tables["accounts.csv"].rows {
		if row["owner_id"] != "" && !owners[row["owner_id"]] {
			c.errorf("accounts.csv", i+2, "owner %s not in owners.csv", row["owner_id"])
		}
		c.number("accounts.csv", i+2, "employees", row["employees"], true)
	}
	emails := map[string]bool{}
	for i, row := range tables["people.csv"].rows {
		c.enum("people.csv", i+2, row["system"], []string{"crm", "map", "esp"})
		if row["account_id"] != "" && !accounts[row["account_id"]] {
			c.errorf("people.csv", i+2, "account %s not in accounts.csv", row["account_id"])
		}
		if e := row["email"]; e != "" && !foundation.ValidEmailSyntax(e) {
			c.errorf("people.csv", i+2, "email %q is not an address", e)
		}
		emails[foundation.NormalizeEmail(row["email"])] = true
		created := c.when("people.csv", i+2, "created_at", row["created_at"], false, false)
		updated := c.when("people.csv", i+2, "updated_at", row["updated_at"], false, false)
		if updated.Before(created) {
			c.errorf("people.csv", i+2, "updated_at before created_at")
		}
		if created.After(truth.nowTime(t)) {
			c.errorf("people.csv", i+2, "created in the future")
		}
	}
	for i, row := range tables["consent.csv"].rows {
		c.enum("consent.csv", i+2, row["system"], []string{"crm", "map", "esp"})
		c.enum("consent.csv", i+2, row["channel"], names(foundation.Channels))
		c.enum("consent.csv", i+2, row["status"], names(foundation.ConsentStatuses))
		c.when("consent.csv", i+2, "at", row["at"], false, false)
		switch {
		case row["system_id"] != "":
			if !records[row["system"]+"\x00"+row["system_id"]] {
				c.errorf("consent.csv", i+2, "%s record %s not in people.csv", row["system"], row["system_id"])
			}
		case row["email"] == "":
			c.errorf("consent.csv", i+2, "neither system_id nor email")
		case row["email"] != strings.ToLower(row["email"]):
			c.errorf("consent.csv", i+2, "email %q not normalised", row["email"])
		}
	}
	for i, row := range tables["holdings.csv"].rows {
		if !accounts[row["account_id"]] || !products[row["product_id"]] {
			c.errorf("holdings.csv", i+2, "unknown account or product")
		}
		if e := row["person_email"]; e != "" && !emails[e] {
			c.errorf("holdings.csv", i+2, "person %s not in people.csv", e)
		}
		c.when("holdings.csv", i+2, "since", row["since"], true, true)
		c.number("holdings.csv", i+2, "mrr", row["mrr"], false)
	}
	for i, row := range tables["campaigns.csv"].rows {
		c.enum("campaigns.csv", i+2, row["channel"], names(foundation.CampaignChannels))
		c.enum("campaigns.csv", i+2, row["goal"], names(foundation.Goals))
		if !owners[row["owner_id"]] {
			c.errorf("campaigns.csv", i+2, "owner %s not in owners.csv", row["owner_id"])
		}
		s := c.when("campaigns.csv", i+2, "start_date", row["start_date"], true, false)
		e := c.when("campaigns.csv", i+2, "end_date", row["end_date"], true, false)
		if e.Before(s) {
			c.errorf("campaigns.csv", i+2, "ends before it starts")
		}
		c.number("campaigns.csv", i+2, "budget", row["budget"], false)
	}
	for i, row := range tables["campaign_days.csv"].rows {
		if !campaigns[row["campaign_id"]] {
			c.errorf("campaign_days.csv", i+2, "campaign %s not in campaigns.csv", row["campaign_id"])
		}
		c.when("campaign_days.csv", i+2, "date", row["date"], true, false)
		n := map[string]int64{}
		for _, col := range []string{"sends", "delivered", "opens", "clicks", "conversions", "unsubscribes", "hard_bounces", "complaints"} {
			c.number("campaign_days.csv", i+2, col, row[col], true)
			n[col], _ = strconv.ParseInt(row[col], 10, 64)
		}
		if n["delivered"] > n["sends"] || n["clicks"] > n["delivered"] || n["conversions"] > n["clicks"] || n["opens"] > n["delivered"] {
			c.errorf("campaign_days.csv", i+2, "funnel out of order: %v", n)
		}
		c.number("campaign_days.csv", i+2, "spend", row["spend"], false)
		c.number("campaign_days.csv", i+2, "revenue", row["revenue"], false)
	}
	for i, row := range tables["licenses.csv"].rows {
		c.number("licenses.csv", i+2, "seats", row["seats"], true)
		c.number("licenses.csv", i+2, "cost_per_seat_month", row["cost_per_seat_month"], false)
		c.when("licenses.csv", i+2, "renewal_date", row["renewal_date"], true, true)
	}
	for i, row := range tables["license_usage.csv"].rows {
		if !tools[row["tool"]] {
			c.errorf("license_usage.csv", i+2, "tool %s not in licenses.csv", row["tool"])
		}
		c.when("license_usage.csv", i+2, "last_active_at", row["last_active_at"], false, true)
		c.number("license_usage.csv", i+2, "actions_30d", row["actions_30d"], true)
	}
	checkEvents(t, c, dir, truth, records, accounts, campaigns)
	checkTemplates(t, c, dir, campaigns)
	counts := truth.Counts
	for name, want := range map[string]int{"owners.csv": counts.Owners, "accounts.csv": counts.Accounts,
		"people.csv": counts.PeopleRows, "consent.csv": counts.Consent, "campaign_days.csv": counts.CampaignDays,
		"license_usage.csv": counts.LicenseUsage} {
		if got := len(tables[name].rows); got != want {
			t.Errorf("%s has %d rows, truth counts %d", name, got, want)
		}
	}
}

func checkEvents(t *testing.T, c *checker, dir string, truth *Truth, records, accounts, campaigns map[string]bool) {
	ids := map[string]bool{}
	systemIDs := map[string]bool{}
	for k := range records {
		_, id, _ := strings.Cut(k, "\x00")
		systemIDs[id] = true
	}
	start, _ := time.Parse(time.DateOnly, truth.WindowStart)
	events := readEvents(t, dir)
	if len(events) != truth.Counts.Events {
		t.Errorf("events.ndjson has %d lines, truth counts %d", len(events), truth.Counts.Events)
	}
	var prev time.Time
	for i, m := range events {
		line := i + 1
		c.enum("events.ndjson", line, m.Type, names(foundation.EventTypes))
		if m.MessageID == "" || ids[m.MessageID] {
			c.errorf("events.ndjson", line, "missing or repeated messageId %q", m.MessageID)
		}
		ids[m.MessageID] = true
		ts, err := time.Parse(time.RFC3339Nano, m.Timestamp)
		if err != nil || ts.Before(start) || ts.After(truth.nowTime(t)) || ts.Before(prev) {
			c.errorf("events.ndjson", line, "timestamp %q outside the window or out of order", m.Timestamp)
		}
		prev = ts
		if m.UserID == "" && m.AnonymousID == "" {
			c.errorf("events.ndjson", line, "neither userId nor anonymousId")
		}
		if m.UserID != "" && !systemIDs[m.UserID] {
			c.errorf("events.ndjson", line, "userId %s is no record's system_id", m.UserID)
		}
		switch m.Type {
		case "track":
			if m.Event == "" {
				c.errorf("events.ndjson", line, "track without event name")
			}
		case "group":
			if !accounts[m.GroupID] {
				c.errorf("events.ndjson", line, "groupId %s not in accounts.csv", m.GroupID)
			}
		case "identify":
			if e, _ := m.Traits["email"].(string); !foundation.ValidEmailSyntax(e) {
				c.errorf("events.ndjson", line, "identify without a valid traits.email")
			}
		}
		if m.Context == nil {
			c.errorf("events.ndjson", line, "no context")
		}
	}
}

func checkTemplates(t *testing.T, c *checker, dir string, campaigns map[string]bool) {
	files, err := os.ReadDir(filepath.Join(dir, "templates"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 18 {
		t.Errorf("only %d templates", len(files))
	}
	seen := map[string]bool{}
	for _, f := range files {
		name := "templates/" + f.Name()
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		rest, ok := bytes.CutPrefix(b, []byte("---\n"))
		front, body, ok2 := bytes.Cut(rest, []byte("\n---\n"))
		if !ok || !ok2 || len(body) == 0 {
			c.errorf(name, 1, "no front matter")
			continue
		}
		var fm map[string]string
		if err := yaml.Unmarshal(front, &fm); err != nil {
			c.errorf(name, 1, "front matter: %v", err)
			continue
		}
		if fm["id"] == "" || seen[fm["id"]] {
			c.errorf(name, 1, "missing or repeated id %q", fm["id"])
		}
		seen[fm["id"]] = true
		c.enum(name, 1, fm["esp"], names(foundation.ESPs))
		c.enum(name, 1, fm["dialect"], names(foundation.Dialects))
		if want := map[string]string{".liquid": "liquid", ".hbs": "handlebars"}[filepath.Ext(name)]; want != "" && fm["dialect"] != want {
			c.errorf(name, 1, "dialect %s in a %s file", fm["dialect"], filepath.Ext(name))
		}
		if !campaigns[fm["campaign_id"]] {
			c.errorf(name, 1, "campaign %s not in campaigns.csv", fm["campaign_id"])
		}
	}
}

// nowTime parses the truth's "today".
func (tr *Truth) nowTime(t *testing.T) time.Time {
	t.Helper()
	now, err := time.Parse(time.DateOnly, tr.Now)
	if err != nil {
		t.Fatal(err)
	}
	return now
}
