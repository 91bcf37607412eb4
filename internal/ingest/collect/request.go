package collect

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/ingest"
)

// parsed is what a request body holds: the messages that passed, those
// that did not, and the write key when the body carries it.
type parsed struct {
	events   []foundation.Event
	rejected []Rejection
	received int
	writeKey string
}

// envelope is a /v1/batch body as encoding/json reads it, used only to
// explain a body that ingest.SplitBatch refused.
type envelope struct {
	Batch    []json.RawMessage `json:"batch"`
	SentAt   json.RawMessage   `json:"sentAt"`
	Context  json.RawMessage   `json:"context"`
	WriteKey json.RawMessage   `json:"writeKey"`
}

// single is what is read of a single-message body before the message
// itself: that it is JSON, an object, and its writeKey.
type single struct {
	WriteKey json.RawMessage `json:"writeKey"`
}

// parseBody splits a request body into messages and parses each. typ is
// the endpoint's type, "" for /v1/batch. A body that is not JSON, or a
// message over maxMessage bytes, fails the whole request (as on Segment:
// such a body comes from a broken client, and storing part of it would
// hide that); a message that breaks the tracking spec is only rejected.
func parseBody(body []byte, typ foundation.EventType, receivedAt time.Time, maxMessage int) (*parsed, *failure) {
	arrival := ingest.Arrival{ReceivedAt: receivedAt, Type: typ}
	var raws [][]byte
	var key json.RawMessage
	if typ == "" {
		b, ok := ingest.SplitBatch(body)
		if !ok {
			// Only refused bodies pay for encoding/json's slower decode,
			// which says what is wrong and where.
			var env envelope
			if err := json.Unmarshal(body, &env); err != nil {
				return nil, bodyJSONFailure(err, `{"batch":[{"type":"track","userId":"42","event":"Signed Up"}]}`)
			}
			return nil, badRequest("malformed_json", `the body could not be read as a batch; send {"batch":[message, …]}`)
		}
		if len(b.Messages) == 0 {
			return nil, badRequest("empty_batch", `the body has no messages; a batch is {"batch":[message, …]}`)
		}
		sent, p := ingest.ParseSentAt(b.SentAt)
		if p != nil {
			return nil, badRequest("bad_batch", "the batch's sentAt %s", p.Reason)
		}
		arrival.SentAt = sent
		switch {
		case len(b.Context) == 0 || bytes.Equal(b.Context, []byte("null")):
		case b.Context[0] == '{':
			arrival.Context = bytes.Clone(b.Context) // events keep it; the body is reused
		default:
			return nil, badRequest("bad_batch", "the batch's context must be a JSON object")
		}
		raws, key = b.Messages, b.WriteKey
	} else {
		var s single
		if err := json.Unmarshal(body, &s); err != nil {
			return nil, bodyJSONFailure(err, `{"userId":"42","event":"Signed Up"}`)
		}
		raws, key = [][]byte{body}, s.WriteKey
	}
	out := &parsed{received: len(raws), events: make([]foundation.Event, 0, len(raws))}
	if len(key) > 0 && key[0] == '"' {
		_ = json.Unmarshal(key, &out.writeKey)
	}
	for i, raw := range raws {
		if len(raw) > maxMessage {
			id := peekMessageID(raw)
			r := Rejection{Index: i, MessageID: id, Reason: fmt.Sprintf("the message is %s; the limit is %s per message",
				sizeText(len(raw)), sizeText(maxMessage))}
			name := fmt.Sprintf("message %d", i)
			if id != "" {
				name += " (messageId " + id + ")"
			}
			return nil, &failure{status: 400, code: "message_too_large", received: len(raws), rejected: []Rejection{r},
				message: fmt.Sprintf("%s is %s; the limit is %s per message (Segment's limit): nothing was stored, "+
					"send that message smaller — move large data out of properties and traits", name, sizeText(len(raw)), sizeText(maxMessage))}
		}
		e, p := ingest.ParseMessage(raw, &arrival)
		if p != nil {
			out.rejected = append(out.rejected, Rejection{Index: i, MessageID: e.MessageID, Field: p.Field, Reason: p.Reason})
			continue
		}
		out.events = append(out.events, e)
	}
	return out, nil
}

// bodyJSONFailure explains a body that is not what the endpoint takes.
func bodyJSONFailure(err error, example string) *failure {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return badRequest("malformed_json", "the body is not valid JSON: %s at byte %d; nothing was stored", syn.Error(), syn.Offset)
	case errors.As(err, &typ) && typ.Field == "batch":
		return badRequest("bad_batch", "batch must be an array of messages, not %s", wordFor(typ.Value))
	case errors.As(err, &typ) && typ.Field == "":
		return badRequest("malformed_json", "the body is %s, not a JSON object like %s", wordFor(typ.Value), example)
	case errors.As(err, &typ):
		return badRequest("bad_batch", "%s must not be %s", typ.Field, wordFor(typ.Value))
	}
	return badRequest("malformed_json", "the body is not valid JSON: %v", err)
}

func wordFor(jsonValue string) string {
	switch jsonValue {
	case "array", "object":
		return "an " + jsonValue
	case "bool":
		return "true/false"
	}
	return "a " + jsonValue
}

// peekMessageID reads only the messageId of a message, to name it.
func peekMessageID(raw []byte) string {
	var m struct {
		MessageID json.RawMessage `json:"messageId"`
	}
	if json.Unmarshal(raw, &m) != nil || len(m.MessageID) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(m.MessageID, &s) == nil {
		return s
	}
	if m.MessageID[0] == '-' || m.MessageID[0] >= '0' && m.MessageID[0] <= '9' {
		return string(m.MessageID)
	}
	return ""
}
