package knowledge

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Layer names: a skill's manifest declares which of these it reads, and
// it is given no other.
const (
	LayerProducts  = "products"
	LayerOffers    = "offers"
	LayerMessaging = "messaging"
	LayerBrand     = "brand"
	LayerUTM       = "utm"
)

// Layers lists every layer name, in the order `tower knowledge check`
// reports them.
var Layers = []string{LayerProducts, LayerOffers, LayerMessaging, LayerBrand, LayerUTM}

// Meta is a knowledge file's front matter: which team owns it and when it
// was last reviewed, so stale product truth is visible, plus the file it
// came from (relative to the knowledge folder).
type Meta struct {
	Owner   string    // team that owns the file, e.g. "product-marketing"
	Updated time.Time // date only, UTC
	File    string
}

// Product is one thing the company sells.
type Product struct {
	Meta
	ID        string   // stable slug, e.g. "pipelines"
	Name      string   // as customers see it
	Family    string   // product line, e.g. "platform", "add-on"
	Solves    string   // the problem it solves, in one sentence
	For       string   // who it is for
	PairsWith []string // ids of products it is sold with
}

// Offer is a promotion or package a campaign may make.
type Offer struct {
	Meta
	ID          string
	Name        string
	Product     string // product id
	Description string
	Audience    string
	Starts      time.Time // zero: open
	Ends        time.Time // zero: open
}

// Messaging is how the company talks about one product to one audience.
type Messaging struct {
	Meta
	Product     string // product id
	Audience    string
	Headline    string
	ValueProps  []string
	ProofPoints []string
	CTA         string
}

// BannedPhrase is a phrase the brand never uses, with why and what to say
// instead.
type BannedPhrase struct {
	Phrase  string // matched case-insensitively, on word boundaries
	Reason  string
	Instead string // optional replacement suggestion
}

// Brand is the brand's rules for every message.
type Brand struct {
	Meta
	BannedPhrases []BannedPhrase
	// SubjectMaxChars is the longest subject line allowed, counted in
	// characters after rendering; 0 means no limit.
	SubjectMaxChars int
	// PostalAddress is the sender's physical address that every marketing
	// e-mail must show (CAN-SPAM); "" means any address-looking footer is
	// not checked against a known one.
	PostalAddress string
	// RequireUnsubscribe demands an unsubscribe link in every marketing
	// e-mail. Default true.
	RequireUnsubscribe bool
	Voice              []string // notes for writers; not checked
}

// UTM is the UTM taxonomy links must follow.
type UTM struct {
	Meta
	// Required are the parameters every tagged link must carry. Default
	// utm_source, utm_medium, utm_campaign.
	Required []string
	// Sources and Mediums are the allowed values; empty means any.
	Sources []string
	Mediums []string
	// CampaignPattern is a regular expression utm_campaign must match in
	// full; "" means any. Campaign is its compiled form.
	CampaignPattern string
	Campaign        *regexp.Regexp
	// TaggedDomains are the hosts (and their subdomains) whose links must
	// be tagged; links elsewhere are left alone. Empty means every http(s)
	// link.
	TaggedDomains []string
	// SourceByESP is the utm_source e-mails from each platform use, for
	// proposed fixes (e.g. braze = "braze").
	SourceByESP map[string]string
	// SourceByChannel and MediumByChannel are the utm_source and
	// utm_medium of each campaign channel's landing links (paid_search =
	// "google" / "cpc"), for proposed fixes of campaign destinations.
	SourceByChannel map[string]string
	MediumByChannel map[string]string
	// EmailMedium is the utm_medium of e-mail links. Default "email".
	EmailMedium string
	// Lowercase demands lower-case values (GA4 treats "Email" and "email"
	// as different mediums). Default true.
	Lowercase bool
}

// DefaultUTM is the taxonomy used when the folder has no utm layer: the
// three parameters Google says to always supply, lower-case values.
func DefaultUTM() *UTM {
	return &UTM{Required: []string{"utm_source", "utm_medium", "utm_campaign"}, EmailMedium: "email", Lowercase: true}
}

// DefaultBrand is the brand used when the folder has no brand layer: only
// the legal minimum (an unsubscribe link) is checked.
func DefaultBrand() *Brand { return &Brand{RequireUnsubscribe: true} }

// Set is a loaded, validated knowledge folder.
type Set struct {
	Dir       string
	Products  []Product
	Offers    []Offer
	Messaging []Messaging
	Brand     *Brand // never nil after Load: DefaultBrand when absent
	UTM       *UTM   // never nil after Load: DefaultUTM when absent
	// Files are the folder's files in path order, with their front
	// matter, so stale or ownerless knowledge can be reported.
	Files []File
}

// ErrUnknownLayer is returned by Layer for a name not in Layers.
var ErrUnknownLayer = errors.New("unknown knowledge layer")

// Layer returns one layer for a skill: []Product, []Offer, []Messaging,
// *Brand or *UTM.
func (s *Set) Layer(name string) (any, error) {
	switch name {
	case LayerProducts:
		return s.Products, nil
	case LayerOffers:
		return s.Offers, nil
	case LayerMessaging:
		return s.Messaging, nil
	case LayerBrand:
		return s.Brand, nil
	case LayerUTM:
		return s.UTM, nil
	}
	return nil, fmt.Errorf("%w %q (known: %s)", ErrUnknownLayer, name, strings.Join(Layers, ", "))
}

// Problem is one thing wrong in a knowledge file: which file, which line,
// which field and why.
type Problem struct {
	File   string // relative to the knowledge folder
	Line   int    // 0 when the problem is the whole file
	Field  string
	Reason string
}

func (p Problem) String() string {
	loc := p.File
	if p.Line > 0 {
		loc = fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	if p.Field != "" {
		return fmt.Sprintf("%s: %s: %s", loc, p.Field, p.Reason)
	}
	return loc + ": " + p.Reason
}

// LoadError lists every problem found while loading; nothing of a folder
// with problems is used.
type LoadError struct{ Problems []Problem }

func (e *LoadError) Error() string {
	if len(e.Problems) == 1 {
		return "knowledge: " + e.Problems[0].String()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "knowledge: %d problems:", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  " + p.String())
	}
	return b.String()
}
