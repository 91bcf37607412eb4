package measure

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParsePeriod(t *testing.T) {
	now := time.Date(2026, 11, 22, 15, 4, 0, 0, time.UTC)
	d := func(s string) time.Time { v, _ := time.Parse(time.DateOnly, s); return v }
	for _, tc := range []struct {
		since, until string
		days         int
		from, to     time.Time
		field, err   string
	}{
		{"", "", 30, d("2026-10-24"), d("2026-11-23"), "", ""},
		{"", "2026-10-31", 7, d("2026-10-25"), d("2026-11-01"), "", ""},
		{"2026-10-01", "2026-10-31", 30, d("2026-10-01"), d("2026-11-01"), "", ""},
		{"2026-10-01", "", 0, time.Time{}, time.Time{}, "days", "0 days"},
		{"5 Jan", "", 30, time.Time{}, time.Time{}, "since", `since "5 Jan" is not a date: write it as YYYY-MM-DD`},
		{"", "2026-13-01", 30, time.Time{}, time.Time{}, "until", `until "2026-13-01" is not a date`},
		{"2026-11-02", "2026-11-01", 30, time.Time{}, time.Time{}, "since", "starts on 2026-11-02, after it ends on 2026-11-01: swap the dates"},
		{"2020-01-01", "2026-01-01", 30, time.Time{}, time.Time{}, "since", "longer than 400 days"},
	} {
		from, to, err := ParsePeriod(tc.since, tc.until, tc.days, now)
		var ie *InputError
		switch {
		case tc.err == "" && (err != nil || !from.Equal(tc.from) || !to.Equal(tc.to)):
			t.Errorf("%q..%q/%d: %s..%s, %v; want %s..%s", tc.since, tc.until, tc.days, from, to, err, tc.from, tc.to)
		case tc.err != "" && (!errors.As(err, &ie) || ie.Field != tc.field || !strings.Contains(ie.Reason, tc.err)):
			t.Errorf("%q..%q/%d: %v; want %s: …%s…", tc.since, tc.until, tc.days, err, tc.field, tc.err)
		}
	}
}

func TestParseByTrendMonth(t *testing.T) {
	now := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	if b, err := ParseBy("", Groupings); b != ByAgent || err != nil {
		t.Errorf("default grouping %q %v", b, err)
	}
	if b, err := ParseBy(" team ", Groupings); b != ByTeam || err != nil {
		t.Errorf("team: %q %v", b, err)
	}
	var ie *InputError
	if _, err := ParseBy("fleet", []By{ByAgent, BySkill}); !errors.As(err, &ie) || ie.Field != "by" ||
		ie.Reason != `"fleet" is not a grouping: choose agent, skill` {
		t.Errorf("a grouping not offered: %v", err)
	}
	if tr, err := ParseTrend("none"); tr != TrendNone || err != nil {
		t.Errorf("none: %q %v", tr, err)
	}
	if _, err := ParseTrend("hourly"); !errors.As(err, &ie) || ie.Field != "trend" {
		t.Errorf("hourly: %v", err)
	}
	if m, err := ParseMonth("", now); err != nil || !m.Equal(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("this month: %s %v", m, err)
	}
	if _, err := ParseMonth("2026-12", now); err == nil || err.Error() != "2026-12 has not begun yet: choose 2026-11 or earlier" {
		t.Errorf("next month: %v", err)
	}
	if _, err := ParseMonth("January", now); !errors.As(err, &ie) || ie.Field != "month" {
		t.Errorf("January: %v", err)
	}
}
