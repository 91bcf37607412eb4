package utm

import (
	"errors"

	"github.com/towerops/tower/internal/knowledge"
)

// Link is one link found in an HTML template: the href's value and where
// it sits in the source (byte offsets, 1-based line and column).
type Link struct {
	URL        string
	Start, End int // byte offsets of URL in the source
	Line, Col  int
	Text       string // the anchor's visible text, tags stripped
	// Templated is true when the URL is (or contains, in its host or
	// path) a template expression such as {{ unsubscribe_url }}; such
	// links are resolved by the ESP and are not checked.
	Templated bool
}

// Expect is what links of one message should carry: the utm_source of its
// platform, the e-mail medium and the campaign's utm_campaign.
type Expect struct{ Source, Medium, Campaign string }

// Problem is one thing wrong with a link.
type Problem struct {
	Rule    string // see Rules
	Param   string // the utm parameter at fault, if any
	Message string
}

// Rule ids for link problems.
const (
	RuleMalformed = "url-malformed" // not a parseable absolute URL
	RuleUntagged  = "utm-missing"   // a tagged domain's link lacks required parameters
	RuleTaxonomy  = "utm-taxonomy"  // a value outside the taxonomy or not matching the pattern
	RuleCase      = "utm-case"      // an upper-case value where lower-case is required
	RuleDuplicate = "utm-duplicate" // a parameter given twice
)

// Links returns every <a href> and <area href> in html in source order.
func Links(html string) []Link { return nil }

// Check audits one URL against the taxonomy. It returns nil for links it
// does not govern (mailto:, tel:, #anchors, templated URLs, hosts outside
// TaggedDomains).
func Check(raw string, tax *knowledge.UTM, exp Expect) []Problem { return nil }

// Tag returns raw with its UTM parameters corrected: missing required ones
// added from exp, wrong-case values lowered, out-of-taxonomy values
// replaced by exp's; other query parameters, their order and the fragment
// are kept.
func Tag(raw string, tax *knowledge.UTM, exp Expect) (string, error) {
	return "", errors.New("utm.Tag: not implemented yet")
}
