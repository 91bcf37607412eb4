package linkage_test

import (
	"context"
	"fmt"

	"github.com/towerops/tower/internal/linkage"
)

// Dedupe a handful of contacts: Bill Turner is William Turner with a
// nickname, a different-case email and another phone format; Kate Lowe
// moved her email to another provider.
func ExampleDedupe() {
	person := func(id, given, surname, email, phone, dob, postcode string) linkage.Record {
		return linkage.Record{ID: id, Fields: map[linkage.Role]string{
			linkage.GivenName: given, linkage.Surname: surname, linkage.Email: email,
			linkage.Phone: phone, linkage.DateOfBirth: dob, linkage.Postcode: postcode}}
	}
	recs := []linkage.Record{
		person("c1", "William", "Turner", "w.turner@example.com", "0412 345 678", "1971-03-02", "2000"),
		person("c2", "Bill", "Turner", "w.turner@EXAMPLE.com", "+61 412 345 678", "1971-03-02", "2000"),
		person("c3", "Kate", "Lowe", "kate.lowe@mail.com", "0400 111 222", "1985-11-20", "3000"),
		person("c4", "Kate", "Lowe", "kate.lowe@work.example", "0400 111 222", "1985-11-20", "3000"),
		person("c5", "Anna", "Turner", "anna@example.com", "0499 000 111", "1990-07-14", "2000"),
		person("c6", "Omar", "Haddad", "omar.h@example.net", "0455 222 333", "1964-01-30", "4000"),
		person("c7", "Mei", "Chen", "mei.chen@example.org", "0466 777 888", "1999-12-01", "5000"),
		person("c8", "Lucas", "Silva", "lucas@example.com", "0477 123 987", "1979-05-05", "6000"),
		person("c9", "Priya", "Nair", "priya.nair@example.com", "0488 654 321", "1988-08-18", "7000"),
		person("c10", "John", "Smith", "jsmith@example.com", "0411 999 000", "1955-02-28", "2600"),
	}
	res, err := linkage.Dedupe(context.Background(), recs, linkage.Config{})
	if err != nil {
		panic(err)
	}
	for _, p := range res.Pairs {
		fmt.Printf("%s = %s (p ≥ 0.9: %v)\n", p.A, p.B, p.Probability >= 0.9)
		for _, f := range p.Fields {
			if f.Field == linkage.GivenName {
				fmt.Printf("  given name: %s vs %s, %s\n", f.A, f.B, f.Level)
			}
		}
	}
	fmt.Println("clusters:", res.Clusters)
	// Output:
	// c3 = c4 (p ≥ 0.9: true)
	//   given name: Kate vs Kate, exact
	// c1 = c2 (p ≥ 0.9: true)
	//   given name: William vs Bill, nickname
	// clusters: [[c1 c2] [c3 c4]]
}
