package foundation

import "strings"

// NormalizeEmail returns the key Tower links records by: the address
// trimmed and lower-cased. RFC 5321 lets the local part be case-sensitive,
// but no mailbox provider a marketing team sends to treats it so, and
// linking "Ana@X.com" to "ana@x.com" is what every CRM and MAP does.
// An empty or obviously non-address value returns "".
func NormalizeEmail(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || !strings.Contains(s, "@") {
		return ""
	}
	return s
}

// ValidEmailSyntax reports whether s looks like one deliverable address:
// one "@", a non-empty local part, a dotted domain, no spaces. It is a
// syntax check only; it says nothing about whether the mailbox exists.
func ValidEmailSyntax(s string) bool {
	at := strings.IndexByte(s, '@')
	if at <= 0 || at != strings.LastIndexByte(s, '@') || at == len(s)-1 {
		return false
	}
	if strings.ContainsAny(s, " \t\r\n,;<>()[]\\\"") {
		return false
	}
	domain := s[at+1:]
	dot := strings.LastIndexByte(domain, '.')
	return dot > 0 && dot < len(domain)-1 && !strings.Contains(domain, "..")
}
