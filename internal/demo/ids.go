package demo

import (
	"crypto/md5"
	"encoding/hex"
	"strconv"
	"strings"
)

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// sfID returns an 18-character Salesforce-style id: a 3-character key
// prefix ("003" contact, "001" account, "005" user, "701" campaign), a pod
// and padding, seven base-62 digits of n, and the 3-character case-safe
// suffix Salesforce computes from the capitals of the first 15. CRM admins
// recognise these at a glance, which is the point of a demo.
func sfID(prefix string, n int64) string {
	var b strings.Builder
	b.Grow(18)
	b.WriteString(prefix)
	b.WriteString("5g000")
	digits := make([]byte, 7)
	for i := 6; i >= 0; i-- {
		digits[i] = base62[n%62]
		n /= 62
	}
	b.Write(digits)
	id := b.String()
	const suffixChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
	suffix := make([]byte, 3)
	for chunk := 0; chunk < 3; chunk++ {
		v := 0
		for i := 0; i < 5; i++ {
			c := id[chunk*5+i]
			if c >= 'A' && c <= 'Z' {
				v |= 1 << i
			}
		}
		suffix[chunk] = suffixChars[v]
	}
	return id + string(suffix)
}

// mapID returns a Marketo-style numeric lead id.
func mapID(n int64) string { return strconv.FormatInt(n, 10) }

// espID returns a Mailchimp-style subscriber id: the MD5 of the
// lower-cased address. ESPs key subscribers by address, so two ESP records
// never differ only in the case of their e-mail.
func espID(email string) string {
	sum := md5.Sum([]byte(strings.ToLower(email)))
	return hex.EncodeToString(sum[:])
}
