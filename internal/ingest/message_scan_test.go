package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

var scanSeeds = []string{
	`{"type":"track","userId":"u1","event":"A","properties":{"a":[1,2.5e-3,true,null,"x\"y"]}}`,
	`{"batch":[{"type":"page","anonymousId":"a"},{"type":"identify","userId":12,"traits":{"email":"A@X.test"}}],"sentAt":"2026-01-01T00:00:00Z","writeKey":"k"}`,
	`{"Type":"track","USERID":"u","event":"\u0041\n","timestamp":null,"timestamp":"2026-01-01T00:00:00Z"}`,
	`{"user\u0049d":"u","event":42}`,
	` [1, 2 ,{}] `, `"x"`, `-0.5e+10`, `01`, `1.`, `{"a":1,}`, `{"a" 1}`, `[1 2]`, `"\x"`, "\"a\tb\"", `nul`, `{"a":"\ud800"}`,
	`{"context":{"traits":{"email":"b@y.test"}},"traits":{"Email":5}}`,
	`null`, ` null `, `{"batch":null}`,
}

// FuzzScanValid checks the scanner against encoding/json: it accepts
// exactly what json.Valid accepts, and SplitBatch finds the messages
// json.Unmarshal finds.
func FuzzScanValid(f *testing.F) {
	for _, s := range scanSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := validJSON(b), json.Valid(b); got != want {
			t.Fatalf("validJSON(%q) = %v, json.Valid = %v", b, got, want)
		}
		batch, ok := SplitBatch(b)
		var env struct {
			Batch    []json.RawMessage `json:"batch"`
			SentAt   json.RawMessage   `json:"sentAt"`
			Context  json.RawMessage   `json:"context"`
			WriteKey json.RawMessage   `json:"writeKey"`
		}
		err := json.Unmarshal(b, &env)
		if !ok {
			// A refused body is answered 400, so refusing is right for
			// anything that is not a batch object: encoding/json reads a
			// bare null into an empty envelope, but null is no batch.
			isObject := err == nil && bytes.TrimSpace(b)[0] == '{'
			if isObject && !bytes.Contains(b, []byte(`\`)) && !hasUnicodeFold(b) {
				t.Fatalf("SplitBatch refused %q, which encoding/json reads", b)
			}
			return
		}
		if err != nil {
			t.Fatalf("SplitBatch accepted %q; encoding/json: %v", b, err)
		}
		if len(batch.Messages) != len(env.Batch) {
			t.Fatalf("%d messages, encoding/json %d", len(batch.Messages), len(env.Batch))
		}
		for i := range env.Batch {
			if !bytes.Equal(batch.Messages[i], env.Batch[i]) {
				t.Fatalf("message %d: %q, encoding/json %q", i, batch.Messages[i], env.Batch[i])
			}
		}
		if !bytes.Equal(batch.SentAt, env.SentAt) || !bytes.Equal(batch.Context, env.Context) || !bytes.Equal(batch.WriteKey, env.WriteKey) {
			t.Fatalf("parts differ: %q %q %q, encoding/json %q %q %q", batch.SentAt, batch.Context, batch.WriteKey, env.SentAt, env.Context, env.WriteKey)
		}
	})
}

// FuzzDecodeMessage checks decodeMessage against json.Unmarshal into the
// same struct: the same fields, and an error exactly when it errs, of the
// same kind, naming the same field.
func FuzzDecodeMessage(f *testing.F) {
	for _, s := range scanSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if !utf8.Valid(b) || hasUnicodeFold(b) {
			return // ParseMessage refuses the first; the second folds differently on purpose
		}
		var got, want segmentMessage
		gotErr := decodeMessage(b, &got)
		wantErr := json.Unmarshal(b, &want)
		if (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("%q: decodeMessage error %v, json.Unmarshal error %v", b, gotErr, wantErr)
		}
		if wantErr != nil {
			var gt, wt *json.UnmarshalTypeError
			if errors.As(wantErr, &wt) != errors.As(gotErr, &gt) {
				t.Fatalf("%q: errors of different kinds: %v / %v", b, gotErr, wantErr)
			}
			if wt != nil && (gt.Field != wt.Field || gt.Value != wt.Value) {
				t.Fatalf("%q: type error %s=%s, encoding/json %s=%s", b, gt.Field, gt.Value, wt.Field, wt.Value)
			}
			if p, q := jsonProblem(gotErr, false), jsonProblem(wantErr, false); *p != *q {
				t.Fatalf("%q: problem %+v, encoding/json %+v", b, p, q)
			}
			return
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q:\n got %#v\nwant %#v", b, got, want)
		}
	})
}

// hasUnicodeFold reports input with the two non-ASCII letters that
// encoding/json folds onto ASCII key letters (ſ → s, K → k); Tower's
// scanner matches keys ignoring ASCII case only.
func hasUnicodeFold(b []byte) bool {
	return strings.ContainsAny(string(b), "\u017f\u212a")
}

func TestDecodeMessageMatchesUnmarshal(t *testing.T) {
	for _, s := range scanSeeds {
		var got, want segmentMessage
		gotErr, wantErr := decodeMessage([]byte(s), &got), json.Unmarshal([]byte(s), &want)
		if (gotErr == nil) != (wantErr == nil) || (gotErr == nil && !reflect.DeepEqual(got, want)) {
			t.Errorf("%s:\n got %#v, %v\nwant %#v, %v", s, got, gotErr, want, wantErr)
		}
	}
}
