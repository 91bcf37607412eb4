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
	"unicode/utf8"

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
	if !utf8.Valid(line) {
		pos := invalidUTF8At(string(line))
		return foundation.Event{}, &eventProblem{"", fmt.Sprintf("not valid UTF-8 (byte 0x%02X at character %d "+
			"of the line); re-save the file as UTF-8", line[pos], utf8.RuneCount(line[:pos])+1)}
	}
	var m segmentMessage
	if err := json.Unmarshal(line, &m); err != nil {
		return foundation.Event{}, jsonProblem(err)
	}
	for _, obj := range []struct {
		key string
		raw json.RawMessage
	}{{"properties", m.Properties}, {"traits", m.Traits}, {"context", m.Context}} {
		if len(obj.raw) > 0 && obj.raw[0] != '{' && !bytes.Equal(obj.raw, []byte("null")) {
			return foundation.Event{}, &eventProblem{obj.key, fmt.Sprintf("must be a JSON object, not %s", jsonKind(obj.raw))}
		}
	}
	e := foundation.Event{
		MessageID: string(m.MessageID), UserID: string(m.UserID), AnonymousID: string(m.AnonymousID),
		Event: strings.TrimSpace(m.Event), Name: m.Name, GroupID: string(m.GroupID), PreviousID: string(m.PreviousID),
		Properties: object(m.Properties), Traits: object(m.Traits), Context: object(m.Context),
	}
	if m.Type != "" {
		t, err := foundation.ParseEnum(m.Type, foundation.EventTypes)
		if err != nil {
			return e, &eventProblem{"type", err.Error()}
		}
		e.Type = t
	}
	ts, key := m.Timestamp, "timestamp"
	if ts == nil {
		ts, key = m.OriginalTimestamp, "originalTimestamp"
	}
	if ts != nil && strings.TrimSpace(*ts) != "" {
		t, err := parseTime(strings.TrimSpace(*ts))
		if err != nil {
			return e, &eventProblem{key, err.Error()}
		}
		e.Timestamp = t
	}
	e.ReceivedAt = now.UTC()
	if m.ReceivedAt != nil && strings.TrimSpace(*m.ReceivedAt) != "" {
		t, err := parseTime(strings.TrimSpace(*m.ReceivedAt))
		if err != nil {
			return e, &eventProblem{"receivedAt", err.Error()}
		}
		e.ReceivedAt = t
	}
	e.Email = messageEmail(m)
	if err := e.Validate(); err != nil {
		var fe *foundation.FieldError
		if errors.As(err, &fe) {
			return e, &eventProblem{fe.Field, fe.Reason}
		}
		return e, &eventProblem{"type", err.Error()}
	}
	if e.MessageID == "" {
		e.MessageID = derivedMessageID(line)
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
	var traits struct {
		Email any `json:"email"`
	}
	if len(m.Traits) > 0 && json.Unmarshal(m.Traits, &traits) == nil {
		if s, ok := traits.Email.(string); ok && foundation.NormalizeEmail(s) != "" {
			return foundation.NormalizeEmail(s)
		}
	}
	var ctx struct {
		Traits struct {
			Email any `json:"email"`
		} `json:"traits"`
	}
	if len(m.Context) > 0 && json.Unmarshal(m.Context, &ctx) == nil {
		if s, ok := ctx.Traits.Email.(string); ok {
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

func jsonProblem(err error) *eventProblem {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typ) && typ.Field != "":
		return &eventProblem{typ.Field, fmt.Sprintf("must be %s, not %s", typeName(typ), valueWord(typ.Value))}
	case errors.As(err, &typ):
		return &eventProblem{"", fmt.Sprintf("is %s, not a JSON object; each line must be one message like "+
			`{"type":"track","userId":"u1","event":"Signed Up","timestamp":"2025-03-01T10:00:00Z"}`, valueWord(typ.Value))}
	case errors.As(err, &syn):
		return &eventProblem{"", fmt.Sprintf("is not valid JSON: %s at character %d; each line must be one whole "+
			"message, from { to }", syn.Error(), syn.Offset)}
	}
	return &eventProblem{"", "is not valid JSON (" + err.Error() + ")"}
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
