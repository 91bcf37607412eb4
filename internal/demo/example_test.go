package demo_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/towerops/tower/internal/demo"
)

// A skill's test generates a small demo, imports it, runs the skill and
// scores what it proposes against truth.json.
func ExampleGenerate() {
	dir, err := os.MkdirTemp("", "demo-example-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)

	if _, err := demo.Generate(context.Background(), dir, demo.Config{People: 3000, Accounts: 300}); err != nil {
		panic(err)
	}
	truth, err := demo.LoadTruth(filepath.Join(dir, "truth.json"))
	if err != nil {
		panic(err)
	}
	for _, kind := range []string{demo.KindSuppressionConflict, demo.KindConsentOverride, demo.KindUnpropagatedBounce,
		demo.KindDuplicate, demo.KindUnderperformance, demo.KindBrandHarm, demo.KindABTest, demo.KindHiddenSegment} {
		fmt.Println(kind, len(truth.Kind(kind)))
	}
	conflict := truth.Kind(demo.KindSuppressionConflict)[0].Suppression
	fmt.Println("first conflict must be flagged:", conflict.ShouldFlag)
	// Output:
	// suppression_conflict 18
	// consent_override 4
	// unpropagated_hard_bounce 15
	// duplicate_people 30
	// campaign_underperformance 12
	// campaign_brand_harm 2
	// ab_test 5
	// hidden_segment 1
	// first conflict must be flagged: true
}
