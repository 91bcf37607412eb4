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
package collect
