package utm

// Link is one link found in an HTML template: the href's value and where
// it sits in the source (byte offsets, 1-based line and column).
type Link struct {
	// URL is the href's value with HTML entities decoded (&amp; becomes
	// &), which is what the browser follows and what Check and Tag take.
	URL        string
	Start, End int    // byte offsets of the raw value in the source
	Line, Col  int    // of Start; Col counts characters, not bytes
	Text       string // the anchor's visible text, tags stripped
	// Raw is the source text between Start and End, entities undecoded,
	// so an editor replacing the link knows what it replaces.
	Raw string
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
