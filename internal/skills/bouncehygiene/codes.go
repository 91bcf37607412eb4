package bouncehygiene

import (
	"regexp"
	"strings"
)

// Class is what a bounce says about the address (DOMAIN §2.1).
type Class int

const (
	// Unclassified: no enhanced status code in the reason.
	Unclassified Class = iota
	// Hard: the address is permanently undeliverable (5.1.1, 5.1.3,
	// 5.1.6, 5.1.0, 5.1.10): suppress it everywhere.
	Hard
	// DomainHard: 5.1.2, the whole destination domain is invalid. True
	// for one address, but many on one domain on one day is more likely a
	// DNS outage: flag, do not suppress.
	DomainHard
	// Soft: a transient failure (4.x.x, x.2.1, x.2.2, routing, system): it
	// counts towards the repeated-soft-bounce rule only.
	Soft
	// Policy: security or policy (x.7.x) or the sender's own address
	// (5.1.7, 5.1.8): the sender is at fault, never the recipient.
	Policy
	// Content: the message, not the address (x.2.3, x.3.4, x.6.x).
	Content
)

func (c Class) String() string {
	return [...]string{"unclassified", "hard", "domain-wide hard", "soft", "sender-side policy", "content"}[c]
}

var enhanced = regexp.MustCompile(`\b([245])\.(\d{1,3})\.(\d{1,3})\b`)

// Classify reads a bounce reason's enhanced code and returns the code, its
// class and its meaning in words (RFC 3463, RFC 7505 for x.1.10, and
// Gmail's documented x.7.2x/x.7.3x codes).
func Classify(reason string) (code string, class Class, meaning string) {
	m := enhanced.FindStringSubmatch(reason)
	if m == nil {
		return "", Unclassified, "no enhanced status code in the bounce reason"
	}
	code, cls, subject, detail := m[0], m[1], m[2], m[3]
	meaning = meanings[subject+"."+detail]
	if meaning == "" {
		meaning = subjects[subject]
	}
	if cls == "2" {
		return code, Unclassified, "success, not a bounce"
	}
	switch {
	case subject == "7":
		if g := gmail[code]; g != "" {
			meaning += " (" + g + ")"
		}
		return code, Policy, meaning
	case subject == "1" && (detail == "7" || detail == "8"):
		return code, Policy, meaning
	case subject == "2" && detail == "3", subject == "3" && detail == "4", subject == "6":
		return code, Content, meaning
	case cls == "4", subject == "2", subject == "3", subject == "4", subject == "5":
		return code, Soft, meaning
	case subject == "1" && detail == "2":
		return code, DomainHard, meaning
	case subject == "1":
		return code, Hard, meaning
	}
	return code, Unclassified, meaning
}

var subjects = map[string]string{
	"0": "other or undefined status",
	"1": "addressing status",
	"2": "mailbox status",
	"3": "mail system status",
	"4": "network and routing status",
	"5": "mail delivery protocol status",
	"6": "message content or media status",
	"7": "security or policy status",
}

var meanings = map[string]string{
	"1.0":  "other address status",
	"1.1":  "bad destination mailbox address: the mailbox does not exist",
	"1.2":  "bad destination system address: the domain does not exist or accepts no mail",
	"1.3":  "bad destination mailbox address syntax",
	"1.4":  "destination mailbox address ambiguous",
	"1.6":  "destination mailbox has moved, no forwarding address",
	"1.7":  "bad sender's mailbox address syntax",
	"1.8":  "bad sender's system address",
	"1.10": "recipient domain publishes a null MX: it accepts no mail",
	"2.0":  "other or undefined mailbox status",
	"2.1":  "mailbox disabled, not accepting messages",
	"2.2":  "mailbox full",
	"2.3":  "message length exceeds the mailbox's limit",
	"3.1":  "mail system full",
	"3.4":  "message too big for the system",
	"4.1":  "no answer from host",
	"4.2":  "bad connection",
	"4.4":  "unable to route",
	"4.7":  "delivery time expired",
	"7.0":  "other security or policy status",
	"7.1":  "delivery not authorized, message refused",
}

// gmail are the sender-side codes Gmail documents (DOMAIN §2.1).
var gmail = map[string]string{
	"4.7.27": "SPF did not pass", "5.7.27": "SPF did not pass",
	"4.7.30": "DKIM did not pass", "5.7.30": "DKIM did not pass",
	"4.7.31": "no DMARC record", "4.7.32": "From domain not aligned",
	"4.7.23": "no PTR record", "5.7.25": "no PTR record",
	"4.7.29": "no TLS", "5.7.29": "no TLS",
	"5.7.26":  "unauthenticated: fails the sender domain's DMARC policy",
	"5.7.515": "Outlook.com: authentication level too low",
}

// domainOf returns the lower-cased domain of an address.
func domainOf(email string) string {
	_, d, ok := strings.Cut(email, "@")
	if !ok {
		return ""
	}
	return strings.ToLower(d)
}
