package ingest

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
)

var segmentMessageType = reflect.TypeFor[segmentMessage]()

// decodeMessage reads raw into m as json.Unmarshal would, in one pass:
// the same fields (keys matched exactly or ignoring case, the last of a
// repeated key winning), the same type errors, and for input that is not
// valid JSON exactly encoding/json's error. Strings and raw values are
// copied out of raw, which the caller may reuse.
func decodeMessage(raw []byte, m *segmentMessage) error {
	i := skipSpace(raw, 0)
	if i < len(raw) && raw[i] != '{' {
		if end := skipValue(raw, i, 0); end >= 0 && skipSpace(raw, end) == len(raw) {
			if raw[i] == 'n' { // null: nothing to decode, as json.Unmarshal
				return nil
			}
			return &json.UnmarshalTypeError{Value: kindValue(raw[i:end]), Type: segmentMessageType}
		}
		return json.Unmarshal(raw, m)
	}
	// One copy of the message holds every string and raw value of it.
	text := string(raw)
	var first error
	end := -1
	walkObject(raw, i, 1, func(key, v []byte, esc bool) bool {
		if esc {
			var k string
			if json.Unmarshal(raw[sliceStart(raw, key)-1:sliceStart(raw, key)+len(key)+1], &k) != nil {
				return false
			}
			key = []byte(k)
		}
		if err := m.set(key, v, text[sliceStart(raw, v):sliceStart(raw, v)+len(v)]); err != nil && first == nil {
			first = err
		}
		return true
	}, &end)
	if end < 0 || skipSpace(raw, end) != len(raw) {
		return json.Unmarshal(raw, m) // not JSON: its own error, worded by encoding/json
	}
	return first
}

// sliceStart is the offset of sub within b (sub is a slice of b).
func sliceStart(b, sub []byte) int {
	return cap(b) - cap(sub)
}

// set stores one key's value; v is its JSON, s the same bytes as a string
// sharing the message's one copy.
func (m *segmentMessage) set(key, v []byte, s string) error {
	switch {
	case keyIs(key, "type"):
		return setString(&m.Type, "type", v, s)
	case keyIs(key, "messageId"):
		return m.MessageID.set("messageId", v, s)
	case keyIs(key, "userId"):
		return m.UserID.set("userId", v, s)
	case keyIs(key, "anonymousId"):
		return m.AnonymousID.set("anonymousId", v, s)
	case keyIs(key, "event"):
		return setString(&m.Event, "event", v, s)
	case keyIs(key, "name"):
		return setString(&m.Name, "name", v, s)
	case keyIs(key, "groupId"):
		return m.GroupID.set("groupId", v, s)
	case keyIs(key, "previousId"):
		return m.PreviousID.set("previousId", v, s)
	case keyIs(key, "properties"):
		m.Properties = rawValue(v, s)
	case keyIs(key, "traits"):
		m.Traits = rawValue(v, s)
	case keyIs(key, "context"):
		m.Context = rawValue(v, s)
	case keyIs(key, "sentAt"):
		m.SentAt = rawValue(v, s)
	case keyIs(key, "timestamp"):
		return setStringPtr(&m.Timestamp, "timestamp", v, s)
	case keyIs(key, "originalTimestamp"):
		return setStringPtr(&m.OriginalTimestamp, "originalTimestamp", v, s)
	case keyIs(key, "receivedAt"):
		return setStringPtr(&m.ReceivedAt, "receivedAt", v, s)
	}
	return nil
}

// rawValue keeps a value as raw JSON. It is a copy of the message's
// bytes, not a slice of the caller's buffer.
func rawValue(_ []byte, s string) json.RawMessage {
	return json.RawMessage(s)
}

// stringValue decodes a JSON string, without work when it has no escapes.
func stringValue(v []byte, s string) (string, bool) {
	if len(v) < 2 || v[0] != '"' {
		return "", false
	}
	if bytes.IndexByte(v, '\\') < 0 {
		return s[1 : len(s)-1], true
	}
	var out string
	if json.Unmarshal(v, &out) != nil {
		return "", false
	}
	return out, true
}

func setString(dst *string, field string, v []byte, s string) error {
	if v[0] == 'n' { // null leaves the field as it was, as json.Unmarshal
		return nil
	}
	str, ok := stringValue(v, s)
	if !ok {
		return &json.UnmarshalTypeError{Value: kindValue(v), Type: stringType, Field: field}
	}
	*dst = str
	return nil
}

func setStringPtr(dst **string, field string, v []byte, s string) error {
	if v[0] == 'n' {
		*dst = nil
		return nil
	}
	str, ok := stringValue(v, s)
	if !ok {
		return &json.UnmarshalTypeError{Value: kindValue(v), Type: stringType, Field: field}
	}
	*dst = &str
	return nil
}

func (id *segmentID) set(field string, v []byte, s string) error {
	switch c := v[0]; {
	case c == 'n':
		*id = ""
	case c == '"':
		str, ok := stringValue(v, s)
		if !ok {
			return &json.UnmarshalTypeError{Value: "string", Type: stringType, Field: field}
		}
		*id = segmentID(strings.TrimSpace(str))
	case c == '-' || (c >= '0' && c <= '9'):
		*id = segmentID(s)
	default:
		return &json.UnmarshalTypeError{Value: strings.TrimPrefix(strings.TrimPrefix(jsonKind(v), "an "), "a "),
			Type: stringType, Field: field}
	}
	return nil
}

// kindValue names a JSON value's kind as encoding/json's type errors do.
func kindValue(v []byte) string {
	switch v[0] {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "bool"
	case 'n':
		return "null"
	}
	return "number"
}

// objectKey returns the value of key in the JSON object obj (the last one
// when repeated, as json.Unmarshal), or nil.
func objectKey(obj []byte, key string) []byte {
	var found []byte
	end := -1
	walkObject(obj, skipSpace(obj, 0), 1, func(k, v []byte, esc bool) bool {
		if esc {
			var s string
			if json.Unmarshal(obj[sliceStart(obj, k)-1:sliceStart(obj, k)+len(k)+1], &s) == nil && keyIs(s, key) {
				found = v
			}
		} else if keyIs(k, key) {
			found = v
		}
		return true
	}, &end)
	if end < 0 {
		return nil
	}
	return found
}

// jsonString decodes v when it is a JSON string.
func jsonString(v []byte) (string, bool) {
	if len(v) < 2 || v[0] != '"' {
		return "", false
	}
	return stringValue(v, string(v))
}
