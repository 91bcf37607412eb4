package templateqa

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/*.golden.json from the current findings (review each by hand)")

// TestGolden lints every template of the golden corpus and compares the
// findings with the .golden.json beside it. The corpus is the spec: a
// clean template per platform, one or more per rule per dialect, and the
// tricky negatives (a guarded field, an untracked domain, mailto:).
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/golden/*")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, path := range files {
		if strings.HasSuffix(path, ".golden.json") {
			continue
		}
		n++
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			tpl, err := ParseFile(filepath.ToSlash(path), data)
			if err != nil {
				t.Fatal(err)
			}
			fs, err := Lint(context.Background(), tpl, demoEnv(tpl.CampaignID))
			if err != nil {
				t.Fatal(err)
			}
			checkInText(t, string(data), fs)
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false) // keep <a href> and & readable in the spec
			enc.SetIndent("", "  ")
			if err := enc.Encode(fs); err != nil {
				t.Fatal(err)
			}
			got := buf.Bytes()
			golden := strings.TrimSuffix(path, filepath.Ext(path)) + ".golden.json"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run TestGolden -update, then review the file)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("findings differ from %s\n%s", golden, Diff(golden, string(want), string(got)))
			}
		})
	}
	if n < 25 {
		t.Errorf("the golden corpus has %d templates, want at least 25", n)
	}
}

// checkInText: every finding points at a real line and column of the
// file, and every fix's span is inside the part it names.
func checkInText(t *testing.T, file string, fs []Finding) {
	t.Helper()
	lines := strings.Split(file, "\n")
	for _, f := range fs {
		if f.Line < 1 || f.Line > len(lines) {
			t.Errorf("%s at line %d: the file has %d lines", f.Rule, f.Line, len(lines))
			continue
		}
		if n := len([]rune(lines[f.Line-1])); f.Col < 1 || f.Col > n+1 {
			t.Errorf("%s at %d:%d: the line has %d characters", f.Rule, f.Line, f.Col, n)
		}
		if f.Message == "" || f.Severity == "" {
			t.Errorf("%s at %d:%d: empty message or severity", f.Rule, f.Line, f.Col)
		}
	}
}
