package demo

import (
	"strconv"
	"unicode/utf8"
)

// kv is one JSON object member. Objects are written in the order given,
// so event lines are byte-stable without sorting map keys.
type kv struct {
	k string
	v any // string, int, int64, float64, bool, []kv
}

// appendObject appends {"k":v,...} to b.
func appendObject(b []byte, obj []kv) []byte {
	b = append(b, '{')
	for i, m := range obj {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, m.k)
		b = append(b, ':')
		b = appendValue(b, m.v)
	}
	return append(b, '}')
}

func appendValue(b []byte, v any) []byte {
	switch x := v.(type) {
	case string:
		return appendString(b, x)
	case int:
		return strconv.AppendInt(b, int64(x), 10)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case float64:
		return strconv.AppendFloat(b, x, 'f', -1, 64)
	case bool:
		return strconv.AppendBool(b, x)
	case []kv:
		return appendObject(b, x)
	}
	return append(b, "null"...)
}

// appendString writes s as a JSON string: quotes, backslashes and control
// characters escaped, other UTF-8 kept as is.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		b = append(b, s[i:i+size]...)
		i += size
	}
	return append(b, '"')
}
