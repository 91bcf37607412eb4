package templateqa

import (
	"regexp"

	"github.com/towerops/tower/internal/knowledge"
)

// demoBrand and demoUTM are the demo company's brand and UTM rules
// (internal/demo/knowledge.go), built here directly.
func demoBrand() *knowledge.Brand {
	b := &knowledge.Brand{SubjectMaxChars: 60, RequireUnsubscribe: true,
		PostalAddress: "548 Market St #90210, San Francisco, CA 94104"}
	for _, p := range []string{"act now", "risk-free", "guaranteed", "100% free", "click here"} {
		bp := knowledge.BannedPhrase{Phrase: p, Reason: "pushy or spam-filter bait"}
		if p == "click here" {
			bp.Instead = "see the details"
		}
		b.BannedPhrases = append(b.BannedPhrases, bp)
	}
	return b
}

func demoUTM() *knowledge.UTM {
	pat := `20[0-9]{2}-q[1-4]-[a-z0-9]+(-[a-z0-9]+)*`
	return &knowledge.UTM{
		Required:        []string{"utm_source", "utm_medium", "utm_campaign"},
		Sources:         []string{"braze", "iterable", "hubspot", "newsletter", "marketo", "google", "linkedin", "partner"},
		Mediums:         []string{"email", "cpc", "paid-social", "social", "display", "referral", "sms", "webinar"},
		CampaignPattern: pat, Campaign: regexp.MustCompile(`^(?:` + pat + `)$`),
		TaggedDomains: []string{"tallyfield.io"},
		SourceByESP:   map[string]string{"braze": "braze", "iterable": "iterable", "hubspot": "hubspot", "generic": "newsletter"},
		EmailMedium:   "email", Lowercase: true,
	}
}

// demoFields are the foundation's standard fields plus the demo's traits.
func demoFields() map[string]bool {
	return set("email", "first_name", "last_name", "title", "phone", "country", "region", "company",
		"plan", "trial_days_left", "lifecycle_stage")
}

// testRecipients: four people, one without a first name, one whose first
// name is only spaces, one without a company.
func testRecipients() []Recipient {
	return []Recipient{
		{"email": "ana@example.com", "first_name": "Ana", "last_name": "Ruiz", "company": "Bluepeak", "plan": "trial", "trial_days_left": 5, "lifecycle_stage": "customer"},
		{"email": "bo@example.com", "first_name": "", "last_name": "Chen", "company": "Hexa", "plan": "business"},
		{"email": "cy@example.com", "first_name": "  ", "company": "Orbit", "plan": "trial"},
		{"email": "di@example.com", "first_name": "Di", "last_name": "Okafor", "title": "Analyst"},
	}
}

func demoEnv(campaign string) Env {
	return Env{Brand: demoBrand(), UTM: demoUTM(), Fields: demoFields(), Recipients: testRecipients(), Campaign: campaign}
}
