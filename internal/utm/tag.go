package utm

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/towerops/tower/internal/knowledge"
)

// Tag returns raw with its UTM parameters corrected: missing required ones
// added from exp, wrong-case values lowered, out-of-taxonomy values
// replaced by exp's, repeated parameters removed (the first is kept);
// other query parameters, their order and the fragment are kept. Links
// Check does not govern are returned unchanged. It fails when raw is
// malformed (a person must fix it) or when exp lacks a value it needs.
// Whatever Tag returns without an error passes Check.
func Tag(raw string, tax *knowledge.UTM, exp Expect) (string, error) {
	raw = strings.TrimSpace(raw)
	if tax == nil {
		tax = knowledge.DefaultUTM()
	}
	if skipped(raw) {
		return raw, nil
	}
	p := splitURL(raw)
	if otherScheme(p, tax) {
		return raw, nil
	}
	if msg := malformed(raw, p); msg != "" {
		return "", errors.New(msg)
	}
	if !governed(p.host, tax) {
		return raw, nil
	}
	params := splitQuery(p.query)
	var pairs []string
	done := map[string]bool{}
	for _, q := range params {
		if !strings.HasPrefix(q.key, "utm_") {
			pairs = append(pairs, q.raw)
			continue
		}
		if done[q.key] {
			continue // a repeat: the first one stands
		}
		done[q.key] = true
		if q.opaque {
			pairs = append(pairs, q.key+"="+q.value) // the ESP fills it in
			continue
		}
		v, err := fixValue(q.key, q.value, tax, exp)
		if err != nil {
			return "", err
		}
		switch {
		case v == q.value && q.name == q.key:
			pairs = append(pairs, q.raw) // already right: keep it as written
			continue
		case v == "" && q.hasEq: // an empty optional parameter
			pairs = append(pairs, q.key+"=")
			continue
		case v == "":
			pairs = append(pairs, q.key)
			continue
		}
		pairs = append(pairs, q.key+"="+url.QueryEscape(v))
	}
	for _, k := range required(tax) {
		if done[k] {
			continue
		}
		v, err := fixValue(k, "", tax, exp)
		if err != nil {
			return "", err
		}
		pairs = append(pairs, k+"="+url.QueryEscape(v))
	}
	prefix := beforeQuery(raw)
	return prefix + "?" + strings.Join(pairs, "&") + p.fragment, nil
}

// fixValue is the value key should carry: v lower-cased if needed, or
// exp's value when v is empty or outside the taxonomy. An empty optional
// parameter stays empty.
func fixValue(key, v string, tax *knowledge.UTM, exp Expect) (string, error) {
	v = normalise(v, tax)
	if v != "" && taxonomyMessage(key, v, tax, exp) == "" {
		return v, nil
	}
	isRequired := false
	for _, k := range required(tax) {
		isRequired = isRequired || k == key
	}
	want := normalise(expected(key, exp), tax)
	if want == "" {
		if v == "" && !isRequired {
			return "", nil
		}
		if v == "" {
			return "", fmt.Errorf("cannot tag the link: it needs %s and the message has no value for it", key)
		}
		return "", fmt.Errorf("cannot tag the link: %s=%s is not allowed and the message has no value to put instead", key, v)
	}
	if msg := taxonomyMessage(key, want, tax, exp); msg != "" {
		return "", fmt.Errorf("cannot tag the link with %s=%s: %s", key, want, msg)
	}
	return want, nil
}
