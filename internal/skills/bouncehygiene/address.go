package bouncehygiene

import (
	"strings"
)

// AddressProblem returns why an address cannot be delivered to, or "" when
// its syntax is fine. It is stricter than the import's check (one "@", a
// dotted domain, no spaces), which keeps records as their systems hold
// them: here the local part follows RFC 5322's dot-atom (no leading,
// trailing or doubled dot; quoted local parts are so rare in marketing
// lists that they are reported too) and the domain RFC 1035's host names
// (labels of letters, digits and inner hyphens, at most 63 characters; an
// alphabetic top-level domain of two or more letters). Non-ASCII letters
// are allowed on both sides (RFC 6531 addresses, internationalised domains).
func AddressProblem(email string) string {
	if email != strings.TrimSpace(email) || strings.ContainsAny(email, " \t\r\n") {
		return "contains a space"
	}
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return "has no @"
	}
	local, domain := email[:at], email[at+1:]
	switch {
	case strings.Contains(local, "@"):
		return "has more than one @"
	case local == "":
		return "nothing before the @"
	case len(local) > 64:
		return "the part before the @ is longer than 64 characters"
	case len(email) > 254:
		return "longer than 254 characters"
	case strings.HasPrefix(local, "."):
		return "the part before the @ starts with a dot"
	case strings.HasSuffix(local, "."):
		return "the part before the @ ends with a dot"
	case strings.Contains(local, ".."):
		return "two dots in a row before the @"
	}
	for _, r := range local {
		if r < 128 && !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(".!#$%&'*+/=?^_`{|}~-", r)) {
			return "the part before the @ holds " + string(r) + ", which needs quoting"
		}
	}
	if domain == "" {
		return "nothing after the @"
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return "the domain has no dot"
	}
	for _, l := range labels {
		switch {
		case l == "":
			return "the domain has an empty part (a leading, trailing or doubled dot)"
		case len(l) > 63:
			return "a domain part is longer than 63 characters"
		case strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-"):
			return "a domain part starts or ends with a hyphen"
		}
		for _, r := range l {
			if r < 128 && !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				return "the domain holds " + string(r) + ", which no host name may"
			}
		}
	}
	tld := labels[len(labels)-1]
	if len(tld) < 2 {
		return "the top-level domain has a single letter"
	}
	if strings.HasPrefix(strings.ToLower(tld), "xn--") {
		return "" // an internationalised top-level domain
	}
	for _, r := range tld {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return "the top-level domain is not all letters"
		}
	}
	return ""
}

// DefaultRolePrefixes are the local parts treated as role mailboxes:
// Mailchimp's import block list (DOMAIN §2.3), the business and network
// mailboxes of RFC 2142 it lacks (info, marketing, sales, news), and the
// shared inboxes "hello", "contact" and "team", common on company sites
// (practice, not a standard).
const DefaultRolePrefixes = "abuse,admin,billing,compliance,devnull,dns,ftp,hostmaster,inoc,ispfeedback,ispsupport," +
	"list,list-request,maildaemon,noc,no-reply,noreply,null,phish,phishing,postmaster,privacy,registrar,root," +
	"security,spam,support,sysadmin,tech,undisclosed-recipients,unsubscribe,usenet,uucp,webmaster,www," +
	"info,marketing,sales,news,hello,contact,team"

// RolePrefix returns the role the address's local part names ("" when it
// is a personal address). A "+tag" is ignored: support+eu@ is support@.
func RolePrefix(email string, prefixes map[string]bool) string {
	local, _, ok := strings.Cut(strings.ToLower(strings.TrimSpace(email)), "@")
	if !ok {
		return ""
	}
	local, _, _ = strings.Cut(local, "+")
	if prefixes[local] {
		return local
	}
	return ""
}

// prefixSet parses a comma-separated prefix list.
func prefixSet(s string) map[string]bool {
	out := map[string]bool{}
	for _, p := range strings.Split(s, ",") {
		if p = strings.ToLower(strings.TrimSpace(p)); p != "" {
			out[p] = true
		}
	}
	return out
}
