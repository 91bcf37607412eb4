package templateqa

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestApply(t *testing.T) {
	text := "Hi {{ first_name }}, click here."
	fixes := []Fix{
		{In: "body", Start: 16, End: 16, Replacement: ` | default: "there"`},
		{In: "body", Start: 21, End: 31, Replacement: "see the details"},
		{In: "body", Start: 22, End: 27, Replacement: "CLASH"},  // overlaps the one before: skipped
		{In: "subject", Start: 0, End: 2, Replacement: "Hello"}, // other part: skipped
		{In: "body", Start: 16, End: 16, Replacement: "X"},      // same insertion point: skipped
		{In: "body", Start: 40, End: 50, Replacement: "out"},    // outside the text: skipped
	}
	got := Apply(text, "body", fixes)
	want := `Hi {{ first_name | default: "there" }}, see the details.`
	if got != want {
		t.Errorf("Apply =\n%q, want\n%q", got, want)
	}
	if got := Apply("Hi", "subject", fixes); got != "Hello" {
		t.Errorf("subject: %q", got)
	}
}

// TestFixesApply lints templates, applies every fix and lints again: the
// fixed findings are gone.
func TestFixesApply(t *testing.T) {
	for _, name := range []string{"braze-fallback-missing.liquid", "braze-unknown-typo.liquid", "iterable-fallback-missing.hbs",
		"generic-unknown-typo.liquid", "generic-links.liquid"} {
		path := filepath.Join("testdata/golden", name)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		tpl, err := ParseFile(path, data)
		if err != nil {
			t.Fatal(err)
		}
		env := demoEnv(tpl.CampaignID)
		before, err := Lint(context.Background(), tpl, env)
		if err != nil {
			t.Fatal(err)
		}
		var fixes []Fix
		fixed := map[string]int{}
		for _, f := range before {
			if f.Fix != nil {
				fixes = append(fixes, *f.Fix)
				fixed[f.Rule]++
			}
		}
		if len(fixes) == 0 {
			t.Errorf("%s: no fixes", name)
			continue
		}
		tpl.Body = Apply(tpl.Body, "body", fixes)
		after, err := Lint(context.Background(), tpl, env)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range after {
			if fixed[f.Rule] > 0 && f.Rule != "url-malformed" {
				t.Errorf("%s: after the fixes still %s at %d:%d: %s", name, f.Rule, f.Line, f.Col, f.Message)
			}
		}
	}
}

func TestDiff(t *testing.T) {
	before := "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n"
	after := "a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nL\nm"
	got := Diff("t.liquid", before, after)
	want := `--- t.liquid
+++ t.liquid
@@ -1,5 +1,5 @@
 a
-b
+B
 c
 d
 e
@@ -9,4 +9,5 @@
 i
 j
 k
-l
+L
+m
\ No newline at end of file
`
	if got != want {
		t.Errorf("Diff =\n%s\nwant\n%s", got, want)
	}
	if Diff("x", "same\n", "same\n") != "" {
		t.Error("equal texts should give no diff")
	}
	if got := Diff("x", "", "new\n"); got != "--- x\n+++ x\n@@ -0,0 +1 @@\n+new\n" {
		t.Errorf("from empty: %q", got)
	}
}

// TestDiffPatch: the diff applies with patch(1) and gives the new text.
func TestDiffPatch(t *testing.T) {
	patch, err := exec.LookPath("patch")
	if err != nil {
		t.Skip("patch(1) is not installed")
	}
	dir := t.TempDir()
	data, err := os.ReadFile("testdata/golden/braze-fallback-missing.liquid")
	if err != nil {
		t.Fatal(err)
	}
	before := string(data)
	after := strings.Replace(before, "{{ ${first_name} }}", "{{ ${first_name} | default: 'there' }}", 1)
	after = strings.Replace(after, "<hr>", "<hr>\n<p>new footer line</p>", 1)
	if err := os.WriteFile(filepath.Join(dir, "t.liquid"), []byte(before), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(patch, "-s", "-p0")
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(Diff("t.liquid", before, after))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("patch: %v\n%s", err, out)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "t.liquid"))
	if string(got) != after {
		t.Errorf("patched file differs:\n%s", got)
	}
}
