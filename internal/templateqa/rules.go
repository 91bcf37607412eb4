package templateqa

import "github.com/towerops/tower/internal/utm"

// Rule ids. They are stable: `tower lint`, saved reports and the golden
// corpus refer to them. Link rules are the utm package's.
const (
	RuleSyntax          = "syntax-error"
	RuleRenderError     = "render-error"
	RuleUnknownField    = "unknown-field"
	RuleMissingFallback = "missing-fallback"
	RuleDefaultNoop     = "hubspot-default-noop"
	RuleForeignSyntax   = "foreign-syntax"
	RuleResidue         = "template-residue"
	RuleNoUnsubscribe   = "missing-unsubscribe"
	RuleNoPostalAddress = "missing-postal-address"
	RuleBannedPhrase    = "banned-phrase"
	RuleSubjectLength   = "subject-too-long"
	RuleImageAlt        = "image-missing-alt"
)

// Rules lists every rule Lint applies.
func Rules() []RuleInfo {
	return []RuleInfo{
		{RuleSyntax, Error, "The template cannot be read in its dialect (Liquid or Handlebars); the platform refuses it or prints code."},
		{RuleRenderError, Error, "The template parses but fails while rendering for a sample recipient (unknown filter, bad helper call)."},
		{RuleUnknownField, Error, "A merge field that is not a field of the recipients' profiles; it prints blank for everyone."},
		{RuleMissingFallback, Warning, "A personal field printed with no default; recipients without a value read a gap (\"Hi ,\")."},
		{RuleDefaultNoop, Warning, "A default filter on a HubSpot contact token; filters on tokens do nothing in HubSpot e-mail."},
		{RuleForeignSyntax, Error, "Another platform's template syntax pasted in (Handlebars, Liquid, Braze, Marketo/Velocity, AMPscript, Mailchimp, HubL)."},
		{RuleResidue, Error, "Template code left in the rendered e-mail that recipients would see."},
		{RuleNoUnsubscribe, Error, "No unsubscribe link (CAN-SPAM, CASL, PECR and Gmail/Yahoo bulk-sender rules require one)."},
		{RuleNoPostalAddress, Error, "No sender postal address in the body (CAN-SPAM requires a valid physical address)."},
		{RuleBannedPhrase, Warning, "A phrase the brand never uses, in the body or the subject."},
		{RuleSubjectLength, Warning, "The rendered subject is longer than the brand's limit and gets cut off in the inbox."},
		{RuleImageAlt, Warning, "An image without alt text; blocked images and screen readers show nothing."},
		{utm.RuleMalformed, Error, "A link that is not a valid absolute URL."},
		{utm.RuleUntagged, Warning, "A link to a tracked domain without the required utm parameters; the visit is not credited to the campaign."},
		{utm.RuleTaxonomy, Warning, "A utm value outside the taxonomy (unknown source or medium, campaign name not matching the pattern)."},
		{utm.RuleCase, Warning, "An upper-case utm value; analytics counts \"Email\" and \"email\" as different mediums."},
		{utm.RuleDuplicate, Warning, "A utm parameter given twice in one link."},
	}
}
