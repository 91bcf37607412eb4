package utm

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/towerops/tower/internal/knowledge"
)

// ruleList renders problems as "rule:param" so a table can list them.
func ruleList(ps []Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Rule+":"+p.Param)
	}
	slices.Sort(out)
	return out
}

func TestCheck(t *testing.T) {
	const ok = "?utm_source=braze&utm_medium=email&utm_campaign=2025-q3-launch"
	tests := []struct {
		name string
		url  string
		exp  Expect
		want []string
	}{
		{"well tagged", "https://tallyfield.io/pricing" + ok, mail, nil},
		{"subdomain is governed", "https://www.tallyfield.io/pricing", mail,
			[]string{"utm-missing:utm_campaign", "utm-missing:utm_medium", "utm-missing:utm_source"}},
		{"other domain ignored", "https://example.com/x", mail, nil},
		{"look-alike domain ignored", "https://nottallyfield.io/x", mail, nil},
		{"mailto", "mailto:help@tallyfield.io", mail, nil},
		{"tel", "tel:+4420", mail, nil},
		{"sms", "SMS:+4420", mail, nil},
		{"anchor", "#top", mail, nil},
		{"javascript", "javascript:void(0)", mail, nil},
		{"templated whole", "{{ unsubscribe_url }}", mail, nil},
		{"templated host", "https://{{ host }}/x", mail, nil},
		{"templated path", "https://tallyfield.io/{% raw %}x", mail, nil},
		{"mailchimp merge tag", "*|UNSUB|*", mail, nil},
		{"ampscript", "%%=RedirectTo(@url)=%%", mail, nil},
		{"template in query value is opaque", "https://tallyfield.io/x?utm_source=braze&utm_medium=email&utm_campaign={{ campaign }}", mail, nil},
		{"template in query value still needs the others", "https://tallyfield.io/x?utm_campaign=${c}", mail,
			[]string{"utm-missing:utm_medium", "utm-missing:utm_source"}},
		{"one missing", "https://tallyfield.io/?utm_source=braze&utm_medium=email", mail, []string{"utm-missing:utm_campaign"}},
		{"empty value counts as missing", "https://tallyfield.io/?utm_source=&utm_medium=email&utm_campaign=2025-q3-launch", mail, []string{"utm-missing:utm_source"}},
		{"duplicate", "https://tallyfield.io/" + ok + "&utm_source=braze", mail, []string{"utm-duplicate:utm_source"}},
		{"unknown source", "https://tallyfield.io/?utm_source=mailchimp&utm_medium=email&utm_campaign=2025-q3-launch", mail, []string{"utm-taxonomy:utm_source"}},
		{"unknown medium", "https://tallyfield.io/?utm_source=braze&utm_medium=e-mail&utm_campaign=2025-q3-launch", mail, []string{"utm-taxonomy:utm_medium"}},
		{"campaign pattern", "https://tallyfield.io/?utm_source=braze&utm_medium=cpc&utm_campaign=spring_sale", Expect{}, []string{"utm-taxonomy:utm_campaign"}},
		{"campaign of another e-mail", "https://tallyfield.io/?utm_source=braze&utm_medium=email&utm_campaign=2025-q2-webinar", mail, []string{"utm-taxonomy:utm_campaign"}},
		{"other campaign is fine outside e-mail", "https://tallyfield.io/?utm_source=google&utm_medium=cpc&utm_campaign=2025-q2-webinar", Expect{}, nil},
		{"upper case only", "https://tallyfield.io/?utm_source=Braze&utm_medium=EMAIL&utm_campaign=2025-Q3-launch", mail,
			[]string{"utm-case:utm_campaign", "utm-case:utm_medium", "utm-case:utm_source"}},
		{"upper case and outside taxonomy", "https://tallyfield.io/?utm_source=MailChimp&utm_medium=email&utm_campaign=2025-q3-launch", mail,
			[]string{"utm-case:utm_source", "utm-taxonomy:utm_source"}},
		{"upper-case parameter name", "https://tallyfield.io/?UTM_SOURCE=braze&utm_medium=email&utm_campaign=2025-q3-launch", mail, []string{"utm-case:utm_source"}},
		{"fragment after query", "https://tallyfield.io/x" + ok + "#pricing", mail, nil},
		{"fragment only is not a query", "https://tallyfield.io/x#?utm_source=braze", mail,
			[]string{"utm-missing:utm_campaign", "utm-missing:utm_medium", "utm-missing:utm_source"}},
		{"encoded value", "https://tallyfield.io/?utm_source=br%61ze&utm_medium=email&utm_campaign=2025-q3-launch", mail, nil},
		{"port and userinfo", "https://u@tallyfield.io:8443/x" + ok, mail, nil},
		{"no scheme", "www.tallyfield.io/pricing", mail, []string{"url-malformed:"}},
		{"relative", "/pricing", mail, []string{"url-malformed:"}},
		{"protocol relative", "//tallyfield.io/x", mail, []string{"url-malformed:"}},
		{"misspelt scheme", "htps://tallyfield.io/x", mail, []string{"url-malformed:"}},
		{"misspelt scheme elsewhere", "htps://example.com/x", mail, []string{"url-malformed:"}},
		{"missing colon", "http//tallyfield.io/x", mail, []string{"url-malformed:"}},
		{"one slash", "https:/tallyfield.io/x", mail, []string{"url-malformed:"}},
		{"ftp to a tagged domain", "ftp://tallyfield.io/x", mail, []string{"url-malformed:"}},
		{"ftp elsewhere is not ours", "ftp://files.example.com/x", mail, nil},
		{"no host", "https:///x", mail, []string{"url-malformed:"}},
		{"space in host", "https://tally field.io/x", mail, []string{"url-malformed:"}},
		{"space in path", "https://tallyfield.io/spring sale" + ok, mail, []string{"url-malformed:"}},
		{"bad percent", "https://tallyfield.io/a%2" + ok, mail, []string{"url-malformed:"}},
		{"bad percent in query", "https://tallyfield.io/a?utm_source=%zz", mail, []string{"url-malformed:"}},
		{"empty", "", mail, nil},
	}
	tax := demoTaxonomy()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Check(tt.url, tax, tt.exp)
			if fmt.Sprint(ruleList(got)) != fmt.Sprint(tt.want) {
				t.Fatalf("Check(%q) = %v, want %v\n%+v", tt.url, ruleList(got), tt.want, got)
			}
			for _, p := range got {
				if p.Message == "" {
					t.Errorf("problem %s has no message", p.Rule)
				}
			}
		})
	}
}

func TestCheckEmptyTaggedDomainsGovernsEveryWebLink(t *testing.T) {
	tax := demoTaxonomy()
	tax.TaggedDomains = nil
	if got := ruleList(Check("https://example.com/x", tax, mail)); len(got) != 3 {
		t.Fatalf("got %v, want three missing parameters", got)
	}
	if got := Check("ftp://example.com/x", tax, mail); got != nil {
		t.Fatalf("an ftp link is not a web link: %v", got)
	}
}

func TestCheckMessagesNameParamAndAllowedValues(t *testing.T) {
	tax := demoTaxonomy()
	ps := Check("https://tallyfield.io/?utm_source=mailchimp&utm_medium=email&utm_campaign=2025-q2-other", tax, mail)
	var src, camp string
	for _, p := range ps {
		switch p.Param {
		case "utm_source":
			src = p.Message
		case "utm_campaign":
			camp = p.Message
		}
	}
	if !strings.Contains(src, "utm_source=mailchimp") || !strings.Contains(src, "braze, iterable") {
		t.Errorf("source message %q should name the value and the allowed sources", src)
	}
	if !strings.Contains(camp, "belongs to campaign 2025-q3-launch") {
		t.Errorf("campaign message %q should name the e-mail's campaign", camp)
	}
	ps = Check("https://tallyfield.io/", tax, mail)
	if len(ps) != 3 || !strings.Contains(ps[0].Message, "add utm_source=braze") {
		t.Errorf("missing message should say what to add: %+v", ps)
	}
}

func TestCheckCaseWithoutLowercaseRule(t *testing.T) {
	tax := demoTaxonomy()
	tax.Lowercase = false
	got := ruleList(Check("https://tallyfield.io/?utm_source=Braze&utm_medium=email&utm_campaign=2025-q3-launch", tax, Expect{}))
	if fmt.Sprint(got) != "[utm-taxonomy:utm_source]" {
		t.Fatalf("without the lower-case rule Braze is simply not in the list: %v", got)
	}
}

func TestCheckNilTaxonomyUsesDefault(t *testing.T) {
	got := ruleList(Check("https://example.com/?utm_source=x", nil, Expect{}))
	if fmt.Sprint(got) != "[utm-missing:utm_campaign utm-missing:utm_medium]" {
		t.Fatalf("got %v", got)
	}
	_ = knowledge.DefaultUTM
}
