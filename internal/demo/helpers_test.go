package demo

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// testConfig is small enough to keep the package's tests fast and large
// enough that every kind of planted fact appears.
var testConfig = Config{People: 3000, Accounts: 300}

var (
	sharedOnce  sync.Once
	sharedDir   string
	sharedTruth *Truth
	sharedErr   error
)

// bundle generates the test bundle once per test binary.
func bundle(t *testing.T) (string, *Truth) {
	t.Helper()
	sharedOnce.Do(func() {
		sharedDir, sharedErr = os.MkdirTemp("", "tower-demo-test-")
		if sharedErr == nil {
			sharedTruth, sharedErr = Generate(context.Background(), sharedDir, testConfig)
		}
	})
	if sharedErr != nil {
		t.Fatalf("generate demo: %v", sharedErr)
	}
	return sharedDir, sharedTruth
}

func TestMain(m *testing.M) {
	code := m.Run()
	if sharedDir != "" {
		os.RemoveAll(sharedDir)
	}
	os.Exit(code)
}

// table is a parsed CSV: lower-case header names and rows as maps.
type table struct {
	header []string
	rows   []map[string]string
}

func readCSV(t *testing.T, dir, name string) table {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		t.Fatalf("open %s: %v", name, err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	if len(recs) < 2 {
		t.Fatalf("%s has no rows", name)
	}
	var tb table
	for _, h := range recs[0] {
		tb.header = append(tb.header, strings.ToLower(h))
	}
	for i, rec := range recs[1:] {
		if len(rec) != len(tb.header) {
			t.Fatalf("%s line %d: %d fields, header has %d", name, i+2, len(rec), len(tb.header))
		}
		row := make(map[string]string, len(rec))
		for j, v := range rec {
			row[tb.header[j]] = v
		}
		tb.rows = append(tb.rows, row)
	}
	return tb
}

// message is the part of a Segment message the tests read.
type message struct {
	Type        string          `json:"type"`
	MessageID   string          `json:"messageId"`
	Timestamp   string          `json:"timestamp"`
	UserID      string          `json:"userId"`
	AnonymousID string          `json:"anonymousId"`
	Event       string          `json:"event"`
	Name        string          `json:"name"`
	GroupID     string          `json:"groupId"`
	Properties  json.RawMessage `json:"properties"`
	Traits      map[string]any  `json:"traits"`
	Context     map[string]any  `json:"context"`
}

func readEvents(t *testing.T, dir string) []message {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "events.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []message
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for line := 1; sc.Scan(); line++ {
		var m message
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("events.ndjson line %d: %v", line, err)
		}
		out = append(out, m)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// recordKey is how a people.csv row is addressed.
func recordKey(system, id string) string { return system + ":" + id }
