package ingest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/towerops/tower/internal/foundation"
)

// segmentMessage is one Segment-spec message as it appears in a file or
// an HTTP body. Keys Tower does not keep (integrations, sentAt, version,
// channel, …) are ignored.
type segmentMessage struct {
	Type              string          `json:"type"`
	MessageID         segmentID       `json:"messageId"`
	UserID            segmentID       `json:"userId"`
	AnonymousID       segmentID       `json:"anonymousId"`
	Event             string          `json:"event"`
	Name              string          `json:"name"`
	GroupID           segmentID       `json:"groupId"`
	PreviousID        segmentID       `json:"previousId"`
	Properties        json.RawMessage `json:"properties"`
	Traits            json.RawMessage `json:"traits"`
	Context           json.RawMessage `json:"context"`
	Timestamp         *string         `json:"timestamp"`
	OriginalTimestamp *string         `json:"originalTimestamp"`
	ReceivedAt        *string         `json:"receivedAt"`
	SentAt            json.RawMessage `json:"sentAt"` // read over HTTP only
}

// segmentID is an id the Segment libraries accept as a string or a number
// (userId: 12345 is common); both are kept as text.
type segmentID string

func (s *segmentID) UnmarshalJSON(b []byte) error {
	switch {
	case bytes.Equal(b, []byte("null")):
		*s = ""
	case len(b) > 0 && b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = segmentID(strings.TrimSpace(v))
	case len(b) > 0 && (b[0] == '-' || (b[0] >= '0' && b[0] <= '9')):
		*s = segmentID(b)
	default:
		return &json.UnmarshalTypeError{Value: strings.TrimPrefix(strings.TrimPrefix(jsonKind(b), "an "), "a "), Type: stringType}
	}
	return nil
}

// eventProblem is what is wrong with one line of events.
type eventProblem struct {
	column string // the message key at fault; "" when the line is not JSON
	reason string
}

// parseEvent reads one line of events.ndjson. A message without a
// messageId gets one derived from the line's bytes, so importing the same
// file twice stores each event once.
func parseEvent(line []byte, now time.Time) (foundation.Event, *eventProblem) {
	e, p := parseMessage(line, &Arrival{ReceivedAt: now}, true)
	if p != nil {
		return e, &eventProblem{column: p.Field, reason: p.Reason}
	}
	return e, nil
}

// derivedMessageID names a message that came without an id by its
// content, so the same line imported again is recognised as a duplicate.
func derivedMessageID(line []byte) string {
	sum := sha256.Sum256(bytes.TrimSpace(line))
	return "tower-" + hex.EncodeToString(sum[:16])
}

// messageEmail finds the person's address: traits.email (identify),
// else context.traits.email (what analytics.js attaches to track calls).
func messageEmail(m segmentMessage) string {
	if s, ok := jsonString(objectKey(m.Traits, "email")); ok && foundation.NormalizeEmail(s) != "" {
		return foundation.NormalizeEmail(s)
	}
	if traits := objectKey(m.Context, "traits"); len(traits) > 0 && traits[0] == '{' {
		if s, ok := jsonString(objectKey(traits, "email")); ok {
			return foundation.NormalizeEmail(s)
		}
	}
	return ""
}

// object returns raw JSON of an object, or nil for absent or null.
func object(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil
	}
	return raw
}

// jsonProblem explains why a message could not be decoded; fromFile picks
// the importer's wording (lines of a file) over the collector's.
func jsonProblem(err error, fromFile bool) *MessageProblem {
	const example = `{"type":"track","userId":"u1","event":"Signed Up","timestamp":"2025-03-01T10:00:00Z"}`
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typ) && typ.Field != "":
		return &MessageProblem{typ.Field, fmt.Sprintf("must be %s, not %s", typeName(typ), valueWord(typ.Value))}
	case errors.As(err, &typ) && fromFile:
		return &MessageProblem{"", fmt.Sprintf("is %s, not a JSON object; each line must be one message like %s",
			valueWord(typ.Value), example)}
	case errors.As(err, &typ):
		return &MessageProblem{"", fmt.Sprintf("is %s, not a JSON object; each message must be an object like %s",
			valueWord(typ.Value), example)}
	case errors.As(err, &syn) && fromFile:
		return &MessageProblem{"", fmt.Sprintf("is not valid JSON: %s at character %d; each line must be one whole "+
			"message, from { to }", syn.Error(), syn.Offset)}
	case errors.As(err, &syn):
		return &MessageProblem{"", fmt.Sprintf("is not valid JSON: %s at byte %d of the message", syn.Error(), syn.Offset)}
	}
	return &MessageProblem{"", "is not valid JSON (" + err.Error() + ")"}
}

// typeName says what a field should have been, in words.
func typeName(e *json.UnmarshalTypeError) string {
	switch e.Type.Kind() {
	case reflect.String, reflect.Pointer:
		return "a string"
	case reflect.Map, reflect.Slice:
		return "a JSON object"
	}
	return "a " + e.Type.Kind().String()
}

// valueWord turns encoding/json's name of a value ("number") into words.
func valueWord(v string) string {
	switch v {
	case "number", "string":
		return "a " + v
	case "bool":
		return "true/false"
	case "array", "object":
		return "an " + v
	}
	return v
}

// jsonKind names the kind of a JSON value for a message.
func jsonKind(raw []byte) string {
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '"':
		return "a string"
	case '[':
		return "an array"
	case '{':
		return "an object"
	case 't', 'f':
		return "true/false"
	case 'n':
		return "null"
	}
	if _, err := strconv.ParseFloat(string(raw), 64); err == nil {
		return "a number"
	}
	return "an unknown value"
}

var stringType = reflect.TypeFor[string]()
