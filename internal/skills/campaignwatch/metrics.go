package campaignwatch

import (
	"github.com/towerops/tower/internal/foundation"
)

// Direction says which way a metric moves when things go wrong.
type Direction int

const (
	// Down: lower is worse (click-through, conversion rate).
	Down Direction = iota
	// Up: higher is worse (complaints, unsubscribes, bounces).
	Up
)

// Metric is one figure watched on every campaign: a count of successes
// over a count of trials (a rate, modelled as binomial) or over an
// exposure in dollars (conversions per dollar, modelled as Poisson; its
// inverse is the cost per acquisition).
type Metric struct {
	Name    string
	Label   string
	Formula string
	Bad     Direction
	// Poisson: the denominator is an exposure (spend), not trials.
	Poisson bool
	// Parts returns the numerator and denominator of one day.
	Parts func(d foundation.CampaignDay) (num, den float64)
	// On says whether the metric applies to a channel.
	On func(ch foundation.CampaignChannel) bool
}

// Metrics are the figures campaign-watch follows. ROAS is reported with
// a finding but not tested on its own: revenue per conversion varies from
// deal to deal, so conversions per dollar (the inverse of cost per
// acquisition) carries the signal with less noise.
var Metrics = []Metric{
	{Name: "delivery_rate", Label: "delivery rate", Formula: "delivered / sends", Bad: Down, On: sends,
		Parts: func(d foundation.CampaignDay) (float64, float64) { return float64(d.Delivered), float64(d.Sends) }},
	{Name: "open_rate", Label: "open rate", Formula: "opens / delivered", Bad: Down, On: emailLike,
		Parts: func(d foundation.CampaignDay) (float64, float64) { return float64(d.Opens), float64(d.Delivered) }},
	{Name: "click_rate", Label: "click-through rate", Formula: "clicks / delivered", Bad: Down, On: everywhere,
		Parts: func(d foundation.CampaignDay) (float64, float64) { return float64(d.Clicks), float64(d.Delivered) }},
	{Name: "conversion_rate", Label: "conversion rate", Formula: "conversions / clicks", Bad: Down, On: everywhere,
		Parts: func(d foundation.CampaignDay) (float64, float64) { return float64(d.Conversions), float64(d.Clicks) }},
	{Name: "conversions_per_dollar", Label: "conversions per dollar (cost per acquisition)", Formula: "conversions / spend",
		Bad: Down, Poisson: true, On: paid,
		Parts: func(d foundation.CampaignDay) (float64, float64) { return float64(d.Conversions), d.Spend }},
	{Name: "unsubscribe_rate", Label: "unsubscribe rate", Formula: "unsubscribes / delivered", Bad: Up, On: emailLike,
		Parts: func(d foundation.CampaignDay) (float64, float64) {
			return float64(d.Unsubscribes), float64(d.Delivered)
		}},
	{Name: "hard_bounce_rate", Label: "hard-bounce rate", Formula: "hard bounces / sends", Bad: Up, On: sends,
		Parts: func(d foundation.CampaignDay) (float64, float64) { return float64(d.HardBounces), float64(d.Sends) }},
	{Name: "complaint_rate", Label: "spam-complaint rate", Formula: "complaints / delivered", Bad: Up, On: emailLike,
		Parts: func(d foundation.CampaignDay) (float64, float64) { return float64(d.Complaints), float64(d.Delivered) }},
}

// MetricNamed returns the metric called name.
func MetricNamed(name string) (Metric, bool) {
	for _, m := range Metrics {
		if m.Name == name {
			return m, true
		}
	}
	return Metric{}, false
}

// everywhere: every channel.
func everywhere(foundation.CampaignChannel) bool { return true }

// emailLike channels send messages, so they have opens, unsubscribes and
// complaints.
func emailLike(ch foundation.CampaignChannel) bool {
	return ch == "email" || ch == "webinar" || ch == "sales_sequence"
}

// sends: channels that send something that can bounce.
func sends(ch foundation.CampaignChannel) bool { return emailLike(ch) || ch == "direct_mail" }

// paid channels buy clicks or impressions, so cost per acquisition means
// something day to day.
func paid(ch foundation.CampaignChannel) bool {
	return ch == "paid_search" || ch == "paid_social" || ch == "display"
}
