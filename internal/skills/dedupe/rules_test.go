package dedupe

import (
	"testing"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/linkage"
	"github.com/towerops/tower/internal/store"
)

func TestMergeableNeedsOneAccountAndMoreThanAName(t *testing.T) {
	person := func(id int64, email, account string) store.PersonSummary {
		return store.PersonSummary{Person: foundation.Person{ID: id, Email: email, AccountID: account}}
	}
	pop := &population{byID: map[int64]store.PersonSummary{
		1: person(1, "jsmith@one.com", "A-1"),
		2: person(2, "jsmith@two.com", ""),
		3: person(3, "jsmiht@one.com", ""),
		4: person(4, "john.smith@gmail.com", ""),
		5: person(5, "john@other.com", "A-2"),
		6: person(6, "j.smith@one.com", "A-1"),
	}}
	names := []linkage.FieldMatch{{Field: linkage.GivenName, Level: "exact", Weight: 6}, {Field: linkage.Surname, Level: "exact", Weight: 7}}
	with := func(f ...linkage.FieldMatch) []linkage.FieldMatch {
		return append(append([]linkage.FieldMatch{}, names...), f...)
	}
	email := linkage.FieldMatch{Field: linkage.Email, Level: "local part", Weight: 9}
	phone := linkage.FieldMatch{Field: linkage.Phone, Level: "exact", Weight: 12}
	for _, c := range []struct {
		name   string
		a, b   string
		fields []linkage.FieldMatch
		want   bool
	}{
		{"one account", "1", "6", names, true},
		{"two accounts, even with the phone", "1", "5", with(phone), false},
		{"a name only", "1", "4", names, false},
		{"phone agrees", "1", "4", with(phone), true},
		{"address typo in one domain", "1", "3", with(email), true},
		{"same local part at another company", "1", "2", with(email), false},
	} {
		if got := pop.mergeable(linkage.Pair{A: c.a, B: c.b, Fields: c.fields}); got != c.want {
			t.Errorf("%s: mergeable = %v, want %v", c.name, got, c.want)
		}
	}
}
