// Package bench measures Tower on the machine it runs on, for `tower
// bench`: the same work a team does (import a large export, build the demo)
// timed end to end against a fresh database of either backend.
//
// Go benchmarks in each package measure the parts; this package measures
// the whole path a person waits for, including CSV parsing, linking people
// and committing, and prints figures a release note can quote.
package bench
