package collect

import (
	"testing"

	"github.com/towerops/tower/internal/foundation"
)

// fuzzTypes are the endpoints FuzzParseBody chooses from: batch and each
// single-message one.
var fuzzTypes = []foundation.EventType{"", "track", "identify", "page", "screen", "group", "alias"}

// FuzzParseBody feeds arbitrary bodies to the request parser of each
// endpoint, with a small message limit so the limit is reached too, and
// checks what the collector would answer: it never panics; a request
// refused whole has a code and a message, and names only a message that
// exists; otherwise every message is either accepted (and valid, with an
// id and the received time) or rejected once, in order, with a reason.
func FuzzParseBody(f *testing.F) {
	f.Add(uint8(0), []byte(`{"batch":[{"type":"track","userId":"u1","event":"A"},{"type":"page"},7,{"type":"identify","userId":5,"traits":{"email":"A@X.test"}}]}`))
	f.Add(uint8(0), []byte(`{"sentAt":"2026-05-01T08:49:40Z","context":{"ip":"1.2.3.4"},"batch":[{"type":"track","anonymousId":"a","event":"E","timestamp":"2026-05-01T08:49:14.5Z","context":{"library":{}}}]}`))
	f.Add(uint8(1), []byte(`{"userId":"u1","event":"Signed Up","sentAt":"2026-05-01T08:49:40+02:00","writeKey":"twk_x"}`))
	f.Add(uint8(2), []byte(`{"type":"track","userId":"u1"}`))
	f.Add(uint8(6), []byte(`{"userId":"u1","previousId":["a"]}`))
	f.Add(uint8(0), []byte(`{"batch":[{"type":"track","userId":"u1","event":"A","messageId":"m","properties":{"pad":"`+
		"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"+`"}}]}`))
	f.Add(uint8(0), []byte("{\"batch\":[{\"type\":\"track\",\"userId\":\"Jos\xe9\",\"event\":\"A\"}]}"))
	f.Add(uint8(3), []byte(`[1,2`))
	f.Fuzz(func(t *testing.T, k uint8, body []byte) {
		const maxMessage = 256
		typ := fuzzTypes[int(k)%len(fuzzTypes)]
		p, fail := parseBody(body, typ, testReceived, maxMessage)
		if fail != nil {
			if fail.status != 400 || fail.code == "" || fail.message == "" {
				t.Fatalf("refusal without a status, code or message: %+v", fail)
			}
			for _, r := range fail.rejected {
				if r.Index < 0 || r.Index >= fail.received || r.Reason == "" {
					t.Fatalf("refusal names message %d of %d: %+v", r.Index, fail.received, r)
				}
			}
			return
		}
		if typ != "" && p.received != 1 {
			t.Fatalf("a single-message endpoint received %d messages", p.received)
		}
		if len(p.events)+len(p.rejected) != p.received {
			t.Fatalf("%d accepted + %d rejected != %d received", len(p.events), len(p.rejected), p.received)
		}
		last := -1
		for _, r := range p.rejected {
			if r.Index <= last || r.Index >= p.received || r.Reason == "" {
				t.Fatalf("rejection out of order, out of range or without a reason (after %d of %d): %+v", last, p.received, r)
			}
			last = r.Index
		}
		for _, e := range p.events {
			if err := e.Validate(); err != nil {
				t.Fatalf("accepted an invalid event: %v: %+v", err, e)
			}
			if e.MessageID == "" || !e.ReceivedAt.Equal(testReceived) {
				t.Fatalf("accepted event without an id or with another received time: %+v", e)
			}
			if typ != "" && e.Type != typ {
				t.Fatalf("/v1/%s accepted a %s", typ, e.Type)
			}
		}
	})
}
