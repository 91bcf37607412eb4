package sqlite

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestLookupsUseIndexes guards the query plans a million-row workspace
// depends on: none of these may scan a whole table.
func TestLookupsUseIndexes(t *testing.T) {
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "plan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.MigrateUp(t.Context()); err != nil {
		t.Fatal(err)
	}
	set := "SELECT value FROM json_each(?)"
	for _, c := range []struct {
		query string
		args  []any
		index string // the index the plan must use
	}{
		{"SELECT id FROM people p WHERE " + byEmail, []any{"a@x.test", "a@x.test"}, "people_email_late"},
		{"SELECT substr(key, 7), id FROM people WHERE key IN (" + set + ") AND merged_into IS NULL", []any{"[]"},
			"sqlite_autoindex_people_1"},
		{"SELECT email, id FROM people WHERE email IN (" + set + `) AND substr(key, 1, 6) <> 'email:' AND email <> ''
			AND merged_into IS NULL`, []any{"[]"}, "people_email_late"},
		{"SELECT system_id, person_id FROM records WHERE system = ? AND system_id IN (" + set + ")", []any{"crm", "[]"},
			"sqlite_autoindex_records_1 (system=? AND system_id=?)"},
		{"SELECT system_id, person_id FROM records WHERE system_id IN (" + set + ") ORDER BY id DESC", []any{"[]"},
			"records_system_id"},
		{fmt.Sprintf(recordsByQuery("email_key"), set), []any{"esp", "[]"}, "records_email_key"},
		{fmt.Sprintf(recordsByQuery("system_id"), set), []any{"esp", "[]"}, "sqlite_autoindex_records_1 (system=? AND system_id=?)"},
		{"SELECT " + recordCols + " FROM records WHERE person_id = ? ORDER BY system, system_id", []any{1}, "records_person_id"},
		{"SELECT message_id FROM events WHERE message_id IN (" + set + ")", []any{"[]"}, "sqlite_autoindex_events_1"},
		{agentChangesByAgent, []any{"[]", ""}, "COVERING INDEX proposals_agent_changes (agent=? AND created_at>?)"},
		{"SELECT count(*) FROM people WHERE account_id = ? AND merged_into IS NULL", []any{"A-1"}, "people_account_id"},
		{"SELECT id FROM people p WHERE p.merged_into IS NULL AND p.account_id = ? ORDER BY p.id LIMIT 10", []any{"A-1"},
			"people_account_id"},
		{"SELECT " + consentCols + " FROM consent WHERE person_id = ? ORDER BY at, id LIMIT ? OFFSET ?", []any{1, 100, 0},
			"consent_person_id"},
		{"SELECT " + eventCols + " FROM events WHERE person_id = ? ORDER BY timestamp, id LIMIT ? OFFSET ?", []any{1, 100, 0},
			"events_person_timestamp"},
		{"SELECT " + eventCols + " FROM events WHERE event = ? ORDER BY timestamp, id LIMIT ? OFFSET ?", []any{"x", 100, 0},
			"events_event_timestamp"},
		{"SELECT " + recordCols + " FROM records WHERE system = ? ORDER BY system, system_id LIMIT ? OFFSET ?", []any{"crm", 100, 0},
			"sqlite_autoindex_records_1"},
	} {
		rows, err := s.write.QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+c.query, c.args...)
		if err != nil {
			t.Fatalf("%s: %v", c.query, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		all := strings.Join(plan, "; ")
		for _, step := range plan {
			if strings.HasPrefix(step, "SCAN ") && !strings.Contains(step, "json_each") {
				t.Errorf("query scans a table:\n%s\nplan: %s", c.query, all)
			}
		}
		if !strings.Contains(all, c.index) {
			t.Errorf("query does not use %s:\n%s\nplan: %s", c.index, c.query, all)
		}
	}
}
