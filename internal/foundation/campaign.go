package foundation

import "time"

// Campaign is one marketing programme on one channel.
type Campaign struct {
	ID        string
	Name      string
	Channel   CampaignChannel
	OwnerID   string
	StartDate time.Time // date only, UTC midnight; zero when open
	EndDate   time.Time
	Budget    float64
	Goal      Goal
	Segment   string
	Traits    Traits
	// Status is "active" or "paused". Tower sets it (pause_campaign and
	// resume_campaign); imports do not carry it, so re-importing a campaign
	// never resumes one an agent paused.
	Status string
}

// CampaignDay is one day of a campaign's metrics, for the whole campaign
// (Variant "") or one A/B variant. (CampaignID, Date, Variant) is its key.
type CampaignDay struct {
	CampaignID   string
	Date         time.Time // UTC midnight
	Variant      string
	Sends        int64
	Delivered    int64
	Opens        int64
	Clicks       int64
	Conversions  int64
	Spend        float64
	Revenue      float64
	Unsubscribes int64
	HardBounces  int64
	Complaints   int64
}
