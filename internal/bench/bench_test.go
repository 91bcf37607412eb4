package bench

import (
	"context"
	"os"
	"testing"

	"github.com/towerops/tower/internal/demo"
	"github.com/towerops/tower/internal/store/postgres"
	_ "github.com/towerops/tower/internal/store/sqlite"
)

// TestMeasurementsRunOnBothBackends runs each measurement small, so the
// code behind `tower bench` is known to work; the figures are not judged.
func TestMeasurementsRunOnBothBackends(t *testing.T) {
	ctx := context.Background()
	urls := map[string]string{"sqlite": ""}
	if os.Getenv(postgres.EnvTestURL) != "" || os.Getenv("CI") == "true" {
		urls["postgres"] = os.Getenv(postgres.EnvTestURL)
		if urls["postgres"] == "" {
			t.Fatalf("CI=true but %s is not set", postgres.EnvTestURL)
		}
	}
	for backend, url := range urls {
		t.Run(backend, func(t *testing.T) {
			res, err := ImportPeople(ctx, Config{Rows: 3000, DatabaseURL: url})
			if err != nil {
				t.Fatal(err)
			}
			if res.Backend != backend || res.Rows != 3000 || res.RowsPerSec <= 0 || len(res.Steps) != 2 {
				t.Errorf("import result: %+v", res)
			}
			res, err = Demo(ctx, Config{DatabaseURL: url, Demo: demo.Config{People: 600, Accounts: 60}})
			if err != nil {
				t.Fatal(err)
			}
			if res.Rows == 0 || len(res.Steps) < 12 {
				t.Errorf("demo result has %d rows and %d steps: %+v", res.Rows, len(res.Steps), res)
			}
		})
	}
}
