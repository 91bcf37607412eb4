package demo

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"
)

func TestSmoke(t *testing.T) {
	dir := os.Getenv("DEMO_DIR")
	if dir == "" {
		t.Skip()
	}
	start := time.Now()
	tr, err := Generate(context.Background(), dir, Config{People: atoiEnv("DEMO_PEOPLE", 3000), Accounts: atoiEnv("DEMO_ACCOUNTS", 300)})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%v %+v", time.Since(start), tr.Counts)
}

func atoiEnv(k string, def int) int {
	var n int
	if _, err := fmt.Sscan(os.Getenv(k), &n); err != nil {
		return def
	}
	return n
}
