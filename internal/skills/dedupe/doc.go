// Package dedupe is the built-in skill "dedupe": the same human entered
// twice — a typo in the address, a nickname, a personal address next to
// the work one, a CRM contact keyed in without any address — becomes two
// people in Tower and in every system, gets two sends, and splits their
// history. The skill finds them with the record-linkage engine
// (internal/linkage: Fellegi–Sunter, its parameters estimated by EM on
// the workspace's own people) and proposes merge_people per cluster, with
// the match probability and what each field contributed.
//
// Merging never makes anyone sendable: consent facts stay on their
// records, so the merged person carries every one of them and the
// strictest wins. Each proposal says which status the merged person will
// have and from which record, so the approver sees it before approving.
// Undoing the proposal (or unmerge_people) splits them again.
package dedupe
