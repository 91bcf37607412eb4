package ingest

// Batch is a /v1/batch body split into its parts. Every part is a slice
// of the body, not a copy: ParseMessage copies what an event keeps.
type Batch struct {
	Messages [][]byte // each element of "batch", as raw JSON
	SentAt   []byte   // raw JSON, nil when absent
	Context  []byte
	WriteKey []byte
}

// SplitBatch splits a batch body in one validating pass. It returns false
// when the body is not valid JSON, not an object, or its "batch" is not
// an array (or null): the caller then asks encoding/json to say why,
// which is slower but only paid for bodies that are refused.
func SplitBatch(body []byte) (Batch, bool) {
	var b Batch
	ok := true
	end := -1
	walkObject(body, skipSpace(body, 0), 1, func(key, v []byte, esc bool) bool {
		if esc { // rare enough to leave to encoding/json
			ok = false
			return false
		}
		switch {
		case keyIs(key, "batch"):
			b.Messages = b.Messages[:0]
			if v[0] == 'n' {
				return true
			}
			arrEnd := -1
			walkArray(v, 0, 2, func(m []byte) bool {
				b.Messages = append(b.Messages, m)
				return true
			}, &arrEnd)
			ok = ok && arrEnd == len(v)
		case keyIs(key, "sentAt"):
			b.SentAt = v
		case keyIs(key, "context"):
			b.Context = v
		case keyIs(key, "writeKey"):
			b.WriteKey = v
		}
		return ok
	}, &end)
	if !ok || end < 0 || skipSpace(body, end) != len(body) {
		return Batch{}, false
	}
	return b, true
}
