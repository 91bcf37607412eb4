package sqlite_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/sqlite"
)

// Records from two systems with the same address become one person; a
// record naming an unknown account is refused with a reason, and the rest
// of the batch is written.
func Example() {
	dir, err := os.MkdirTemp("", "tower-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(dir, "tower.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	if _, err := s.MigrateUp(ctx); err != nil {
		log.Fatal(err)
	}

	res, err := s.RecordsUpsert(ctx, &store.RecordsUpsertParams{Records: []foundation.Record{
		{System: "crm", SystemID: "0031x", Email: "Ana@Acme.test", FirstName: "Ana"},
		{System: "esp", SystemID: "88213", Email: "ana@acme.test", LastName: "Silva"},
		{System: "crm", SystemID: "0032y", Email: "bo@acme.test", AccountID: "A-404"},
	}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("written:", res.Written)
	for _, r := range res.Rejected {
		fmt.Printf("row %d, %s: %s\n", r.Index, r.Field, r.Reason)
	}

	people, err := s.PeopleList(ctx, &store.PeopleListParams{})
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range people {
		fmt.Println(p.Name(), p.Email, p.Systems)
	}
	// Output:
	// written: 2
	// row 2, account_id: account "A-404" not found; import accounts.csv first
	// Ana Silva ana@acme.test [crm esp]
}
