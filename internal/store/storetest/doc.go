// Package storetest is the one conformance suite every store backend must
// pass. A backend's test is a single call:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store {
//			s := openFreshMigratedStore(t) // a file in t.TempDir(), a new schema, …
//			t.Cleanup(func() { s.Close() })
//			return s
//		})
//	}
//
// Every subtest asks for its own store and runs in parallel, so newStore
// must hand out isolated databases and be safe to call concurrently.
//
// The suite pins down the semantics the store contract leaves to words,
// so that SQLite and PostgreSQL behave identically. The ones a backend
// author is most likely to get wrong:
//
//   - Written counts every row not rejected, including an unchanged
//     re-write. Two rows with the same natural key in one batch are applied
//     in order: the later one wins and both count as written.
//   - A row is rejected for the first unknown reference in column order,
//     with Field the column name and a Reason that quotes the value.
//   - A row missing its natural key, or a field the key needs, is rejected
//     by itself, before its references are checked (Field the first such
//     column), never written with an empty key nor failing the batch.
//     Rejected lists one rejection per row, in batch order.
//   - Times come back in UTC, truncated to the microsecond; a zero
//     time.Time is stored as NULL and comes back zero. Dates come back as
//     UTC midnight.
//   - Traits come back as decoded JSON (numbers are float64); nil and an
//     empty map are the same. Event properties, traits and context come
//     back as equivalent JSON (key order and spacing may differ); empty in
//     means empty out.
//   - A new record joins the person whose key equals its PersonKey; fields
//     of a person that are empty are filled from its records, the first
//     non-empty value in batch order winning; a person's Email is the
//     normalised address.
//   - A consent fact keyed by e-mail links to the lowest-id record of the
//     same system with that address (and its person); with none it stays
//     unlinked (RecordID and PersonID 0). Re-upserting a fact re-resolves
//     its links. The store normalises the fact's e-mail.
//   - An event links to the lowest-id unmerged person with its normalised
//     e-mail, else to the person of the lowest-id record whose system_id is
//     its UserID. A repeated message id in the same batch counts as a
//     duplicate.
//   - CampaignSummary totals take, for each day, the whole-campaign row
//     when that day has one, else the sum of that day's variants; Days is
//     the number of distinct dates.
//   - PersonGet by Email normalises the address first, and finds a person
//     whose address was filled in later as well as one created with it.
//   - Ids the store generates (people, records, consent, events) increase
//     in batch order, so lists ordered by (time, id) keep batch order for
//     equal times.
//   - String ordering is byte order (use COLLATE "C" or equivalent).
package storetest
