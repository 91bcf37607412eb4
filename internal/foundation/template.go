package foundation

// Template is an e-mail (or message) template as an ESP stores it, with
// the dialect it is written in, so QA can render it the way that platform
// will.
type Template struct {
	ID         string
	ESP        ESP
	Dialect    Dialect
	Subject    string
	CampaignID string
	Segment    string
	Path       string // file it was imported from, relative to the bundle
	Body       string
	Traits     Traits
}
