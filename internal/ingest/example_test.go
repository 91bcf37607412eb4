package ingest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/towerops/tower/internal/ingest"
	"github.com/towerops/tower/internal/store"
	_ "github.com/towerops/tower/internal/store/sqlite"
)

// A bundle with one good owner and one with a team Tower does not know:
// the good row is written, the bad one reported with its line and column.
func ExampleImportBundle() {
	ctx := context.Background()
	bundle, _ := os.MkdirTemp("", "bundle")
	defer os.RemoveAll(bundle)
	os.WriteFile(filepath.Join(bundle, "owners.csv"), []byte(
		"id,name,email,team\n"+
			"O-1,Ana Silva,ana@example.test,sales\n"+
			"O-2,Bo Chen,bo@example.test,finance\n"), 0o644)

	dbDir, _ := os.MkdirTemp("", "db")
	defer os.RemoveAll(dbDir)
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(dbDir, "tower.db"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer st.Close()
	if _, err := st.MigrateUp(ctx); err != nil {
		fmt.Println(err)
		return
	}

	rep, err := ingest.ImportBundle(ctx, st, bundle, ingest.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range rep.Files {
		fmt.Printf("%s: %d read, %d written, %d rejected\n", f.File, f.Read, f.Written, f.Rejected)
	}
	for _, e := range rep.Errors {
		fmt.Println(e)
	}
	fmt.Println("errors report:", filepath.Base(rep.ErrorsReport))
	fmt.Println("exit 1:", rep.Failed())
	// Output:
	// owners.csv: 2 read, 1 written, 1 rejected
	// owners.csv:3: team: "finance" is not one of sales, cs, marketing, ops
	// errors report: import-errors.csv
	// exit 1: true
}
