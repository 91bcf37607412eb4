package anomaly_test

import (
	"fmt"
	"time"

	"github.com/towerops/tower/internal/anomaly"
)

func Example() {
	d := anomaly.New(anomaly.DefaultConfig())
	start := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range 600 {
		v := 1000 + float64(i%24) // daily clicks with a gentle hourly pattern
		if i == 500 {
			v = 5000 // a bot burst
		}
		if r := d.Observe(start.Add(time.Duration(i)*time.Hour), v); r.Flag {
			fmt.Printf("row %d: score %.4f\n", i, r.Score)
		}
	}
	// Output: row 500: score 1.0000
}
