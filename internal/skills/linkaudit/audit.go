package linkaudit

import (
	"context"
	"fmt"
	"strings"

	"github.com/towerops/tower/internal/knowledge"
	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/utm"
)

// DefaultField is the campaign column that holds the landing link.
const DefaultField = "landing_url"

// CampaignLink is one campaign's landing link and what is wrong with it.
type CampaignLink struct {
	CampaignID string        `json:"campaign_id"`
	Name       string        `json:"name"`
	Channel    string        `json:"channel"`
	URL        string        `json:"url"`
	Problems   []utm.Problem `json:"problems"`
	// Tagged is the corrected URL; "" when Tower cannot write one (say
	// why in TagError) — a malformed URL needs a person.
	Tagged   string `json:"tagged,omitempty"`
	TagError string `json:"tag_error,omitempty"`
}

// Campaigns audits the landing link (the campaign column field, a trait)
// of every campaign that has one and returns those with problems, in
// campaign id order.
func Campaigns(ctx context.Context, r store.Reader, tax *knowledge.UTM, field string) ([]CampaignLink, error) {
	if tax == nil {
		tax = knowledge.DefaultUTM()
	}
	if field == "" {
		field = DefaultField
	}
	var out []CampaignLink
	for off := 0; ; {
		page, err := r.CampaignsList(ctx, &store.CampaignsListParams{Page: store.Page{Limit: 500, Offset: off}})
		if err != nil {
			return nil, fmt.Errorf("read campaigns: %w", err)
		}
		for _, c := range page {
			raw, _ := c.Traits[field].(string)
			raw = strings.TrimSpace(raw)
			if raw == "" {
				continue
			}
			channel := string(c.Channel)
			campaign, _ := c.Traits["utm_campaign"].(string)
			exp := utm.Expect{Source: tax.SourceByChannel[channel], Medium: tax.MediumByChannel[channel], Campaign: strings.TrimSpace(campaign)}
			probs := utm.Check(raw, tax, exp)
			if len(probs) == 0 {
				continue
			}
			l := CampaignLink{CampaignID: c.ID, Name: c.Name, Channel: channel, URL: raw, Problems: probs}
			if tagged, err := utm.Tag(raw, tax, exp); err != nil {
				l.TagError = err.Error()
			} else if tagged != raw {
				l.Tagged = tagged
			}
			out = append(out, l)
		}
		if len(page) < 500 {
			return out, nil
		}
		off += len(page)
	}
}
