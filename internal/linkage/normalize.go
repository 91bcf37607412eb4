package linkage

import (
	"strings"
	"unicode"
)

// normalize turns a raw value into the form compared for its role, so that
// "  O'Brien " and "obrien", "+61 2 9999 8888" and "02 9999 8888" (on the
// last 9 digits), "12 Smith St" and "12 smith street" meet. "" means the
// value is missing and weighs nothing.
func normalize(r Role, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	switch r {
	case GivenName, Surname, City, State:
		return letters(s, false)
	case Email:
		return emailKey(s)
	case Phone:
		d := digits(s)
		if len(d) < 6 {
			return ""
		}
		return d
	case StreetNumber, Postcode, ExternalID:
		return alnum(s)
	case Address, Address2:
		return addressKey(s)
	case DateOfBirth:
		return dateKey(s)
	case Company:
		return companyKey(s)
	}
	return strings.ToLower(s)
}

// letters keeps lower-case letters (and single spaces between words when
// keepSpace); punctuation such as O'Brien's apostrophe or a hyphen goes.
func letters(s string, keepSpace bool) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, c := range strings.ToLower(s) {
		switch {
		case unicode.IsLetter(c):
			if space && keepSpace && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(c)
		case c == ' ' || c == '-' || c == '\t':
			space = true
		}
	}
	return b.String()
}

func digits(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func alnum(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		if unicode.IsLetter(c) || unicode.IsDigit(c) {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// emailKey is the local part as received plus the lower-cased domain: RFC
// 5321 lets the local part be case-sensitive, the domain never is.
func emailKey(s string) string {
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return ""
	}
	return s[:at] + "@" + strings.ToLower(s[at+1:])
}

// emailLocal is the lower-cased local part, compared alone so that the same
// person at two providers (or in two cases) still agrees on something.
func emailLocal(key string) string {
	at := strings.LastIndexByte(key, '@')
	if at <= 0 {
		return ""
	}
	return strings.ToLower(key[:at])
}

// streetWords maps common abbreviations to one spelling; spaces are then
// dropped so that "pridhamstreet" and "pridham street" agree.
var streetWords = map[string]string{
	"st": "street", "str": "street", "rd": "road", "ave": "avenue", "av": "avenue",
	"dr": "drive", "drv": "drive", "ln": "lane", "ct": "court", "crt": "court", "pl": "place",
	"cres": "crescent", "cr": "crescent", "hwy": "highway", "pde": "parade", "tce": "terrace",
	"blvd": "boulevard", "cct": "circuit", "cl": "close", "sq": "square", "apt": "apartment",
	"n": "north", "s": "south", "e": "east", "w": "west",
}

func addressKey(s string) string {
	f := strings.Fields(strings.Map(func(c rune) rune {
		if unicode.IsLetter(c) || unicode.IsDigit(c) {
			return unicode.ToLower(c)
		}
		return ' '
	}, s))
	for i, w := range f {
		if full, ok := streetWords[w]; ok {
			f[i] = full
		}
	}
	return strings.Join(f, "")
}

var companySuffixes = map[string]bool{"inc": true, "ltd": true, "llc": true, "pty": true,
	"co": true, "corp": true, "corporation": true, "limited": true, "gmbh": true, "plc": true,
	"sa": true, "bv": true, "ag": true, "the": true, "company": true, "incorporated": true}

func companyKey(s string) string {
	f := strings.Fields(letters(strings.ReplaceAll(s, "&", " and "), true))
	out := f[:0]
	for _, w := range f {
		if !companySuffixes[w] {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}

// dateKey reads YYYYMMDD, YYYY-MM-DD, YYYY/MM/DD and DD/MM/YYYY (day
// first, as most of the world writes it; a US month-first date then meets
// its twin at the "day and month swapped" level) into YYYYMMDD. Anything
// else is kept as its digits, still comparable for equality.
func dateKey(s string) string {
	parts := strings.FieldsFunc(s, func(c rune) bool { return c < '0' || c > '9' })
	switch {
	case len(parts) == 1:
		return parts[0]
	case len(parts) >= 3 && len(parts[0]) == 4:
		return parts[0] + pad2(parts[1]) + pad2(parts[2])
	case len(parts) >= 3 && len(parts[2]) == 4:
		return parts[2] + pad2(parts[1]) + pad2(parts[0])
	}
	return strings.Join(parts, "")
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}
