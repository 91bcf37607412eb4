package utm

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/towerops/tower/internal/knowledge"
)

// Check audits one URL against the taxonomy. It returns nil for links it
// does not govern (mailto:, tel:, sms:, javascript:, #anchors, templated
// URLs, hosts outside TaggedDomains). A malformed link is reported
// wherever it points: a broken link in an e-mail is broken whatever its
// domain, and its domain may be what is broken.
func Check(raw string, tax *knowledge.UTM, exp Expect) []Problem {
	raw = strings.TrimSpace(raw)
	if skipped(raw) {
		return nil
	}
	if tax == nil {
		tax = knowledge.DefaultUTM()
	}
	p := splitURL(raw)
	if otherScheme(p, tax) {
		return nil
	}
	if msg := malformed(raw, p); msg != "" {
		return []Problem{{Rule: RuleMalformed, Message: msg}}
	}
	if !governed(p.host, tax) {
		return nil
	}
	return checkParams(splitQuery(p.query), tax, exp)
}

// skipped reports links Check never governs.
func skipped(raw string) bool {
	if raw == "" || strings.HasPrefix(raw, "#") || isTemplated(raw) {
		return true
	}
	low := strings.ToLower(raw)
	for _, s := range []string{"mailto:", "tel:", "sms:", "javascript:"} {
		if strings.HasPrefix(low, s) {
			return true
		}
	}
	return false
}

// otherScheme reports a link with a non-web scheme that Tower does not
// govern (webcal:, whatsapp://, an ftp:// link elsewhere). A misspelt
// http or a non-web scheme in front of a tagged domain is governed, and
// malformed.
func otherScheme(p parts, tax *knowledge.UTM) bool {
	if p.scheme == "" || p.scheme == "http" || p.scheme == "https" || misspeltHTTP(p.scheme) {
		return false
	}
	return p.host == "" || !governed(p.host, tax) || len(tax.TaggedDomains) == 0
}

// misspeltHTTP reports a scheme one edit away from http or https, such
// as htps, htttp or hhtps (ftp is two away, and is a real scheme).
func misspeltHTTP(s string) bool {
	return editDistance(s, "http") <= 1 || editDistance(s, "https") <= 1
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// malformed explains why raw is not a usable web link, or returns "".
func malformed(raw string, p parts) string {
	switch {
	case p.scheme == "":
		if strings.HasPrefix(strings.ToLower(raw), "http") || strings.HasPrefix(raw, "//") || strings.Contains(raw, "//") {
			return fmt.Sprintf("the link %q has a misspelt or missing scheme: it should start with https://", raw)
		}
		return fmt.Sprintf("the link %q has no scheme or domain: in an e-mail every link must be a full address starting with https://", raw)
	case p.scheme != "http" && p.scheme != "https":
		return fmt.Sprintf("the link %q starts with %q: a web link must start with https:// (or http://)", raw, p.scheme+":")
	case !strings.HasPrefix(raw[len(p.scheme)+1:], "//"):
		return fmt.Sprintf("the link %q is missing the // after %s: — it should start with %s://", raw, p.scheme, p.scheme)
	case p.host == "":
		return fmt.Sprintf("the link %q has no domain", raw)
	case !validHost(p.host) || strings.ContainsAny(p.authority, " \t\r\n"):
		return fmt.Sprintf("the domain %q in the link is not valid (a space or a character a domain cannot contain)", p.authority)
	case strings.ContainsAny(p.path, " \t\r\n"):
		return fmt.Sprintf("the link %q has a space in its path: replace it with %%20 or a hyphen", raw)
	case badPercent(p.authority + p.path + "?" + p.query + p.fragment):
		return fmt.Sprintf("the link %q has a %% that is not followed by two hexadecimal digits (a broken escape such as %%2 or %%zz)", raw)
	}
	return ""
}

// validHost accepts DNS names, IPv4 and bracketed IPv6 literals.
func validHost(h string) bool {
	if strings.HasPrefix(h, "[") {
		return strings.HasSuffix(h, "]") && len(h) > 2
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c >= 0x80) {
				return false
			}
		}
	}
	return true
}

// governed reports whether links to host must be tagged.
func governed(host string, tax *knowledge.UTM) bool {
	if len(tax.TaggedDomains) == 0 {
		return true
	}
	for _, d := range tax.TaggedDomains {
		d = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d)), ".")
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

// checkParams applies the taxonomy to a governed link's query.
func checkParams(params []param, tax *knowledge.UTM, exp Expect) []Problem {
	var out []Problem
	seen := map[string]int{}
	first := map[string]param{}
	var order []string
	for _, p := range params {
		if !strings.HasPrefix(p.key, "utm_") {
			continue
		}
		seen[p.key]++
		if p.name != p.key && tax.Lowercase {
			out = append(out, Problem{Rule: RuleCase, Param: p.key,
				Message: fmt.Sprintf("the parameter name %s has capital letters; analytics only reads %s", p.name, p.key)})
		}
		if seen[p.key] == 1 {
			first[p.key] = p
			order = append(order, p.key)
		} else if seen[p.key] == 2 {
			out = append(out, Problem{Rule: RuleDuplicate, Param: p.key,
				Message: fmt.Sprintf("%s is given more than once; analytics keeps only one of them, so remove the extra one", p.key)})
		}
	}
	for _, k := range required(tax) {
		if p, ok := first[k]; !ok || (p.value == "" && !p.opaque) {
			out = append(out, Problem{Rule: RuleUntagged, Param: k, Message: missingMessage(k, tax, exp)})
		}
	}
	for _, k := range order {
		p := first[k]
		if p.opaque || p.value == "" {
			continue
		}
		out = append(out, checkValue(k, p.value, tax, exp)...)
	}
	return out
}

func required(tax *knowledge.UTM) []string {
	if len(tax.Required) == 0 {
		return knowledge.DefaultUTM().Required
	}
	return tax.Required
}

// checkValue checks one utm parameter's value: case, then the taxonomy on
// the lower-cased value when lower case is required, so a value that is
// only wrongly capitalised gets one problem, not two.
func checkValue(key, v string, tax *knowledge.UTM, exp Expect) []Problem {
	var out []Problem
	if tax.Lowercase && strings.ToLower(v) != v {
		out = append(out, Problem{Rule: RuleCase, Param: key,
			Message: fmt.Sprintf("%s=%s has capital letters; analytics counts %q and %q as different values, so write it as %s=%s", key, v, v, strings.ToLower(v), key, strings.ToLower(v))})
		v = strings.ToLower(v)
	}
	if msg := taxonomyMessage(key, v, tax, exp); msg != "" {
		out = append(out, Problem{Rule: RuleTaxonomy, Param: key, Message: msg})
	}
	return out
}

// taxonomyMessage explains why v is not allowed for key, or returns "".
func taxonomyMessage(key, v string, tax *knowledge.UTM, exp Expect) string {
	switch key {
	case "utm_source":
		if len(tax.Sources) > 0 && !slices.Contains(tax.Sources, v) {
			return fmt.Sprintf("utm_source=%s is not in the source list; use one of: %s", v, strings.Join(tax.Sources, ", "))
		}
	case "utm_medium":
		if len(tax.Mediums) > 0 && !slices.Contains(tax.Mediums, v) {
			return fmt.Sprintf("utm_medium=%s is not in the medium list; use one of: %s", v, strings.Join(tax.Mediums, ", "))
		}
	case "utm_campaign":
		if re := campaignRE(tax); re != nil && !fullMatch(re, v) {
			return fmt.Sprintf("utm_campaign=%s does not follow the campaign naming rule %s (e.g. 2025-q3-webinar)", v, re.String())
		}
		if exp.Medium != "" && exp.Campaign != "" && v != normalise(exp.Campaign, tax) {
			return fmt.Sprintf("utm_campaign=%s, but this e-mail belongs to campaign %s: use utm_campaign=%s", v, exp.Campaign, normalise(exp.Campaign, tax))
		}
	}
	return ""
}

func normalise(v string, tax *knowledge.UTM) string {
	if tax.Lowercase {
		return strings.ToLower(v)
	}
	return v
}

func missingMessage(key string, tax *knowledge.UTM, exp Expect) string {
	msg := fmt.Sprintf("the link has no %s, so its visits will not be credited to this campaign", key)
	if v := expected(key, exp); v != "" {
		msg += fmt.Sprintf("; add %s=%s", key, normalise(v, tax))
	} else if allowed := allowedValues(key, tax); allowed != "" {
		msg += "; add one of: " + allowed
	}
	return msg
}

func allowedValues(key string, tax *knowledge.UTM) string {
	switch key {
	case "utm_source":
		return strings.Join(tax.Sources, ", ")
	case "utm_medium":
		return strings.Join(tax.Mediums, ", ")
	case "utm_campaign":
		if re := campaignRE(tax); re != nil {
			return "a name following " + re.String()
		}
	}
	return ""
}

func expected(key string, exp Expect) string {
	switch key {
	case "utm_source":
		return exp.Source
	case "utm_medium":
		return exp.Medium
	case "utm_campaign":
		return exp.Campaign
	}
	return ""
}

// campaignRE is the compiled campaign pattern; a taxonomy built by hand
// with only CampaignPattern set is compiled here (nil when it is invalid,
// which knowledge.Load reports).
func campaignRE(tax *knowledge.UTM) *regexp.Regexp {
	if tax.Campaign != nil || tax.CampaignPattern == "" {
		return tax.Campaign
	}
	re, err := regexp.Compile(tax.CampaignPattern)
	if err != nil {
		return nil
	}
	return re
}

// anchored caches each pattern's ^(?:…)$ form: FindStringIndex returns
// the leftmost-first match, which for a|ab on "ab" is not the whole value.
var anchored sync.Map // string -> *regexp.Regexp

func fullMatch(re *regexp.Regexp, v string) bool {
	if a, ok := anchored.Load(re.String()); ok {
		return a.(*regexp.Regexp).MatchString(v)
	}
	a, err := regexp.Compile(`^(?:` + re.String() + `)$`)
	if err != nil {
		return false
	}
	anchored.Store(re.String(), a)
	return a.MatchString(v)
}
