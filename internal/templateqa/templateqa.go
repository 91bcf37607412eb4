package templateqa

import (
	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/knowledge"
)

// Severity says how bad a finding is. An error breaks the send or the law;
// a warning is visible to recipients or to reporting; info is advice.
type Severity string

const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Info    Severity = "info"
)

// Finding is one problem in one template.
type Finding struct {
	File     string   `json:"file"`
	Line     int      `json:"line"` // 1-based, in the file (front matter included)
	Col      int      `json:"col"`  // 1-based, in characters
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	// Field is the merge field concerned, for field rules.
	Field string `json:"field,omitempty"`
	// Blank is how many of the sample recipients would see a blank, for
	// missing-fallback; Sample is how many were rendered.
	Blank  int `json:"blank,omitempty"`
	Sample int `json:"sample,omitempty"`
	// Fix is the mechanical correction, when there is one.
	Fix *Fix `json:"fix,omitempty"`
}

// Fix replaces Source[Start:End] of the part named by In with
// Replacement.
type Fix struct {
	Description string `json:"description"`
	In          string `json:"in"` // "body" or "subject"
	Start       int    `json:"start"`
	End         int    `json:"end"`
	Replacement string `json:"replacement"`
}

// Template is one template to lint.
type Template struct {
	ID         string
	Path       string // shown in findings
	ESP        foundation.ESP
	Dialect    foundation.Dialect
	Subject    string
	Body       string
	CampaignID string
	Segment    string
	// BodyLine is the file line the body starts on (after the front
	// matter), so findings point into the file; 1 when unknown.
	BodyLine int
	// SubjectLine is the file line of the subject key; 0 when unknown.
	SubjectLine int
	// SubjectCol is the file column of the subject's first character
	// (past an opening quote); 0 when unknown, and then subject findings
	// point at column 1.
	SubjectCol int
}

// Recipient is one sample recipient as canonical foundation fields:
// "email", "first_name", "last_name", "title", "phone", "country",
// "region", "company" (the account's name) and each trait by its key.
// A missing key is a missing value.
type Recipient map[string]any

// Env is what a template is checked against.
type Env struct {
	Brand *knowledge.Brand // nil: knowledge.DefaultBrand()
	UTM   *knowledge.UTM   // nil: knowledge.DefaultUTM()
	// Fields are the canonical field names that exist in the foundation
	// (standard fields plus trait keys seen); a merge field mapping to
	// none of them is unknown.
	Fields map[string]bool
	// Recipients are sampled from the template's audience; Lint adds one
	// synthetic recipient missing each field the template uses.
	Recipients []Recipient
	// Campaign is the utm_campaign the template's links should carry
	// ("" when the template has no campaign).
	Campaign string
}

// RuleInfo describes one rule for docs and `tower lint rules`.
type RuleInfo struct {
	ID          string   `json:"id"`
	Severity    Severity `json:"severity"`
	Description string   `json:"description"`
}
