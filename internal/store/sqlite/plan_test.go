package sqlite

import (
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
	}{
		{"SELECT id FROM people p WHERE " + byEmail, []any{"a@x.test", "a@x.test"}},
		{"SELECT substr(key, 7), id FROM people WHERE key IN (" + set + ") AND merged_into IS NULL", []any{"[]"}},
		{"SELECT email, id FROM people WHERE email IN (" + set + `) AND substr(key, 1, 6) <> 'email:' AND email <> ''
			AND merged_into IS NULL`, []any{"[]"}},
		{"SELECT system_id, person_id FROM records WHERE system = ? AND system_id IN (" + set + ")", []any{"crm", "[]"}},
		{"SELECT system_id, person_id FROM records WHERE system_id IN (" + set + ") ORDER BY id DESC", []any{"[]"}},
		{"SELECT email_key, id, person_id FROM records WHERE system = ? AND email_key IN (" + set + ")", []any{"esp", "[]"}},
		{"SELECT " + recordCols + " FROM records WHERE person_id = ? ORDER BY system, system_id", []any{1}},
		{"SELECT message_id FROM events WHERE message_id IN (" + set + ")", []any{"[]"}},
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
		for _, step := range plan {
			if strings.HasPrefix(step, "SCAN ") && !strings.Contains(step, "json_each") {
				t.Errorf("query scans a table:\n%s\nplan: %s", c.query, strings.Join(plan, "; "))
			}
		}
	}
}
