package web

import (
	"strconv"
	"strings"
)

// diffLine is one line of a unified diff as the console shows it: the
// template finding in context, with the line numbers of the template
// before and after the fix.
type diffLine struct {
	// Kind is "hunk" (the @@ line), "ctx", "del" or "add". The sign is
	// shown too, so the meaning never rests on colour alone.
	Kind string
	Old  int // line number in the old text, 0 when none
	New  int // line number in the new text, 0 when none
	Text string
}

// diffView is a parsed unified diff of one file.
type diffView struct {
	File  string
	Lines []diffLine
	Adds  int
	Dels  int
}

// parseDiff reads a unified diff (as fix_template actions carry it).
// Lines it does not understand are kept as context, so a diff is never
// hidden from the person because of a quirk in its format.
func parseDiff(text string) diffView {
	var d diffView
	oldN, newN := 0, 0
	for _, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		switch {
		case strings.HasPrefix(l, "--- "):
			if d.File == "" {
				d.File = strings.TrimSpace(strings.TrimPrefix(l, "--- "))
			}
		case strings.HasPrefix(l, "+++ "):
			d.File = strings.TrimSpace(strings.TrimPrefix(l, "+++ "))
		case strings.HasPrefix(l, "@@"):
			oldN, newN = hunkStart(l)
			d.Lines = append(d.Lines, diffLine{Kind: "hunk", Text: l})
		case strings.HasPrefix(l, "-"):
			d.Lines = append(d.Lines, diffLine{Kind: "del", Old: oldN, Text: l[1:]})
			oldN++
			d.Dels++
		case strings.HasPrefix(l, "+"):
			d.Lines = append(d.Lines, diffLine{Kind: "add", New: newN, Text: l[1:]})
			newN++
			d.Adds++
		case strings.HasPrefix(l, `\`): // "\ No newline at end of file"
			d.Lines = append(d.Lines, diffLine{Kind: "hunk", Text: l})
		default:
			d.Lines = append(d.Lines, diffLine{Kind: "ctx", Old: oldN, New: newN, Text: strings.TrimPrefix(l, " ")})
			oldN++
			newN++
		}
	}
	return d
}

// hunkStart reads "@@ -7,7 +7,8 @@" into the first old and new line.
func hunkStart(l string) (oldN, newN int) {
	for _, f := range strings.Fields(l) {
		if len(f) < 2 || (f[0] != '-' && f[0] != '+') {
			continue
		}
		n, _ := strconv.Atoi(strings.SplitN(f[1:], ",", 2)[0])
		if f[0] == '-' {
			oldN = n
		} else {
			newN = n
		}
	}
	return oldN, newN
}
