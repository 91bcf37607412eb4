package bouncehygiene

import "testing"

func TestClassify(t *testing.T) {
	cases := []struct {
		reason string
		code   string
		class  Class
	}{
		{"550 5.1.1 <a@x.com>: Recipient address rejected: User unknown", "5.1.1", Hard},
		{"Email Invalid: 550 5.1.1 The email account that you tried to reach does not exist", "5.1.1", Hard},
		{"550 5.1.2 Host unknown", "5.1.2", DomainHard},
		{"553 5.1.3 Bad recipient address syntax", "5.1.3", Hard},
		{"551 5.1.6 Mailbox has moved", "5.1.6", Hard},
		{"556 5.1.10 Recipient domain has null MX", "5.1.10", Hard},
		{"550 5.1.7 Bad sender address syntax", "5.1.7", Policy},
		{"550 5.7.26 Unauthenticated email from x.com is not accepted due to domain's DMARC policy", "5.7.26", Policy},
		{"421 4.7.0 Try again later", "4.7.0", Policy},
		{"550 5.7.515 Access denied", "5.7.515", Policy},
		{"452 4.2.2 Mailbox full", "4.2.2", Soft},
		{"552 5.2.2 Mailbox full", "5.2.2", Soft}, // RFC 3463: persistent transient even as 5.x
		{"550 5.2.1 Mailbox disabled", "5.2.1", Soft},
		{"421 4.4.2 Connection timed out", "4.4.2", Soft},
		{"554 5.4.7 Delivery time expired", "5.4.7", Soft},
		{"552 5.2.3 Message too large", "5.2.3", Content},
		{"554 5.6.0 Content rejected", "5.6.0", Content},
		{"Mailbox unavailable", "", Unclassified},
	}
	for _, c := range cases {
		code, class, meaning := Classify(c.reason)
		if code != c.code || class != c.class || meaning == "" {
			t.Errorf("%q: %s %s (%q), want %s %s", c.reason, code, class, meaning, c.code, c.class)
		}
	}
}

func TestAddressProblem(t *testing.T) {
	bad := []string{
		"anna..lee@acme.com", ".anna@acme.com", "anna.@acme.com", "anna lee@acme.com", "anna@acmecom",
		"anna@acme.c", "anna@acme.123", "anna@-acme.com", "anna@acme_corp.com", "anna@acme..com",
		"anna@", "@acme.com", "anna@x@acme.com", "anna(x)@acme.com",
	}
	good := []string{
		"anna.lee@acme.com", "Anna.Lee@Acme.COM", "anna+news@acme.com", "o'brien@acme.com", "anna@mail.acme.co.uk",
		"a_b-c@acme-corp.io", "jörg@acme.de", "anna@xn--bcher-kva.xn--p1ai",
	}
	for _, e := range bad {
		if AddressProblem(e) == "" {
			t.Errorf("%q passed", e)
		}
	}
	for _, e := range good {
		if p := AddressProblem(e); p != "" {
			t.Errorf("%q: %s", e, p)
		}
	}
}

func TestRolePrefix(t *testing.T) {
	set := prefixSet(DefaultRolePrefixes)
	for e, want := range map[string]string{
		"noreply@acme.com": "noreply", "Support+EU@acme.com": "support", "info@acme.com": "info",
		"anna.lee@acme.com": "", "supporter@acme.com": "", "postmaster@acme.com": "postmaster",
	} {
		if got := RolePrefix(e, set); got != want {
			t.Errorf("%s: %q, want %q", e, got, want)
		}
	}
}
