package demo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
)

// Fact kinds. A later skill's test filters truth.json by kind.
const (
	// KindSuppressionConflict: one system holds a newer unsubscribe or
	// complaint that other systems of the same person never received.
	// ShouldFlag is true; Lagging lists the records to suppress.
	KindSuppressionConflict = "suppression_conflict"
	// KindConsentOverride: an older unsubscribe in one system was
	// overridden by a newer explicit opt-in in another. ShouldFlag is
	// false: suppressing the opted-in records would be wrong.
	KindConsentOverride = "consent_override"
	// KindUnpropagatedBounce: a hard bounce (5.1.x) in one system while the
	// person's other records are still subscribed.
	KindUnpropagatedBounce = "unpropagated_hard_bounce"
	// KindPolicyBounce: a "hard bounce" whose code is a sender-side policy
	// failure (5.7.x); the recipient must not be suppressed elsewhere.
	KindPolicyBounce = "policy_bounce"
	// KindDuplicate: two records that are the same human but are not
	// linked by e-mail, so they import as two people.
	KindDuplicate = "duplicate_people"
	// KindUnderperformance: a campaign whose metric drops on a known day.
	KindUnderperformance = "campaign_underperformance"
	// KindBrandHarm: an e-mail campaign whose complaint or unsubscribe
	// rate jumps past the limits mailbox providers enforce on a known day;
	// it must be halted.
	KindBrandHarm = "campaign_brand_harm"
	// KindABTest: a campaign with variants and a known winner (or none).
	KindABTest = "ab_test"
	// KindIdleLicenses: one tool's seats, with idle and unassigned ones.
	KindIdleLicenses = "idle_licenses"
	// KindTemplate: one template and the problems planted in it (none for
	// the clean ones).
	KindTemplate = "template_review"
	// KindCampaignLink: a campaign whose landing page link breaks the UTM
	// taxonomy.
	KindCampaignLink = "campaign_link"
	// KindHiddenSegment: a segment that converts far above the base rate.
	KindHiddenSegment = "hidden_segment"
	// KindCrossSell: an account that fits the planted cross-sell pattern
	// and does not own the product the pattern predicts.
	KindCrossSell = "cross_sell"
	// KindRoutingCase: a buying signal and who should act on it.
	KindRoutingCase = "routing_case"
	// KindRepeatedSoftBounce: a record that soft-bounced several times
	// (ShouldFlag: enough bounces, spread over enough days, with no
	// engagement since) or a near miss that must be left alone.
	KindRepeatedSoftBounce = "repeated_soft_bounce"
	// KindInvalidAddress: a record whose address passes the import's loose
	// check but is not a deliverable address (ShouldFlag), or an unusual
	// but valid one that must not be flagged.
	KindInvalidAddress = "invalid_address"
)

// Truth is truth.json: what the demo bundle contains and which facts were
// planted in it.
type Truth struct {
	Version int    `json:"version"`
	Seed    int64  `json:"seed"`
	Company string `json:"company"`
	// Now is the demo's "today" (YYYY-MM-DD); WindowStart the first day of
	// events and campaign metrics.
	Now         string `json:"now"`
	WindowStart string `json:"window_start"`
	Counts      Counts `json:"counts"`
	// FactCounts is how many facts of each kind were planted.
	FactCounts map[string]int `json:"fact_counts"`
	Noise      Noise          `json:"noise"`
	// Facts are sorted by kind, then id.
	Facts []Fact `json:"facts"`
}

// Counts are the rows written to each file.
type Counts struct {
	Owners       int `json:"owners"`
	Accounts     int `json:"accounts"`
	Products     int `json:"products"`
	Humans       int `json:"humans"`
	PeopleRows   int `json:"people_rows"`
	Consent      int `json:"consent"`
	Holdings     int `json:"holdings"`
	Campaigns    int `json:"campaigns"`
	CampaignDays int `json:"campaign_days"`
	Events       int `json:"events"`
	Licenses     int `json:"licenses"`
	LicenseUsage int `json:"license_usage"`
	Templates    int `json:"templates"`
}

// Noise is realistic untidiness that is not a fact to find but that skills
// must survive.
type Noise struct {
	// RoleAddresses are info@, noreply@ … addresses held as people.
	RoleAddresses []string `json:"role_addresses"`
	// MixedCaseRecords is how many people.csv rows hold an address with
	// capitals; they link to the same person as the lower-case one.
	MixedCaseRecords int `json:"mixed_case_records"`
	// CRMWithoutEmail is how many CRM rows have no address (each is also a
	// duplicate_people fact of variant "crm_no_email").
	CRMWithoutEmail int `json:"crm_without_email"`
	// PersonalAddresses is how many humans use a free-mail address.
	PersonalAddresses int `json:"personal_addresses"`
	// ExtraColumns are people.csv columns outside the format; they import
	// as traits.
	ExtraColumns []string `json:"extra_columns"`
	// AddressOnlySuppressions are consent rows keyed by e-mail that match
	// no record (an old ESP's suppression list).
	AddressOnlySuppressions int `json:"address_only_suppressions"`
	// SoftBounces are single-system soft bounces: never to be propagated.
	SoftBounces int `json:"soft_bounces"`
	// PropagatedOptOuts are unsubscribes, complaints, hard bounces and
	// do-not-contacts already applied in every system of the person:
	// nothing to do.
	PropagatedOptOuts int `json:"propagated_opt_outs"`
	// AnonymousEvents are events with only an anonymousId.
	AnonymousEvents int `json:"anonymous_events"`
}

// Fact is one planted fact. Exactly one of the detail fields is set,
// matching Kind.
type Fact struct {
	ID      string `json:"id"`
	Kind    string `json:"kind"`
	Summary string `json:"summary"`

	Suppression      *SuppressionFact      `json:"suppression,omitempty"`
	Bounce           *BounceFact           `json:"bounce,omitempty"`
	Duplicate        *DuplicateFact        `json:"duplicate,omitempty"`
	Underperformance *UnderperformanceFact `json:"underperformance,omitempty"`
	Harm             *HarmFact             `json:"harm,omitempty"`
	ABTest           *ABTestFact           `json:"ab_test,omitempty"`
	IdleLicenses     *IdleLicensesFact     `json:"idle_licenses,omitempty"`
	Template         *TemplateFact         `json:"template,omitempty"`
	CampaignLink     *CampaignLinkFact     `json:"campaign_link,omitempty"`
	Segment          *SegmentFact          `json:"segment,omitempty"`
	Hygiene          *HygieneFact          `json:"hygiene,omitempty"`
	CrossSell        *CrossSellFact        `json:"cross_sell,omitempty"`
	Routing          *RoutingFact          `json:"routing,omitempty"`
}

// RecordRef names one people.csv row.
type RecordRef struct {
	System    string `json:"system"`
	SystemID  string `json:"system_id"`
	Email     string `json:"email"` // as the system holds it
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	AccountID string `json:"account_id,omitempty"`
	Phone     string `json:"phone,omitempty"`
}

// ConsentState is one consent.csv row: the latest e-mail state of a record.
type ConsentState struct {
	System   string `json:"system"`
	SystemID string `json:"system_id"`
	Status   string `json:"status"`
	Reason   string `json:"reason"`
	At       string `json:"at"` // RFC 3339, UTC
}

// SuppressionFact is a conflict (KindSuppressionConflict) or a legitimate
// override (KindConsentOverride) between the systems of one person.
type SuppressionFact struct {
	Email   string `json:"email"` // normalised; every record of the person has it
	Variant string `json:"variant"`
	// ShouldFlag says whether a suppression-sync skill must propose to
	// suppress anything for this person.
	ShouldFlag bool `json:"should_flag"`
	// Governing is the newest explicit consent fact: it decides.
	Governing ConsentState `json:"governing"`
	// Overridden is, for an override, the older restrictive fact that the
	// governing opt-in superseded.
	Overridden *ConsentState `json:"overridden,omitempty"`
	// Latest is each record's newest e-mail state, by system.
	Latest []ConsentState `json:"latest"`
	// Lagging are the records still subscribed that must be suppressed
	// with ExpectedStatus (empty when ShouldFlag is false; for an override,
	// bringing the older record back to subscribed is fair, suppressing the
	// opted-in ones is not).
	Lagging        []ConsentState `json:"lagging"`
	ExpectedStatus string         `json:"expected_status,omitempty"`
}

// BounceFact is a hard bounce held by one system only.
type BounceFact struct {
	Email string `json:"email"`
	// Code is the enhanced status code in the bounce reason.
	Code    string       `json:"code"`
	Bounced ConsentState `json:"bounced"`
	// Lagging are the person's other records, still subscribed.
	Lagging []ConsentState `json:"lagging"`
	// ShouldPropagate is false for policy bounces (5.7.x): the sender is
	// at fault, not the address (DOMAIN §2.1).
	ShouldPropagate bool `json:"should_propagate"`
}

// DuplicateFact is a true pair: A and B are the same human.
type DuplicateFact struct {
	// Variant: email_typo, nickname, swapped_names, case_variant,
	// personal_email or crm_no_email.
	Variant  string    `json:"variant"`
	A        RecordRef `json:"a"`
	B        RecordRef `json:"b"`
	Evidence string    `json:"evidence"`
}

// UnderperformanceFact is a campaign whose Metric falls from Date on.
// HarmFact is a campaign_brand_harm fact.
type HarmFact struct {
	CampaignID string `json:"campaign_id"`
	Name       string `json:"name"`
	Channel    string `json:"channel"`
	Metric     string `json:"metric"` // complaint_rate or unsubscribe_rate
	Formula    string `json:"formula"`
	// Date is the first day at the higher rate.
	Date           string  `json:"date"`
	TrueBefore     float64 `json:"true_before"`
	TrueAfter      float64 `json:"true_after"`
	ObservedBefore float64 `json:"observed_before"`
	ObservedAfter  float64 `json:"observed_after"`
}

// UnderperformanceFact is a campaign_underperformance fact.
type UnderperformanceFact struct {
	CampaignID string `json:"campaign_id"`
	Name       string `json:"name"`
	Channel    string `json:"channel"`
	Metric     string `json:"metric"`
	Formula    string `json:"formula"`
	// Date is the first day at the lower rate.
	Date string `json:"date"`
	// TrueBefore/TrueAfter are the rates the data were drawn from;
	// ObservedBefore/ObservedAfter are what campaign_days.csv sums to.
	TrueBefore     float64 `json:"true_before"`
	TrueAfter      float64 `json:"true_after"`
	ObservedBefore float64 `json:"observed_before"`
	ObservedAfter  float64 `json:"observed_after"`
	// RelativeChange is TrueAfter/TrueBefore - 1 (negative: a drop).
	RelativeChange float64 `json:"relative_change"`
}

// ABTestFact is an A/B(/C) test. An A/B campaign has only per-variant rows
// in campaign_days.csv (variant "A", "B" …); its daily total is their sum.
type ABTestFact struct {
	CampaignID string      `json:"campaign_id"`
	Name       string      `json:"name"`
	Metric     string      `json:"metric"`
	Formula    string      `json:"formula"`
	Start      string      `json:"start"`
	End        string      `json:"end"`
	Variants   []ABVariant `json:"variants"`
	// Winner is the variant with the truly higher rate; "" when the
	// variants were drawn from the same rate (no winner should be called).
	Winner string `json:"winner"`
}

// ABVariant is one arm of a test, summed over its days.
type ABVariant struct {
	Name         string  `json:"name"`
	TrueRate     float64 `json:"true_rate"`
	Trials       int64   `json:"trials"`    // the formula's denominator
	Successes    int64   `json:"successes"` // the formula's numerator
	ObservedRate float64 `json:"observed_rate"`
}

// IdleLicensesFact is one tool's seat audit as of Now.
type IdleLicensesFact struct {
	Tool             string  `json:"tool"`
	Seats            int     `json:"seats"`
	Assigned         int     `json:"assigned"`
	Unassigned       int     `json:"unassigned"`
	CostPerSeatMonth float64 `json:"cost_per_seat_month"`
	// Idle60 and Idle90 are users last active more than 60 / 90 days
	// before Now, or never; Idle90 is a subset of Idle60. Integration
	// users are not in them.
	Idle60 []string `json:"idle_60"`
	Idle90 []string `json:"idle_90"`
	// Excluded are integration/API users: they never log in and must not
	// be counted as idle (DOMAIN §8).
	Excluded []string `json:"excluded"`
	// ReclaimableSeats = Unassigned + len(Idle90); MonthlyWaste is their
	// cost.
	ReclaimableSeats int     `json:"reclaimable_seats"`
	MonthlyWaste     float64 `json:"monthly_waste"`
}

// TemplateFact is one template and what is wrong with it.
type TemplateFact struct {
	TemplateID string `json:"template_id"`
	Path       string `json:"path"`
	ESP        string `json:"esp"`
	Dialect    string `json:"dialect"`
	Clean      bool   `json:"clean"`
	// KnownFields are the merge fields the ESP's profile has; any other
	// field in the template is unknown.
	KnownFields []string        `json:"known_fields"`
	Issues      []TemplateIssue `json:"issues"`
}

// CampaignLinkFact is one campaign's landing-page link and what is wrong
// with it: untagged (no utm_* at all), partial_utm (no utm_campaign) or
// utm_case (an upper-case utm_medium).
type CampaignLinkFact struct {
	CampaignID string `json:"campaign_id"`
	URL        string `json:"url"`
	Issue      string `json:"issue"`
}

// TemplateIssue is one planted problem; Snippet is text found verbatim in
// the template file.
type TemplateIssue struct {
	// Kind: broken_merge_field, wrong_dialect, unknown_field,
	// missing_unsubscribe, untagged_link, partial_utm, missing_fallback,
	// banned_phrase, long_subject, missing_alt, malformed_url,
	// foreign_platform, missing_postal_address, utm_taxonomy.
	Kind    string `json:"kind"`
	Detail  string `json:"detail"`
	Snippet string `json:"snippet,omitempty"`
}

// SegmentFact is the hidden high-converting segment. Members are people
// whose account's industry is Industry, whose title contains
// TitleContains, and who sent at least MinPricingViews PricingEvent
// events; converting means sending ConversionEvent. Rates are over people
// with a userId in events.ndjson.
type SegmentFact struct {
	Rule            string  `json:"rule"`
	Industry        string  `json:"industry"`
	TitleContains   string  `json:"title_contains"`
	MinPricingViews int     `json:"min_pricing_views"`
	PricingEvent    string  `json:"pricing_event"`
	ConversionEvent string  `json:"conversion_event"`
	Population      int     `json:"population"`
	Size            int     `json:"size"`
	Conversions     int     `json:"conversions"`
	Rate            float64 `json:"rate"`
	// BaseRate is the conversion rate of everyone outside the segment;
	// the others isolate one condition at a time, to show that no single
	// condition explains the lift.
	BaseRate         float64  `json:"base_rate"`
	PricingOnlyRate  float64  `json:"pricing_only_rate"`
	IndustryOnlyRate float64  `json:"industry_only_rate"`
	TitleOnlyRate    float64  `json:"title_only_rate"`
	Lift             float64  `json:"lift"`
	MemberUserIDs    []string `json:"member_user_ids"`
}

// HygieneFact is a list-hygiene finding about one record: repeated soft
// bounces (KindRepeatedSoftBounce) or a malformed address
// (KindInvalidAddress).
type HygieneFact struct {
	// Email is the address as the record holds it.
	Email   string `json:"email"`
	Variant string `json:"variant"`
	// ShouldFlag says whether a bounce-hygiene skill must act on it.
	ShouldFlag bool      `json:"should_flag"`
	Record     RecordRef `json:"record"`
	// Bounces are the planted soft bounces, oldest first.
	Bounces []ConsentState `json:"bounces,omitempty"`
	// LastEvent is the person's latest event (RFC 3339), "" when none.
	LastEvent string `json:"last_event,omitempty"`
	// Lagging are the person's other records, still subscribed, that a
	// soft-bounce suppression should reach (empty unless ShouldFlag).
	Lagging []ConsentState `json:"lagging,omitempty"`
}

// LoadTruth reads a truth.json written by Generate.
func LoadTruth(path string) (*Truth, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read demo truth: %w", err)
	}
	var t Truth
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("parse demo truth %s: %w", path, err)
	}
	return &t, nil
}

// Kind returns the facts of one kind, in file order.
func (t *Truth) Kind(kind string) []Fact {
	var out []Fact
	for _, f := range t.Facts {
		if f.Kind == kind {
			out = append(out, f)
		}
	}
	return out
}

// writeTruth writes t as indented JSON with a trailing newline.
func writeTruth(path string, t *Truth) error {
	// URLs in template snippets stay readable: no \u0026 for "&".
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(t); err != nil {
		return fmt.Errorf("encode demo truth: %w", err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write demo truth: %w", err)
	}
	return nil
}
