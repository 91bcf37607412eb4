package templatereview

import (
	"fmt"
	"strings"
	"time"

	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/templateqa"
)

// minutesPerFinding is the manual QA time one finding costs when a person
// has to spot it in a test send, find it in the source and fix it.
const minutesPerFinding = 15

// Draft turns one template's findings into a proposal: the mechanical
// fixes as fix_template actions carrying the new text and its diff, the
// rest as one task listing what a person must fix by hand.
func Draft(agent string, t templateqa.Template, found []templateqa.Finding) proposal.Draft {
	target := proposal.Target{Type: proposal.TargetTemplate, ID: t.ID, Label: t.Path}
	var fixes []templateqa.Fix
	var manual []templateqa.Finding
	errorsN := 0
	// Several findings can share one fix (a link missing three UTM
	// parameters is retagged once); those are not left for a person.
	fixedAt := map[[2]int]bool{}
	for _, f := range found {
		if f.Fix != nil {
			fixedAt[[2]int{f.Line, f.Col}] = true
		}
	}
	for _, f := range found {
		if f.Severity == templateqa.Error {
			errorsN++
		}
		switch {
		case f.Fix != nil:
			fixes = append(fixes, *f.Fix)
		case !fixedAt[[2]int{f.Line, f.Col}]:
			manual = append(manual, f)
		}
	}
	var actions []proposal.Action
	fixed := len(found) - len(manual)
	for _, part := range []struct{ name, before string }{{"body", t.Body}, {"subject", t.Subject}} {
		after := templateqa.Apply(part.before, part.name, fixes)
		if after == part.before {
			continue
		}
		label := t.Path
		if part.name == "subject" {
			label += " (subject)"
		}
		actions = append(actions, proposal.Action{Kind: proposal.FixTemplate, Targets: []proposal.Target{target},
			Params: map[string]any{"field": part.name, "value": after, "diff": templateqa.Diff(label, part.before, after)}})
	}
	if len(manual) > 0 {
		lines := make([]string, len(manual))
		for i, f := range manual {
			lines[i] = fmt.Sprintf("%s:%d:%d %s (%s): %s", f.File, f.Line, f.Col, f.Rule, f.Severity, f.Message)
		}
		actions = append(actions, proposal.Action{Kind: proposal.CreateTask, Targets: []proposal.Target{target},
			Params: map[string]any{"title": fmt.Sprintf("Fix %d %s in template %s by hand", len(manual), plural(len(manual), "problem"), t.ID),
				"note": strings.Join(lines, "\n")}})
	}
	facts := []proposal.Fact{
		{Name: "findings", Value: len(found)},
		{Name: "errors (break the send or the law)", Value: errorsN},
		{Name: "fixed automatically by this proposal", Value: fixed},
	}
	for _, f := range found {
		name := fmt.Sprintf("%s:%d:%d %s", f.File, f.Line, f.Col, f.Rule)
		v := any(f.Message)
		if f.Sample > 0 {
			v = fmt.Sprintf("%s (%d of %d sample recipients)", f.Message, f.Blank, f.Sample)
		}
		facts = append(facts, proposal.Fact{Name: name, Value: v, Source: string(f.Severity)})
	}
	title := fmt.Sprintf("Template %s: %d %s", t.ID, len(found), plural(len(found), "problem"))
	if fixed > 0 {
		title += fmt.Sprintf(", %d fixed by the proposed diff", fixed)
	}
	confidence := 0.9
	if len(manual) > 0 {
		confidence = 0.8 // part of it needs a person's judgement
	}
	return proposal.Draft{
		Agent: agent,
		Title: title,
		Rationale: fmt.Sprintf("Rendering %s as %s would render it (%s), Tower found %d %s, %d of them errors. "+
			"Fixing them before the next send avoids a broken or non-compliant e-mail reaching customers.",
			t.Path, espName(string(t.ESP)), t.Dialect, len(found), plural(len(found), "problem"), errorsN),
		Actions:  actions,
		Evidence: proposal.Evidence{Facts: facts},
		ExpectedValue: proposal.Value{HoursSaved: float64(len(found)*minutesPerFinding) / 60,
			Assumptions: []string{fmt.Sprintf("%d minutes of QA per problem when found by hand in a test send", minutesPerFinding)}},
		Confidence: confidence,
		Key:        "template:" + t.ID + ":" + fingerprint(t),
		TTL:        7 * 24 * time.Hour,
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

func espName(esp string) string {
	switch esp {
	case "hubspot":
		return "HubSpot"
	case "sfmc":
		return "Salesforce Marketing Cloud"
	case "generic", "":
		return "the platform"
	}
	return strings.ToUpper(esp[:1]) + esp[1:]
}
