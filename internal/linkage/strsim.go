package linkage

// jaroWinkler returns the Jaro–Winkler similarity of a and b in [0, 1]:
// Jaro similarity boosted by a shared prefix of up to 4 characters with the
// standard scale 0.1, applied only when Jaro exceeds 0.7 (Winkler 1990).
// It works on bytes when both strings are ASCII (the normal case after
// normalisation) and on runes otherwise.
func jaroWinkler(a, b string) float64 {
	if a == b {
		if a == "" {
			return 0
		}
		return 1
	}
	if isASCII(a) && isASCII(b) {
		return jw([]byte(a), []byte(b))
	}
	return jw([]rune(a), []rune(b))
}

// jwAtMost is a cheap upper bound of jaroWinkler(a, b) for ASCII strings:
// Jaro's matches cannot exceed the letters the two have in common, and the
// prefix boost is at most the common prefix. Most pairs of different names
// fall below 0.80 on this bound alone, without the quadratic matching.
func jwAtMost(a, b string) float64 {
	var count [128]int16
	for i := 0; i < len(a); i++ {
		count[a[i]&0x7f]++
	}
	common := 0
	for i := 0; i < len(b); i++ {
		c := b[i] & 0x7f
		if count[c] > 0 {
			count[c]--
			common++
		}
	}
	if common == 0 {
		return 0
	}
	m := float64(common)
	j := (m/float64(len(a)) + m/float64(len(b)) + 1) / 3
	if j <= 0.7 {
		return j
	}
	prefix := 0
	for prefix < 4 && prefix < len(a) && prefix < len(b) && a[prefix] == b[prefix] {
		prefix++
	}
	return j + float64(prefix)*0.1*(1-j)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func jw[T byte | rune](a, b []T) float64 {
	la, lb := len(a), len(b)
	if la == 0 || lb == 0 {
		return 0
	}
	if la > lb {
		a, b, la, lb = b, a, lb, la
	}
	window := lb/2 - 1
	if window < 0 {
		window = 0
	}
	// Names are short; a fixed array avoids allocation for them.
	var amBuf, bmBuf [64]bool
	var am, bm []bool
	if lb <= 64 {
		am, bm = amBuf[:la], bmBuf[:lb]
	} else {
		am, bm = make([]bool, la), make([]bool, lb)
	}
	matches := 0
	for i := 0; i < la; i++ {
		lo, hi := i-window, i+window+1
		if lo < 0 {
			lo = 0
		}
		if hi > lb {
			hi = lb
		}
		for j := lo; j < hi; j++ {
			if !bm[j] && a[i] == b[j] {
				am[i], bm[j] = true, true
				matches++
				break
			}
		}
	}
	if matches == 0 {
		return 0
	}
	trans, k := 0, 0
	for i := 0; i < la; i++ {
		if !am[i] {
			continue
		}
		for !bm[k] {
			k++
		}
		if a[i] != b[k] {
			trans++
		}
		k++
	}
	m := float64(matches)
	j := (m/float64(la) + m/float64(lb) + (m-float64(trans)/2)/m) / 3
	if j <= 0.7 {
		return j
	}
	prefix := 0
	for prefix < 4 && prefix < la && a[prefix] == b[prefix] {
		prefix++
	}
	return j + float64(prefix)*0.1*(1-j)
}

// withinOneEdit reports whether a and b differ by at most one insertion,
// deletion, substitution or swap of adjacent characters (Damerau). Typed
// numbers (postcodes, street numbers, dates) mostly go wrong that way.
func withinOneEdit(a, b string) bool {
	la, lb := len(a), len(b)
	switch {
	case la == lb:
		diff := -1
		for i := 0; i < la; i++ {
			if a[i] != b[i] {
				if diff >= 0 {
					// A second difference is fine only as a swap of the first.
					return i == diff+1 && a[diff] == b[i] && a[i] == b[diff] && a[i+1:] == b[i+1:]
				}
				diff = i
			}
		}
		return true
	case la == lb+1:
		return oneInsert(b, a)
	case lb == la+1:
		return oneInsert(a, b)
	}
	return false
}

// oneInsert reports whether long is short with one character inserted.
func oneInsert(short, long string) bool {
	i := 0
	for i < len(short) && short[i] == long[i] {
		i++
	}
	return short[i:] == long[i+1:]
}

// soundex is the American Soundex code (letter + 3 digits) of an ASCII
// name; "" when it has no letter. It groups spelling variants for blocking.
func soundex(s string) string {
	const codes = "01230120022455012623010202" // a..z
	var out [4]byte
	n := 0
	var last byte
	for i := 0; i < len(s) && n < 4; i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c < 'a' || c > 'z' {
			continue
		}
		code := codes[c-'a']
		if n == 0 {
			out[0] = c - 'a' + 'A'
			n = 1
			last = code
			continue
		}
		if code != '0' && code != last {
			out[n] = code
			n++
		}
		if c != 'h' && c != 'w' {
			last = code
		}
	}
	if n == 0 {
		return ""
	}
	for n < 4 {
		out[n] = '0'
		n++
	}
	return string(out[:])
}
