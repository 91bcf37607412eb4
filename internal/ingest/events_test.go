package ingest

import (
	"strings"
	"testing"
	"time"
)

var testNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func TestParseEventProblems(t *testing.T) {
	tests := []struct {
		name, line, column, reason string
	}{
		{"BadJSON", `{"type":"track",`, "", "is not valid JSON"},
		{"NotAnObject", `[1,2]`, "", "is an array, not a JSON object; each line must be one message"},
		{"MissingType", `{"userId":"u1","event":"X","timestamp":"2025-03-01T10:00:00Z"}`, "type", "is empty; it is required"},
		{"UnknownType", `{"type":"click","userId":"u1","timestamp":"2025-03-01T10:00:00Z"}`, "type",
			`"click" is not one of identify, track, page, screen, group, alias`},
		{"TrackWithoutEvent", `{"type":"track","userId":"u1","timestamp":"2025-03-01T10:00:00Z"}`, "event", "a track message needs an event name"},
		{"NoIdentity", `{"type":"track","event":"X","timestamp":"2025-03-01T10:00:00Z"}`, "userId", "userId and anonymousId are both missing"},
		{"BadTimestamp", `{"type":"track","userId":"u1","event":"X","timestamp":"yesterday"}`, "timestamp", `"yesterday" is not a date-time`},
		{"TimestampWithoutZone", `{"type":"page","userId":"u1","timestamp":"2025-03-01T10:00:00"}`, "timestamp", "has no time zone"},
		{"MissingTimestamp", `{"type":"identify","userId":"u1"}`, "timestamp", "is missing"},
		{"EventNotString", `{"type":"track","userId":"u1","event":42,"timestamp":"2025-03-01T10:00:00Z"}`, "event", "must be a string, not a number"},
		{"UserIDObject", `{"type":"track","userId":{"a":1},"event":"X","timestamp":"2025-03-01T10:00:00Z"}`, "userId", "must be a string, not an object"},
		{"PropertiesNotObject", `{"type":"track","userId":"u1","event":"X","properties":"big","timestamp":"2025-03-01T10:00:00Z"}`, "properties", "must be a JSON object, not a string"},
		{"GroupWithoutGroupID", `{"type":"group","userId":"u1","timestamp":"2025-03-01T10:00:00Z"}`, "groupId", "needs a groupId"},
		{"NotUTF8", "{\"type\":\"track\",\"userId\":\"Jos\xe9\"}", "", "not valid UTF-8 (byte 0xE9 at character 30 of the line)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, p := parseEvent([]byte(tc.line), testNow)
			if p == nil {
				t.Fatalf("no problem reported")
			}
			if p.column != tc.column || !strings.Contains(p.reason, tc.reason) {
				t.Errorf("problem = %q: %q\nwant %q: …%q…", p.column, p.reason, tc.column, tc.reason)
			}
		})
	}
}

func TestParseEventValues(t *testing.T) {
	line := `{"type":"Track","userId":12345,"event":"Pricing Viewed","properties":{"plan":"pro"},` +
		`"context":{"traits":{"email":" Ana@X.test "}},"timestamp":"2025-03-01T12:00:00+02:00","sentAt":"x"}`
	e, p := parseEvent([]byte(line), testNow)
	if p != nil {
		t.Fatalf("problem: %+v", p)
	}
	if e.Type != "track" || e.UserID != "12345" || e.Event != "Pricing Viewed" || e.Email != "ana@x.test" ||
		string(e.Properties) != `{"plan":"pro"}` || e.Traits != nil ||
		!e.Timestamp.Equal(time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)) || !e.ReceivedAt.Equal(testNow) {
		t.Errorf("event = %+v", e)
	}
	if !strings.HasPrefix(e.MessageID, "tower-") || len(e.MessageID) != 38 {
		t.Errorf("derived message id = %q", e.MessageID)
	}
	again, _ := parseEvent([]byte(line+"  "), testNow.Add(time.Hour))
	if again.MessageID != e.MessageID {
		t.Errorf("derived id changed between imports: %q then %q", e.MessageID, again.MessageID)
	}
	other, _ := parseEvent([]byte(strings.Replace(line, "Pricing", "Docs", 1)), testNow)
	if other.MessageID == e.MessageID {
		t.Errorf("different lines got the same derived id")
	}

	id, p := parseEvent([]byte(`{"type":"identify","anonymousId":"a-1","messageId":"m-1","traits":{"email":"Bo@Y.test"},`+
		`"originalTimestamp":"2025-03-01T10:00:00Z","receivedAt":"2025-03-01T10:00:05Z"}`), testNow)
	if p != nil || id.MessageID != "m-1" || id.Email != "bo@y.test" || id.AnonymousID != "a-1" ||
		!id.ReceivedAt.Equal(time.Date(2025, 3, 1, 10, 0, 5, 0, time.UTC)) || id.Timestamp.IsZero() {
		t.Errorf("identify = %+v, %+v", id, p)
	}
}
