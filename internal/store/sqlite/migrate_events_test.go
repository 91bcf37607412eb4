package sqlite

import (
	"context"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/migrate"
)

// TestIngestMigrationKeepsEvents upgrades a database holding events from
// before 0006, which rebuilds the events table: every event keeps its id
// and columns, gains an empty source, and the foreign key on person_id is
// gone (so multi-row inserts need no statement journal).
func TestIngestMigrationKeepsEvents(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "old.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	before := fstest.MapFS{}
	err = fs.WalkDir(migrations(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path >= "0006" {
			return err
		}
		b, err := fs.ReadFile(migrations(), path)
		before[path] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := migrate.Up(ctx, s.write, before, dialect); err != nil {
		t.Fatal(err)
	}
	if _, err := s.write.ExecContext(ctx, `INSERT INTO people (id, key, email, created_at, updated_at)
		VALUES (7, 'email:ana@x.test', 'ana@x.test', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.write.ExecContext(ctx, `INSERT INTO events (id, message_id, type, user_id, event, properties,
		timestamp, received_at, person_id) VALUES
		(41, 'm-1', 'track', 'u1', 'Signed Up', '{"plan":"pro"}', '2026-01-02T00:00:00Z', '2026-01-02T00:00:01Z', 7),
		(42, 'm-2', 'page', '', '', NULL, '2026-01-03T00:00:00Z', '2026-01-03T00:00:01Z', NULL)`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	evs, err := s.EventsList(ctx, &store.EventsListParams{})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[0].ID != 41 || evs[0].MessageID != "m-1" || evs[0].PersonID != 7 || evs[0].UserID != "u1" ||
		string(evs[0].Properties) != `{"plan":"pro"}` || evs[0].Source != "" || evs[1].ID != 42 || evs[1].PersonID != 0 {
		t.Fatalf("events after the upgrade: %+v", evs)
	}
	var n int
	if err := s.write.QueryRowContext(ctx, `SELECT count(*) FROM pragma_foreign_key_list('events')`).Scan(&n); err != nil || n != 0 {
		t.Errorf("events has %d foreign keys after 0006 (%v), want none", n, err)
	}
	var idx []string
	rows, err := s.write.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		idx = append(idx, name)
	}
	want := "events_event_timestamp events_person_timestamp events_timestamp events_unlinked_anonymous events_unlinked_user"
	if got := strings.Join(idx, " "); got != want {
		t.Errorf("indexes of events: %s, want %s", got, want)
	}
}
