// Package collect is Tower's Segment-compatible event collector: the
// /v1/batch, /v1/track, /v1/identify, /v1/page, /v1/screen, /v1/group and
// /v1/alias endpoints that Segment, RudderStack and Jitsu SDKs send to,
// authenticated by a source's write key.
//
// Nothing is acknowledged before it is committed. Requests hand their
// validated messages to one committer, which writes whatever has queued
// up meanwhile in one transaction (group commit) and then answers every
// request in it; when more is waiting than the store can absorb, new
// requests get 503 with Retry-After instead of growing memory without
// bound.
//
// A request goes through, in order: the write key (HTTP Basic user name,
// Bearer, or "writeKey" in the body; checked by its hash and cached for
// Options.KeyCacheTTL), the body (gzip or plain, at most 500 KB after
// decompression and 32 KB per message — a body past either is refused
// whole, as on Segment), the messages (each parsed and validated by
// ingest.ParseMessage; one that breaks the tracking spec is listed in
// the answer's "rejected" and the others go on), and the commit. Every
// answer has the same JSON shape, Answer, so an SDK reads "success" and a
// person reads why.
package collect
