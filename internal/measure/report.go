package measure

import (
	"context"
	"time"

	"github.com/towerops/tower/internal/store"
)

// ReviewCost is what a person's review time is assumed to cost.
type ReviewCost struct {
	MinutesPerDecision float64 `json:"minutes_per_decision"`
	HourlyUSD          float64 `json:"hourly_usd"`
}

// DefaultReviewCost: three minutes per decision at $75 an hour, a
// marketing-operations manager's loaded cost.
var DefaultReviewCost = ReviewCost{MinutesPerDecision: DefaultReviewMinutes, HourlyUSD: 75}

// Report is the workspace's value report for one month: what the agent
// fleet delivered, by team and skill, and what it cost in people's
// review time.
type Report struct {
	Month  string     `json:"month"` // YYYY-MM
	Since  time.Time  `json:"since"`
	Until  time.Time  `json:"until"`
	Fleet  Card       `json:"fleet"`
	Teams  []Card     `json:"teams"`
	Skills []Card     `json:"skills"`
	Review ReviewCost `json:"review_cost"`
	// ReviewUSD is the review hours at Review.HourlyUSD.
	ReviewUSD float64 `json:"review_usd"`
	// Assumptions are every estimate's and measurement's stated
	// assumptions, deduplicated.
	Assumptions []string `json:"assumptions"`
}

// ValueReport builds the report for the month holding month.
func ValueReport(ctx context.Context, q store.Queries, month time.Time, cost ReviewCost) (*Report, error) {
	return &Report{}, nil
}
