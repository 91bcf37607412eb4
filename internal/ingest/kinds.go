package ingest

import (
	"errors"
	"fmt"
	"strings"
)

// Kind is one kind of data Tower imports, named as in `tower import --kind`.
type Kind string

// The kinds, in the order a bundle is imported: everything a row refers to
// is imported before the row (accounts name owners, holdings name accounts
// and products, consent names people's records, …).
const (
	KindOwners       Kind = "owners"
	KindAccounts     Kind = "accounts"
	KindProducts     Kind = "products"
	KindPeople       Kind = "people"
	KindConsent      Kind = "consent"
	KindHoldings     Kind = "holdings"
	KindCampaigns    Kind = "campaigns"
	KindCampaignDays Kind = "campaign_days"
	KindLicenses     Kind = "licenses"
	KindLicenseUsage Kind = "license_usage"
	KindTemplates    Kind = "templates"
	KindEvents       Kind = "events"
)

// Kinds lists every kind in bundle import order.
var Kinds = []Kind{
	KindOwners, KindAccounts, KindProducts, KindPeople, KindConsent, KindHoldings,
	KindCampaigns, KindCampaignDays, KindLicenses, KindLicenseUsage, KindTemplates, KindEvents,
}

// ErrUnknownKind is returned (wrapped, with the list of kinds) by ParseKind
// and ImportFile for a kind Tower does not know.
var ErrUnknownKind = errors.New("unknown kind")

// ParseKind accepts a kind name, case-insensitively; "campaign-days" and
// "campaign_days.csv" are accepted too, because people type file names.
func ParseKind(s string) (Kind, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	v = strings.TrimSuffix(strings.TrimSuffix(v, ".csv"), ".ndjson")
	v = strings.ReplaceAll(v, "-", "_")
	for _, k := range Kinds {
		if string(k) == v {
			return k, nil
		}
	}
	return "", fmt.Errorf("%w %q; Tower imports: %s", ErrUnknownKind, s, kindList())
}

func kindList() string {
	names := make([]string, len(Kinds))
	for i, k := range Kinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// FileName is the name a kind's file has in a bundle: "people.csv",
// "events.ndjson", or the folder "templates".
func (k Kind) FileName() string {
	switch k {
	case KindEvents:
		return "events.ndjson"
	case KindTemplates:
		return "templates"
	}
	return string(k) + ".csv"
}

// kindForFile returns the kind a bundle file name stands for. Names match
// case-insensitively (files saved on Windows are often "People.csv");
// events may also be named events.jsonl, the other common name of the
// format.
func kindForFile(name string, isDir bool) (Kind, bool) {
	n := strings.ToLower(name)
	if isDir {
		return KindTemplates, n == "templates"
	}
	if n == "events.jsonl" {
		return KindEvents, true
	}
	for _, k := range Kinds {
		if k != KindTemplates && n == k.FileName() {
			return k, true
		}
	}
	return "", false
}
