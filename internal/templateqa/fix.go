package templateqa

import (
	"sort"
)

// Apply applies the fixes that target part ("body" or "subject") to text;
// overlapping fixes after the first are skipped, as are fixes whose span
// is not inside text (the text changed since the lint).
func Apply(text, part string, fixes []Fix) string {
	var keep []Fix
	for _, f := range fixes {
		if f.In != part || f.Start < 0 || f.End < f.Start || f.End > len(text) {
			continue
		}
		clash := false
		for _, k := range keep {
			if overlaps(f, k) {
				clash = true
				break
			}
		}
		if !clash {
			keep = append(keep, f)
		}
	}
	sort.SliceStable(keep, func(i, j int) bool { return keep[i].Start > keep[j].Start })
	for _, f := range keep {
		text = text[:f.Start] + f.Replacement + text[f.End:]
	}
	return text
}

// overlaps: two spans share a byte, or two insertions (or an insertion
// and a span's inside) fall at the same place, where their order would be
// a guess.
func overlaps(a, b Fix) bool {
	if a.Start < b.End && b.Start < a.End {
		return true
	}
	if a.Start == a.End && b.Start < a.Start && a.Start < b.End || b.Start == b.End && a.Start < b.Start && b.Start < a.End {
		return true
	}
	return a.Start == a.End && b.Start == b.End && a.Start == b.Start
}
