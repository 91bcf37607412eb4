package demo

import (
	"context"
	"testing"
)

// BenchmarkGenerateDefault times the full-size demo (50,000 people, 5,000
// accounts): go test -run '^$' -bench GenerateDefault -benchtime 3x ./internal/demo
func BenchmarkGenerateDefault(b *testing.B) {
	for b.Loop() {
		if _, err := Generate(context.Background(), b.TempDir(), Config{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGenerateTest times the size the tests use.
func BenchmarkGenerateTest(b *testing.B) {
	for b.Loop() {
		if _, err := Generate(context.Background(), b.TempDir(), testConfig); err != nil {
			b.Fatal(err)
		}
	}
}
