package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/towerops/tower/internal/foundation"
)

// MessageProblem is what is wrong with one Segment message: the message
// key at fault ("" when the message as a whole is) and why, in words a
// person fixing the sender can act on.
type MessageProblem struct {
	Field  string
	Reason string
}

func (p *MessageProblem) Error() string {
	if p.Field == "" {
		return "the message " + p.Reason
	}
	return p.Field + " " + p.Reason
}

// Arrival is what the HTTP collector knows about a message besides its
// bytes.
type Arrival struct {
	// ReceivedAt is when Tower received the request. It becomes the
	// event's receivedAt (a client cannot set it) and its timestamp when
	// the message has none.
	ReceivedAt time.Time
	// SentAt is the batch's sentAt, by the client's clock; zero when the
	// batch has none. A message's own sentAt wins over it.
	SentAt time.Time
	// Type is the type the endpoint implies (/v1/track → track), "" for
	// /v1/batch. A message without a type gets it; a message with another
	// type is refused, because the sender is confused about what it sends.
	Type foundation.EventType
	// Context is the batch's context object, or nil. Segment treats it as
	// defaults: each of its top-level keys applies to a message whose own
	// context does not have that key.
	Context json.RawMessage
}

// ParseMessage reads one message an SDK sent over HTTP and validates it
// as the importer does, with what Segment does on receipt on top:
//
//   - receivedAt is the time Tower received it, whatever the message says;
//   - a missing timestamp is the received time;
//   - clock skew is corrected: when the message has a timestamp (or
//     originalTimestamp) and a sentAt is known (the message's own, else
//     the batch's), both by the client's clock, the event happened
//     sentAt − timestamp before Tower received it, so
//     timestamp = receivedAt − (sentAt − timestamp);
//   - a message without a messageId gets one derived from its bytes, so
//     an SDK that retries an identical body is stored once.
//
// The returned event has no Source; the caller stamps it. On a problem
// the event is returned as far as it was read (its MessageID, when the
// message has one, helps name it in a response).
func ParseMessage(raw []byte, a *Arrival) (foundation.Event, *MessageProblem) {
	return parseMessage(raw, a, false)
}

// parseMessage is the one parser behind ParseMessage and the events.ndjson
// importer. fromFile selects the importer's rules: a file is an export of
// what happened, so its receivedAt is kept, a missing timestamp is an
// error rather than "now", and no skew correction applies (exports carry
// timestamps that were corrected when they were first received).
func parseMessage(raw []byte, a *Arrival, fromFile bool) (foundation.Event, *MessageProblem) {
	if !utf8.Valid(raw) {
		return foundation.Event{}, notUTF8Problem(raw, fromFile)
	}
	var m segmentMessage
	if err := decodeMessage(raw, &m); err != nil {
		return foundation.Event{}, jsonProblem(err, fromFile)
	}
	for _, obj := range []struct {
		key string
		raw json.RawMessage
	}{{"properties", m.Properties}, {"traits", m.Traits}, {"context", m.Context}} {
		if len(obj.raw) > 0 && obj.raw[0] != '{' && !bytes.Equal(obj.raw, []byte("null")) {
			return foundation.Event{}, &MessageProblem{obj.key, fmt.Sprintf("must be a JSON object, not %s", jsonKind(obj.raw))}
		}
	}
	e := foundation.Event{
		MessageID: string(m.MessageID), UserID: string(m.UserID), AnonymousID: string(m.AnonymousID),
		Event: strings.TrimSpace(m.Event), Name: m.Name, GroupID: string(m.GroupID), PreviousID: string(m.PreviousID),
		Properties: object(m.Properties), Traits: object(m.Traits), Context: object(m.Context),
	}
	if p := messageType(&e, m.Type, a.Type); p != nil {
		return e, p
	}
	if p := messageTimes(&e, &m, a, fromFile); p != nil {
		return e, p
	}
	if len(a.Context) > 0 && !fromFile {
		ctx, err := mergeContext(e.Context, a.Context)
		if err != nil {
			return e, &MessageProblem{"context", err.Error()}
		}
		e.Context, m.Context = ctx, ctx
	}
	e.Email = messageEmail(m)
	if err := e.Validate(); err != nil {
		var fe *foundation.FieldError
		if errors.As(err, &fe) {
			return e, &MessageProblem{fe.Field, fe.Reason}
		}
		return e, &MessageProblem{"type", err.Error()}
	}
	if e.MessageID == "" {
		e.MessageID = derivedMessageID(raw)
	}
	return e, nil
}

// messageType sets the event's type from the message, or from the
// endpoint when the message has none.
func messageType(e *foundation.Event, typ string, implied foundation.EventType) *MessageProblem {
	if typ == "" {
		e.Type = implied
		return nil
	}
	t, err := foundation.ParseEnum(typ, foundation.EventTypes)
	if err != nil {
		return &MessageProblem{"type", err.Error()}
	}
	if implied != "" && t != implied {
		return &MessageProblem{"type", fmt.Sprintf("is %q but the message was sent to /v1/%s; send it to /v1/%s "+
			"or /v1/batch, or leave type out", typ, implied, t)}
	}
	e.Type = t
	return nil
}

// messageTimes sets the event's timestamp and receivedAt.
func messageTimes(e *foundation.Event, m *segmentMessage, a *Arrival, fromFile bool) *MessageProblem {
	ts, key := m.Timestamp, "timestamp"
	if ts == nil {
		ts, key = m.OriginalTimestamp, "originalTimestamp"
	}
	if ts != nil && strings.TrimSpace(*ts) != "" {
		t, err := parseTime(strings.TrimSpace(*ts))
		if err != nil {
			return &MessageProblem{key, err.Error()}
		}
		e.Timestamp = t
	}
	e.ReceivedAt = a.ReceivedAt.UTC()
	if fromFile {
		if m.ReceivedAt != nil && strings.TrimSpace(*m.ReceivedAt) != "" {
			t, err := parseTime(strings.TrimSpace(*m.ReceivedAt))
			if err != nil {
				return &MessageProblem{"receivedAt", err.Error()}
			}
			e.ReceivedAt = t
		}
		return nil
	}
	sent, p := ParseSentAt(m.SentAt)
	if p != nil {
		return p
	}
	if sent.IsZero() {
		sent = a.SentAt
	}
	switch {
	case e.Timestamp.IsZero():
		e.Timestamp = e.ReceivedAt
	case !sent.IsZero():
		e.Timestamp = e.ReceivedAt.Add(-sent.Sub(e.Timestamp))
	}
	return nil
}

// mergeContext puts the batch's context keys under the message's own.
// It decodes both objects, so it costs something; batches that carry a
// context are rare (the SDKs put it on each message).
func mergeContext(own, batch json.RawMessage) (json.RawMessage, error) {
	if len(own) == 0 {
		return batch, nil
	}
	var o, b map[string]json.RawMessage
	if err := json.Unmarshal(own, &o); err != nil {
		return nil, fmt.Errorf("could not be read (%w)", err)
	}
	if err := json.Unmarshal(batch, &b); err != nil {
		return nil, fmt.Errorf("the batch's context could not be read (%w)", err)
	}
	added := false
	for k, v := range b {
		if _, ok := o[k]; !ok {
			o[k] = v
			added = true
		}
	}
	if !added {
		return own, nil
	}
	merged, err := json.Marshal(o)
	if err != nil {
		return nil, fmt.Errorf("could not be merged with the batch's context (%w)", err)
	}
	return merged, nil
}

// notUTF8Problem names the first byte that is not UTF-8.
func notUTF8Problem(raw []byte, fromFile bool) *MessageProblem {
	pos := invalidUTF8At(string(raw))
	if fromFile {
		return &MessageProblem{"", fmt.Sprintf("not valid UTF-8 (byte 0x%02X at character %d "+
			"of the line); re-save the file as UTF-8", raw[pos], utf8.RuneCount(raw[:pos])+1)}
	}
	return &MessageProblem{"", fmt.Sprintf("is not valid UTF-8 (byte 0x%02X at byte %d of the message); "+
		"the sender must encode text as UTF-8", raw[pos], pos)}
}

// ParseSentAt reads a sentAt value (a JSON string with an ISO 8601
// date-time, or null/absent → zero time), as the collector needs it for a
// batch's sentAt; the problem names "sentAt".
func ParseSentAt(raw json.RawMessage) (time.Time, *MessageProblem) {
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return time.Time{}, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return time.Time{}, &MessageProblem{"sentAt", fmt.Sprintf("must be a date-time string, not %s", jsonKind(raw))}
	}
	if s = strings.TrimSpace(s); s == "" {
		return time.Time{}, nil
	}
	t, err := parseTime(s)
	if err != nil {
		return time.Time{}, &MessageProblem{"sentAt", err.Error()}
	}
	return t, nil
}
