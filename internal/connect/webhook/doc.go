// Package webhook pushes Tower's changes to an HTTP endpoint a team runs
// itself: a small service in front of a system Tower has no connector
// for, or a workflow tool. It only pushes; it reads nothing.
//
// # What the receiver gets
//
// Each push is one POST of a JSON batch to the configured url:
//
//	{"changes":[{"key":"prp_1/0/push/0","op":"suppress","system":"shop",
//	  "system_id":"C-17","email":"ana@example.com","channel":"email",
//	  "status":"unsubscribed","reason":"unsubscribed in the ESP"}]}
//
// with these headers:
//
//	X-Tower-Timestamp: 1772442000                  (unix seconds)
//	X-Tower-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>
//	Idempotency-Key:   <hash of the batch's change keys>
//
// The secret is the value of the environment variable token_env names, on
// both sides. A receiver checks the signature with Verify (or the same
// computation in its own language) over the body exactly as received, and
// refuses a timestamp more than five minutes from its clock, so a
// captured request cannot be replayed later.
//
// # What the receiver answers
//
// Any 2xx accepts the batch. To report per change, it answers
//
//	{"results":[{"key":"…","status":"error","error":"record locked","retry":false}]}
//
// and a change it does not list is taken as done. "retry": true means try
// that change again later. 429 and 5xx answers (with Retry-After if it
// likes) are retried for the whole batch; any other status fails the
// whole batch for good, so answer 401 only for a bad signature.
//
// Every change carries a key that stays the same when Tower sends it
// again (a lost answer, a retry after a restart): a receiver that has
// done a key before should answer ok without doing it twice.
//
// Configuration (connectors/NAME.toml):
//
//	kind      = "webhook"
//	url       = "https://hooks.example.com/tower"
//	token_env = "TOWER_WEBHOOK_SECRET"
//	system    = "shop"      # the records this endpoint is responsible for
package webhook
