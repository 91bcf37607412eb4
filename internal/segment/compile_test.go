package segment

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

var (
	sqlite   = Dialect{Name: "sqlite", Bind: func(int) string { return "?" }, Time: func(t time.Time) any { return t.Format(time.RFC3339) }}
	postgres = Dialect{Name: "postgres", Bind: func(n int) string { return fmt.Sprintf("$%d", n) }, Time: func(t time.Time) any { return t }}
	now      = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
)

func TestCompileWritesArgumentsNotValues(t *testing.T) {
	rule := `account.industry == "Logistics'; DROP TABLE people; --" && person.title.contains("Ops") && events.count("Pricing Viewed", days(30)) >= 2`
	q, err := Compile(rule, postgres, now, 1)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(q.Where, "DROP") || strings.Contains(q.Where, "Logistics") {
		t.Fatalf("a literal reached the SQL: %s", q.Where)
	}
	if !strings.Contains(q.Where, "$2") || strings.Contains(q.Where, "$1 ") {
		t.Fatalf("placeholders do not start after the prior argument: %s", q.Where)
	}
	if !q.UsesAccount || !q.TimeDependent || q.GrowsWithTime {
		t.Fatalf("flags: %+v", q)
	}
	if q.Args[0] != "Logistics'; DROP TABLE people; --" {
		t.Fatalf("args: %v", q.Args)
	}
}

func TestGrowsWithTime(t *testing.T) {
	for rule, grows := range map[string]bool{
		`events.count("Visit", days(7)) >= 1`:                   false,
		`events.count("Visit", days(7)) < 1`:                    true,
		`!(events.count("Visit", days(7)) >= 1)`:                true,
		`events.count("Visit") < 1`:                             false,
		`person.created_at > now - days(30)`:                    true,
		`person.created_at > timestamp("2026-01-01T00:00:00Z")`: false,
	} {
		q, err := Compile(rule, sqlite, now, 0)
		if err != nil {
			t.Fatalf("%s: %v", rule, err)
		}
		if q.GrowsWithTime != grows {
			t.Errorf("%s: grows %v, want %v", rule, q.GrowsWithTime, grows)
		}
	}
}

func TestRuleErrorsArePlainAndPlaced(t *testing.T) {
	for rule, want := range map[string]string{
		``:                                       "empty",
		`person.titel == "x"`:                    "titel",
		`person.title`:                           "true or false",
		`person.title == 3`:                      "no matching overload",
		`events.count("X") >= account.employees`: "whole number",
		`events.count(person.title) >= 1`:        "event name in quotes",
		"person.title == \"a\" &&\n  account.employees in [1, \"b\"]": "line 2",
		`person.created_at > now - days(-1)`:                          "days(N)",
		`records.exists(r, records.exists(s, s.system == "x"))`:       "nested",
		`person.title.contains(person.email)`:                         "text in quotes",
	} {
		err := Check(rule)
		if err == nil || !errors.Is(err, ErrRule) || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v (want %q)", rule, err, want)
		}
	}
}

// FuzzCompile: any rule either compiles or is refused with a rule error;
// nothing panics, and text from the rule never reaches the SQL (every
// value is an argument).
func FuzzCompile(f *testing.F) {
	for _, s := range []string{
		`account.industry == "Logistics" && person.title.contains("Operations") && events.count("Pricing Viewed", days(30)) >= 2`,
		`records.exists(r, r.system == "hubspot") || !(person.traits.score >= 50)`,
		`account.region in ["NA", "EMEA"] && person.created_at > now - days(7)`,
		`has(person.traits.plan) && traits.plan.lowerAscii().startsWith("pro")`,
		`events.count("x") < 1`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, rule string) {
		q, err := Compile(rule, postgres, now, 0)
		if err != nil {
			if !errors.Is(err, ErrRule) {
				t.Fatalf("%q: an error that is not a rule error: %v", rule, err)
			}
			return
		}
		for _, a := range q.Args {
			if s, ok := a.(string); ok && len(s) > 3 && strings.Contains(q.Where, s) && !strings.Contains(sqlWords, s) {
				t.Fatalf("%q: the value %q reached the SQL: %s", rule, s, q.Where)
			}
		}
	})
}

// sqlWords is text the compiler itself writes, which a value may equal.
const sqlWords = `SELECT count(*) FROM events e WHERE e.person_id = p.id AND e.event = e.timestamp GROUP BY HAVING NOT IN COALESCE(a.industry, '') lower( instr( strpos( substr( right( json_extract json_type CAST( AS TEXT REAL jsonb_typeof ->> -> IS NULL NOT EXISTS records r r.person_id holdings h h.account_id h.product_id account_id a.id p.traits a.traits r.traits integer real text number float8 trim GLOB`
