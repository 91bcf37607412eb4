package csvdir_test

import (
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/towerops/tower/internal/connect/connecttest"
	"github.com/towerops/tower/internal/foundation"
)

// dirFake is the csvdir "system": a temporary folder. It reads the files
// the way another tool would, independently of the connector's code.
type dirFake struct {
	dir     string
	system  string
	clock   *connecttest.Clock
	n       int
	seededC int                          // consent rows written by Seed
	seeded  map[string]map[string]string // system_id → column → value as seeded
}

var _ connecttest.Fake = (*dirFake)(nil)

func newFake(clock *connecttest.Clock) *dirFake {
	dir, err := os.MkdirTemp("", "tower-csvdir-*")
	if err != nil {
		panic(err)
	}
	return &dirFake{dir: dir, system: "files", clock: clock, seeded: map[string]map[string]string{}}
}

func (f *dirFake) URL() string { return "" }
func (f *dirFake) Close()      { os.RemoveAll(f.dir) }

func (f *dirFake) file(name string) string { return filepath.Join(f.dir, name) }

func readAll(path string) []map[string]string {
	fh, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		panic(err)
	}
	defer fh.Close()
	recs, err := csv.NewReader(fh).ReadAll()
	if err != nil {
		panic(fmt.Sprintf("%s: %v", path, err))
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func appendCSV(path string, header []string, rows [][]string) {
	_, err := os.Stat(path)
	fresh := errors.Is(err, os.ErrNotExist)
	fh, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		panic(err)
	}
	defer fh.Close()
	w := csv.NewWriter(fh)
	if fresh {
		w.Write(header)
	}
	w.WriteAll(rows)
}

func (f *dirFake) Seed(recs []connecttest.Seed) []string {
	ids := make([]string, len(recs))
	var people, consent [][]string
	at := f.clock.Now().Add(-24 * time.Hour).Format(time.RFC3339)
	for i, r := range recs {
		f.n++
		id := fmt.Sprintf("F-%05d", f.n)
		ids[i] = id
		people = append(people, []string{f.system, id, r.Email, r.FirstName, r.LastName})
		f.seeded[id] = map[string]string{"system": f.system, "system_id": id, "email": r.Email, "first_name": r.FirstName, "last_name": r.LastName}
		if r.Suppressed {
			consent = append(consent, []string{f.system, id, r.Email, "email", "unsubscribed", "seeded", at})
		}
	}
	appendCSV(f.file("people.csv"), []string{"system", "system_id", "email", "first_name", "last_name"}, people)
	if len(consent) > 0 {
		appendCSV(f.file("consent.csv"), []string{"system", "system_id", "email", "channel", "status", "reason", "at"}, consent)
		f.seededC += len(consent)
	}
	return ids
}

// Sendable reads consent.csv: the newest fact for the record on ch wins,
// the later row on a tie; no fact means sendable.
func (f *dirFake) Sendable(id string, ch foundation.Channel) bool {
	var newest time.Time
	status := foundation.StatusSubscribed
	for _, r := range readAll(f.file("consent.csv")) {
		if r["system"] != f.system || r["system_id"] != id || r["channel"] != string(ch) {
			continue
		}
		at, err := time.Parse(time.RFC3339, r["at"])
		if err != nil {
			panic(err)
		}
		if !at.Before(newest) {
			newest, status = at, foundation.ConsentStatus(r["status"])
		}
	}
	return status.Sendable()
}

func (f *dirFake) row(id string) map[string]string {
	for _, r := range readAll(f.file("people.csv")) {
		if r["system"] == f.system && r["system_id"] == id {
			return r
		}
	}
	return nil
}

func (f *dirFake) Field(id, field string) string {
	if name, ok := cutTraits(field); ok {
		field = name
	}
	return f.row(id)[field]
}

func cutTraits(s string) (string, bool) {
	const p = "traits."
	if len(s) > len(p) && s[:len(p)] == p {
		return s[len(p):], true
	}
	return "", false
}

func (f *dirFake) MergedInto(id string) string {
	into := ""
	for _, r := range readAll(f.file("merges.csv")) {
		if r["system_id"] == id {
			into = r["into_id"]
		}
	}
	return into
}

// Mutations counts what the files show changed since seeding: consent
// and merge rows added, and people cells that differ from the seed.
func (f *dirFake) Mutations() int {
	n := len(readAll(f.file("consent.csv"))) - f.seededC + len(readAll(f.file("merges.csv")))
	for _, r := range readAll(f.file("people.csv")) {
		seed := f.seeded[r["system_id"]]
		for col, v := range r {
			if col != "updated_at" && v != seed[col] {
				n++
			}
		}
	}
	return n
}

func (f *dirFake) Requests() int { return 0 }

func (f *dirFake) RateLimit(int, time.Duration) {}
func (f *dirFake) FailNext(int, int)            {}
func (f *dirFake) DropNext(int)                 {}
func (f *dirFake) Down(time.Time)               {}

// Reject takes the record out of people.csv, so changes to it fail: the
// folder no longer holds it.
func (f *dirFake) Reject(id string) {
	path := f.file("people.csv")
	fh, err := os.Open(path)
	if err != nil {
		panic(err)
	}
	recs, err := csv.NewReader(fh).ReadAll()
	fh.Close()
	if err != nil {
		panic(err)
	}
	out := recs[:1]
	for _, r := range recs[1:] {
		if r[1] != id {
			out = append(out, r)
		}
	}
	fh, err = os.Create(path)
	if err != nil {
		panic(err)
	}
	defer fh.Close()
	csv.NewWriter(fh).WriteAll(out)
	delete(f.seeded, id)
}
