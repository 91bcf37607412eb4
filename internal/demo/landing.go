package demo

import (
	"fmt"
	"strings"
)

// channelUTM is the utm_source and utm_medium of each channel's landing
// links in the demo's taxonomy; channels without a landing page (direct
// mail, sales sequences) are absent.
var channelUTM = map[string][2]string{
	"email":       {"newsletter", "email"},
	"paid_search": {"google", "cpc"},
	"paid_social": {"linkedin", "paid-social"},
	"display":     {"google", "display"},
	"webinar":     {"linkedin", "social"},
}

// landingLinks gives each campaign with a landing page its tagged URL and
// breaks a few of them the ways teams do: no tags at all, no
// utm_campaign, an upper-case medium. Which ones is decided by position,
// not drawn, so the rest of the company is unchanged.
func landingLinks(w *world) {
	k := 0
	for _, c := range w.campaigns {
		utm, ok := channelUTM[c.channel]
		if !ok {
			continue
		}
		base := fmt.Sprintf("https://%s/lp/%s", companyDomain, strings.TrimPrefix(c.slug, c.slug[:min(8, len(c.slug))]))
		c.landingURL = fmt.Sprintf("%s?utm_source=%s&utm_medium=%s&utm_campaign=%s", base, utm[0], utm[1], c.slug)
		issue := ""
		switch k % 15 {
		case 4:
			c.landingURL, issue = base, "untagged"
		case 9:
			c.landingURL, issue = fmt.Sprintf("%s?utm_source=%s&utm_medium=%s", base, utm[0], utm[1]), "partial_utm"
		case 14:
			c.landingURL, issue = fmt.Sprintf("%s?utm_source=%s&utm_medium=%s&utm_campaign=%s", base, utm[0], strings.ToUpper(utm[1]), c.slug), "utm_case"
		}
		k++
		if issue != "" {
			w.addFact(KindCampaignLink, fmt.Sprintf("%s: landing link %s", c.id, issue),
				&Fact{CampaignLink: &CampaignLinkFact{CampaignID: c.id, URL: c.landingURL, Issue: issue}})
		}
	}
}
