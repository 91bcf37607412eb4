package ingest

// A small JSON scanner for Segment messages. encoding/json validates a
// value in one pass and decodes it by reflection in another, and the
// collector would run both over each body three times (the batch, each
// message, its traits and context); at tens of thousands of events a
// second that was most of the CPU. The scanner validates as it walks and
// hands out slices of the input, so a message is read in one pass. It
// accepts exactly what json.Valid accepts (FuzzScanValid checks that);
// whenever input is not valid JSON, the caller asks encoding/json for its
// error, so people still read the standard wording and offset.

// maxDepth is encoding/json's nesting limit.
const maxDepth = 10000

// skipSpace returns the index of the first non-space byte at or after i.
func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\t' || b[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the index just past the JSON value starting at i, or
// -1 when there is none or it is not valid. depth counts the containers
// around it.
func skipValue(b []byte, i, depth int) int {
	if i >= len(b) {
		return -1
	}
	switch c := b[i]; {
	case c == '"':
		end, _ := skipString(b, i)
		return end
	case c == '{':
		return skipObject(b, i, depth+1)
	case c == '[':
		return skipArray(b, i, depth+1)
	case c == 't':
		return skipLiteral(b, i, "true")
	case c == 'f':
		return skipLiteral(b, i, "false")
	case c == 'n':
		return skipLiteral(b, i, "null")
	case c == '-' || (c >= '0' && c <= '9'):
		return skipNumber(b, i)
	}
	return -1
}

func skipLiteral(b []byte, i int, lit string) int {
	if len(b)-i < len(lit) || string(b[i:i+len(lit)]) != lit {
		return -1
	}
	return i + len(lit)
}

// stringStop marks the bytes that end a run of plain string content: the
// closing quote, an escape, and the control characters JSON forbids.
var stringStop = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// skipString returns the index past the string starting at b[i] == '"',
// and whether it has escapes (then its text needs unquoting).
func skipString(b []byte, i int) (int, bool) {
	escaped := false
	j := i + 1
	for {
		for j < len(b) && !stringStop[b[j]] {
			j++
		}
		if j >= len(b) {
			return -1, false
		}
		switch b[j] {
		case '"':
			return j + 1, escaped
		case '\\':
			escaped = true
			j++
			if j >= len(b) {
				return -1, false
			}
			switch b[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if j+4 >= len(b) || !isHex(b[j+1]) || !isHex(b[j+2]) || !isHex(b[j+3]) || !isHex(b[j+4]) {
					return -1, false
				}
				j += 4
			default:
				return -1, false
			}
			j++
		default: // a control character
			return -1, false
		}
	}
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func skipNumber(b []byte, i int) int {
	if b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		i = skipDigits(b, i)
	default:
		return -1
	}
	if i < len(b) && b[i] == '.' {
		j := skipDigits(b, i+1)
		if j == i+1 {
			return -1
		}
		i = j
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := skipDigits(b, i)
		if j == i {
			return -1
		}
		i = j
	}
	return i
}

func skipDigits(b []byte, i int) int {
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	return i
}

func skipObject(b []byte, i, depth int) int {
	end := -1
	walkObject(b, i, depth, func(_, _ []byte, _ bool) bool { return true }, &end)
	return end
}

func skipArray(b []byte, i, depth int) int {
	end := -1
	walkArray(b, i, depth, func([]byte) bool { return true }, &end)
	return end
}

// walkObject calls fn with each key (raw, without quotes), its value and
// whether the key has escapes, for the object starting at b[i] == '{',
// validating as it goes. It sets *end past the object; -1 when the
// object is not valid JSON or fn returned false.
func walkObject(b []byte, i, depth int, fn func(key, value []byte, escaped bool) bool, end *int) {
	*end = -1
	if depth > maxDepth || i >= len(b) || b[i] != '{' {
		return
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		*end = i + 1
		return
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return
		}
		kEnd, esc := skipString(b, i)
		if kEnd < 0 {
			return
		}
		key := b[i+1 : kEnd-1]
		i = skipSpace(b, kEnd)
		if i >= len(b) || b[i] != ':' {
			return
		}
		i = skipSpace(b, i+1)
		vEnd := skipValue(b, i, depth)
		if vEnd < 0 || !fn(key, b[i:vEnd], esc) {
			return
		}
		i = skipSpace(b, vEnd)
		if i >= len(b) {
			return
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			*end = i + 1
			return
		default:
			return
		}
	}
}

// walkArray is walkObject for arrays: fn gets each element.
func walkArray(b []byte, i, depth int, fn func(value []byte) bool, end *int) {
	*end = -1
	if depth > maxDepth || i >= len(b) || b[i] != '[' {
		return
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		*end = i + 1
		return
	}
	for {
		vEnd := skipValue(b, i, depth)
		if vEnd < 0 || !fn(b[i:vEnd]) {
			return
		}
		i = skipSpace(b, vEnd)
		if i >= len(b) {
			return
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case ']':
			*end = i + 1
			return
		default:
			return
		}
	}
}

// validJSON is json.Valid, faster.
func validJSON(b []byte) bool {
	i := skipSpace(b, 0)
	end := skipValue(b, i, 0)
	return end >= 0 && skipSpace(b, end) == len(b)
}

// keyIs matches an object key as encoding/json matches a field name:
// exactly, else ignoring ASCII case.
func keyIs[K string | []byte](key K, name string) bool {
	if len(key) != len(name) {
		return false
	}
	for i := 0; i < len(key); i++ {
		a, b := key[i], name[i]
		if a == b {
			continue
		}
		if a|0x20 != b|0x20 || a|0x20 < 'a' || a|0x20 > 'z' {
			return false
		}
	}
	return true
}
