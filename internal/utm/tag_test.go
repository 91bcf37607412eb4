package utm

import (
	"strings"
	"testing"
)

func TestTag(t *testing.T) {
	tests := []struct {
		name, in string
		exp      Expect
		want     string
	}{
		{"adds all three in required order", "https://tallyfield.io/pricing", mail,
			"https://tallyfield.io/pricing?utm_source=braze&utm_medium=email&utm_campaign=2025-q3-launch"},
		{"keeps other params and order, adds at the end", "https://www.tallyfield.io/p?ref=nav&utm_medium=email&x=1", mail,
			"https://www.tallyfield.io/p?ref=nav&utm_medium=email&x=1&utm_source=braze&utm_campaign=2025-q3-launch"},
		{"keeps the fragment", "https://tallyfield.io/p?a=1#plans", mail,
			"https://tallyfield.io/p?a=1&utm_source=braze&utm_medium=email&utm_campaign=2025-q3-launch#plans"},
		{"fragment without query", "https://tallyfield.io/p#plans", mail,
			"https://tallyfield.io/p?utm_source=braze&utm_medium=email&utm_campaign=2025-q3-launch#plans"},
		{"lowers case in place", "https://tallyfield.io/?utm_campaign=2025-Q3-Launch&utm_source=Braze&utm_medium=Email", mail,
			"https://tallyfield.io/?utm_campaign=2025-q3-launch&utm_source=braze&utm_medium=email"},
		{"replaces out-of-taxonomy values", "https://tallyfield.io/?utm_source=mailchimp&utm_medium=e-mail&utm_campaign=spring", mail,
			"https://tallyfield.io/?utm_source=braze&utm_medium=email&utm_campaign=2025-q3-launch"},
		{"replaces another e-mail's campaign", "https://tallyfield.io/?utm_source=braze&utm_medium=email&utm_campaign=2025-q2-webinar", mail,
			"https://tallyfield.io/?utm_source=braze&utm_medium=email&utm_campaign=2025-q3-launch"},
		{"drops duplicates, keeps the first", "https://tallyfield.io/?utm_source=braze&utm_source=hubspot&utm_medium=email&utm_campaign=2025-q3-launch", mail,
			"https://tallyfield.io/?utm_source=braze&utm_medium=email&utm_campaign=2025-q3-launch"},
		{"fills empty values in place", "https://tallyfield.io/?utm_source=&utm_medium=email&utm_campaign=2025-q3-launch", mail,
			"https://tallyfield.io/?utm_source=braze&utm_medium=email&utm_campaign=2025-q3-launch"},
		{"lower-cases parameter names", "https://tallyfield.io/?UTM_Source=braze&utm_medium=email&utm_campaign=2025-q3-launch", mail,
			"https://tallyfield.io/?utm_source=braze&utm_medium=email&utm_campaign=2025-q3-launch"},
		{"keeps template query values", "https://tallyfield.io/?utm_source=braze&utm_medium=email&utm_campaign={{ campaign }}&uid={{ id }}", mail,
			"https://tallyfield.io/?utm_source=braze&utm_medium=email&utm_campaign={{ campaign }}&uid={{ id }}"},
		{"keeps optional params", "https://tallyfield.io/?utm_content=cta-top&utm_source=braze", mail,
			"https://tallyfield.io/?utm_content=cta-top&utm_source=braze&utm_medium=email&utm_campaign=2025-q3-launch"},
		{"correct link unchanged", "https://tallyfield.io/?utm_source=braze&utm_medium=email&utm_campaign=2025-q3-launch", mail,
			"https://tallyfield.io/?utm_source=braze&utm_medium=email&utm_campaign=2025-q3-launch"},
		{"other domain unchanged", "https://example.com/x", mail, "https://example.com/x"},
		{"mailto unchanged", "mailto:a@b.c", mail, "mailto:a@b.c"},
		{"templated unchanged", "{{ unsubscribe_url }}", mail, "{{ unsubscribe_url }}"},
	}
	tax := demoTaxonomy()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Tag(tt.in, tax, tt.exp)
			if err != nil {
				t.Fatalf("Tag(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Fatalf("Tag(%q)\n got %s\nwant %s", tt.in, got, tt.want)
			}
			if ps := Check(got, tax, tt.exp); ps != nil {
				t.Fatalf("Tag's output fails Check: %+v", ps)
			}
		})
	}
}

func TestTagErrors(t *testing.T) {
	tax := demoTaxonomy()
	for _, tt := range []struct {
		name, in string
		exp      Expect
		want     string
	}{
		{"malformed", "htps://tallyfield.io/x", mail, "https://"},
		{"space in path", "https://tallyfield.io/a b", mail, "space"},
		{"no campaign to add", "https://tallyfield.io/x", Expect{Source: "braze", Medium: "email"}, "utm_campaign"},
		{"bad value, nothing to replace it with", "https://tallyfield.io/x?utm_source=mailchimp&utm_medium=email&utm_campaign=2025-q3-launch", Expect{}, "utm_source=mailchimp"},
		{"expectation outside the taxonomy", "https://tallyfield.io/x", Expect{Source: "mailchimp", Medium: "email", Campaign: "2025-q3-launch"}, "mailchimp"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Tag(tt.in, tax, tt.exp)
			if err == nil {
				t.Fatalf("Tag(%q) = %q, want an error", tt.in, got)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q should mention %q", err, tt.want)
			}
		})
	}
}
