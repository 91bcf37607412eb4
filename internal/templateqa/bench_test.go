package templateqa

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkLint lints every template of the golden corpus against 200
// sample recipients (the template-qa skill's default), the work one
// template review costs. Reported per template.
func BenchmarkLint(b *testing.B) {
	paths, err := filepath.Glob(filepath.Join("testdata", "golden", "*.*"))
	if err != nil {
		b.Fatal(err)
	}
	var ts []Template
	for _, p := range paths {
		if filepath.Ext(p) == ".json" {
			continue
		}
		src, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		t, err := ParseFile(p, src)
		if err != nil {
			continue // the corpus keeps a few unreadable files on purpose
		}
		ts = append(ts, t)
	}
	env := demoEnv("2026-q3-email-pipeline-reliability-na")
	base := env.Recipients
	env.Recipients = nil
	for i := 0; len(env.Recipients) < 200; i++ {
		r := Recipient{}
		for k, v := range base[i%len(base)] {
			r[k] = v
		}
		r["email"] = fmt.Sprintf("p%d@example.com", i)
		env.Recipients = append(env.Recipients, r)
	}
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, t := range ts {
			if _, err := Lint(ctx, t, env); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(ts))/1000, "ms/template")
	b.ReportMetric(float64(b.N*len(ts))/b.Elapsed().Seconds(), "templates/s")
}
