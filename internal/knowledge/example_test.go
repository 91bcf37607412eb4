package knowledge_test

import (
	"fmt"
	"time"

	"github.com/towerops/tower/internal/knowledge"
)

// A skill's runner loads the workspace's knowledge folder once and hands
// each skill only the layers its manifest declares.
func ExampleLoad() {
	set, err := knowledge.Load("testdata/good")
	if err != nil {
		fmt.Println(err) // every problem, as file:line: field: reason
		return
	}
	for _, p := range set.Products {
		fmt.Printf("%s (%s) pairs with %v\n", p.Name, p.Owner, p.PairsWith)
	}
	layer := set.Func()
	brand, _ := layer(knowledge.LayerBrand)
	fmt.Println("subject limit:", brand.(*knowledge.Brand).SubjectMaxChars)
	fmt.Println("campaign ok:", set.UTM.Campaign.MatchString("2026-q4-ai-assist-launch"))

	now := time.Date(2026, time.November, 1, 0, 0, 0, 0, time.UTC)
	for _, w := range set.Stale(now, 180*24*time.Hour) {
		fmt.Println("warning:", w)
	}
	// Output:
	// Pipelines (product-marketing) pairs with [dashboards]
	// Dashboards (product-marketing) pairs with [pipelines]
	// subject limit: 60
	// campaign ok: true
	// warning: messaging/executives.toml:2: updated: last reviewed 2026-03-01, 245 days ago; ask growth to check it is still true
}
