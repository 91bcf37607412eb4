// Package foundation holds Tower's shared data model: the people, records,
// accounts, campaigns, consent and licences that every skill reads.
//
// It is deliberately free of I/O. Types here are plain values with
// validation, so the importer, the stores, the skills and the demo
// generator all agree on one definition of, say, a consent status, and a
// bad value is refused with the same words wherever it enters Tower.
//
// The central idea is the split between a Person (one human) and a Record
// (that human as one system sees them: "crm" contact 0031x…, "esp"
// subscriber 88213). Consent lives on records, because each system keeps
// its own; skills reconcile across the records of a person. Records are
// linked into people by normalised e-mail (see NormalizeEmail); a record
// without e-mail stays its own person until a merge.
package foundation
