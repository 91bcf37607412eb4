package web

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// actionView is one action as people read it: what it does, to what,
// with which settings, and the form fields to change them.
type actionView struct {
	N           int // numbered from 1, as the command line numbers them
	Kind        proposal.Kind
	Description string
	Undoable    bool
	Targets     []proposal.Target
	Params      []paramView
	Diff        *diffView
}

// paramView is one parameter with its edit field.
type paramView struct {
	Name        string
	Field       string // the edit form's field name
	Value       string
	Description string
	Enum        []string
	Long        bool // shown and edited as a text area
	Editable    bool
	// Hidden: shown another way (a fix_template's body and diff as the
	// diff in context).
	Hidden bool
}

func actionViews(p *proposal.Proposal) []actionView {
	out := make([]actionView, len(p.Actions))
	for i, a := range p.Actions {
		sp, _ := proposal.SpecOf(a.Kind)
		v := actionView{N: i + 1, Kind: a.Kind, Description: sp.Description, Undoable: sp.Undoable, Targets: a.Targets}
		seen := map[string]bool{}
		for _, ps := range sp.Params {
			seen[ps.Name] = true
			val, ok := a.Params[ps.Name]
			if !ok && !ps.Required {
				continue
			}
			text := paramText(val)
			v.Params = append(v.Params, paramView{Name: ps.Name, Field: editParamName(i+1, ps.Name), Value: text,
				Description: ps.Description, Enum: ps.Enum, Long: long(text),
				Editable: editable(a.Kind, ps.Name)})
		}
		if a.Kind == proposal.FixTemplate {
			if diff := a.Param("diff"); diff != "" {
				dv := parseDiff(diff)
				v.Diff = &dv
			}
		}
		for name, val := range a.Params { // parameters the spec does not list: shown, not edited
			if !seen[name] {
				v.Params = append(v.Params, paramView{Name: name, Value: paramText(val)})
			}
		}
		for j := range v.Params {
			v.Params[j].Hidden = v.Diff != nil && (v.Params[j].Name == "diff" || v.Params[j].Name == "value")
		}
		out[i] = v
	}
	return out
}

// long reports whether a value is too long to show inline.
func long(s string) bool { return len(s) > 160 || strings.Count(s, "\n") > 1 }

// paramText is a parameter's value as typed in a form.
func paramText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}

// previewView is one line of the preview with its action's number.
type previewView struct {
	proposal.Change
	N int
	// Long: before or after is a whole text (a template body); the page
	// folds it away, since the diff shows the change in context.
	Long bool
}

func previewViews(p *proposal.Proposal) []previewView {
	out := make([]previewView, len(p.Preview))
	for i, c := range p.Preview {
		out[i] = previewView{Change: c, N: c.Action + 1, Long: long(c.Before) || long(c.After)}
	}
	return out
}

// mergeView shows the people a merge_people action joins, side by side.
type mergeView struct {
	N      int
	People []mergePerson
}

// mergePerson is one side of a merge: the person, their records and
// consent facts ("" Missing when found).
type mergePerson struct {
	Target  proposal.Target
	Missing bool
	Detail  *store.PersonDetail
}

// mergeViews reads the people of every merge_people action.
func (s *Server) mergeViews(ctx context.Context, p *proposal.Proposal) ([]mergeView, error) {
	var out []mergeView
	for i, a := range p.Actions {
		if a.Kind != proposal.MergePeople {
			continue
		}
		mv := mergeView{N: i + 1}
		for _, t := range a.Targets {
			mp := mergePerson{Target: t, Missing: true}
			if id, ok := personID(t); ok {
				d, err := s.Store.PersonGet(ctx, &store.PersonGetParams{ID: id})
				switch {
				case err == nil:
					mp.Detail, mp.Missing = d, false
				case !errors.Is(err, store.ErrNotFound):
					return nil, err
				}
			}
			mv.People = append(mv.People, mp)
		}
		out = append(out, mv)
	}
	return out, nil
}

// consentWords is a consent fact in a few words.
func consentWords(c foundation.Consent) string {
	s := string(c.Channel) + ": " + string(c.Status)
	if c.Reason != "" {
		s += " (" + c.Reason + ")"
	}
	return s
}
