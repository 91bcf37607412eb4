// Package audit keeps Tower's append-only, hash-chained log of who did
// what: proposals, decisions, approvals, executions, undos, policy and
// autonomy changes, agent configuration changes, sign-ins and token use.
//
// Each entry's hash covers the previous entry's hash and the entry itself,
// so editing, deleting, inserting or reordering any entry breaks every hash
// after it; Verify walks the chain and names the first entry that does not
// fit. Entries are appended in the same transaction as the change they
// record, so the log never claims a change that did not commit, nor misses
// one that did.
package audit
