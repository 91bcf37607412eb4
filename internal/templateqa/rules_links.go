package templateqa

import (
	"github.com/towerops/tower/internal/utm"
)

// checkLinks audits every link of the body against the UTM taxonomy with
// the utm package; a link it can re-tag gets that as its fix.
func (l *linter) checkLinks() {
	exp := utm.Expect{Source: l.tax.SourceByESP[string(l.t.ESP)], Medium: l.tax.EmailMedium, Campaign: l.env.Campaign}
	p := l.body
	for _, lk := range utm.Links(p.text) {
		if lk.Templated {
			continue
		}
		probs := utm.Check(lk.URL, l.tax, exp)
		if len(probs) == 0 {
			continue
		}
		var fix *Fix
		if tagged, err := utm.Tag(lk.URL, l.tax, exp); err == nil && tagged != lk.URL && lk.End <= len(p.text) {
			fix = &Fix{Description: "tag the link: " + tagged, Start: lk.Start, End: lk.End, Replacement: tagged}
		}
		for i, pr := range probs {
			sev := Warning
			if pr.Rule == utm.RuleMalformed {
				sev = Error
			}
			f := Finding{Rule: pr.Rule, Severity: sev, Message: pr.Message}
			if i == 0 && fix != nil && pr.Rule != utm.RuleMalformed {
				f.Fix = fix // one fix per link, so fixes never overlap
			}
			l.add(p, lk.Start, f)
		}
	}
}
