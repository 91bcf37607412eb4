package utm

import (
	"regexp"

	"github.com/towerops/tower/internal/knowledge"
)

// demoTaxonomy is the demo workspace's utm layer.
func demoTaxonomy() *knowledge.UTM {
	pat := `^(?:20[0-9]{2}-q[1-4]-[a-z0-9]+(-[a-z0-9]+)*)$`
	return &knowledge.UTM{
		Required:        []string{"utm_source", "utm_medium", "utm_campaign"},
		Sources:         []string{"braze", "iterable", "hubspot", "newsletter", "marketo", "google", "linkedin", "partner"},
		Mediums:         []string{"email", "cpc", "paid-social", "social", "display", "referral", "sms", "webinar"},
		CampaignPattern: pat,
		Campaign:        regexp.MustCompile(pat),
		TaggedDomains:   []string{"tallyfield.io"},
		EmailMedium:     "email",
		Lowercase:       true,
	}
}

var mail = Expect{Source: "braze", Medium: "email", Campaign: "2025-q3-launch"}
