// Package store defines the contract between Tower and its database.
//
// A Store is implemented once per backend (sqlite, postgres) and every
// backend must pass the one conformance suite in storetest; nothing above
// this package may know which backend it talks to. Methods are named
// NounVerb and take a *Params struct, so adding a field never breaks a
// caller and every backend reads the same shape.
//
// Writes come in batches because imports and ingest are bulk work: a
// backend may (and should) apply a batch set-wise. A batch never fails as a
// whole because one row refers to something that does not exist; the row
// is returned in the result's Rejected list with its index and reason, and
// the rest are written. Callers decide what a rejection means (the
// importer reports it as file:line; --strict rolls the file back).
//
// Open picks a backend from a database URL: "sqlite:PATH" or
// "postgres://…". Backends register themselves with Register from their
// init functions, in the way Caddy modules do; import them for effect.
package store
