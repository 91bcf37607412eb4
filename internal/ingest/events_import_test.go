package ingest

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/towerops/tower/internal/store"
)

func TestImportEvents(t *testing.T) {
	onEachBackend(t, func(t *testing.T, st store.Store) {
		dir := writeBundle(t, map[string]string{
			"people.csv": "system,system_id,email\ncrm,u-1,ana@x.test\n",
			"events.ndjson": "\xef\xbb\xbf" +
				`{"type":"identify","userId":"u-1","traits":{"email":"Ana@X.test","plan":"pro"},"timestamp":"2025-03-01T10:00:00Z"}` + "\r\n" +
				`{"type":"track","userId":"u-1","event":"Signed Up","messageId":"m-2","timestamp":"2025-03-01T10:05:00Z"}` + "\r\n" +
				`{"type":"track","userId":"u-1","event":"Signed Up (retry)","messageId":"m-2","timestamp":"2025-03-01T10:05:00Z"}` + "\r\n" +
				`{"type":"page","anonymousId":"anon-7","name":"Pricing","timestamp":"2025-03-01T11:00:00+01:00"}` + "\r\n" +
				`{"type":"track","userId":"u-2","event":"X","timestamp":"2025-03-01 10:00"}` + "\r\n",
		})
		rep, err := ImportBundle(t.Context(), st, dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		checkFiles(t, rep, map[string]fileCounts{"people.csv": {1, 1, 0, 0}, "events.ndjson": {5, 3, 1, 1}})
		expectErrors(t, rep.Errors, wantErr{5, "timestamp", `"2025-03-01 10:00" is not a date-time`})
		events, err := st.EventsList(t.Context(), &store.EventsListParams{})
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != 3 {
			t.Fatalf("events = %+v", events)
		}
		identify := events[0]
		if identify.Type != "identify" || identify.Email != "ana@x.test" || identify.PersonID == 0 ||
			!strings.HasPrefix(identify.MessageID, "tower-") || !strings.Contains(string(identify.Traits), `"plan"`) {
			t.Errorf("identify = %+v", identify)
		}
		// Listed by timestamp: the page (11:00+01:00 is 10:00 UTC) before the track at 10:05.
		if events[1].Type != "page" || events[1].Name != "Pricing" || events[1].PersonID != 0 ||
			events[1].Timestamp.Format("15:04") != "10:00" {
			t.Errorf("page = %+v", events[1])
		}
		if events[2].MessageID != "m-2" || events[2].Event != "Signed Up" || events[2].PersonID != identify.PersonID {
			t.Errorf("first m-2 should win and link by userId: %+v", events[2])
		}

		// Again, in strict mode: the bad line rolls the file back, and the
		// events already stored stay as they were.
		rep, err = ImportFile(t.Context(), st, KindEvents, filepath.Join(dir, "events.ndjson"), Options{Strict: true})
		if err != nil {
			t.Fatal(err)
		}
		if f := rep.Files[0]; !f.RolledBack || f.Written != 0 || f.Rejected != 1 {
			t.Errorf("strict re-import = %+v", f)
		}
		if c := counts(t, st); c.Events != 3 {
			t.Errorf("events after strict re-import = %d", c.Events)
		}
		// Fixed: the re-import writes nothing new; every message is a duplicate.
		dir2 := writeBundle(t, map[string]string{"events.ndjson": strings.Join(strings.Split(
			strings.TrimPrefix(mustRead(t, filepath.Join(dir, "events.ndjson")), "\xef\xbb\xbf"), "\r\n")[:4], "\r\n") + "\r\n"})
		rep, err = ImportFile(t.Context(), st, KindEvents, filepath.Join(dir2, "events.ndjson"), Options{Strict: true})
		if err != nil {
			t.Fatal(err)
		}
		if f := rep.Files[0]; f.Written != 0 || f.Duplicates != 4 || f.Failed() {
			t.Errorf("re-import = %+v (the derived id must match the first import's even without the BOM)", f)
		}
	})
}
