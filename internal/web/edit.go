package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/towerops/tower/internal/fleet"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// The edit form mirrors fleet.EditSpec, as `tower proposals edit` and the
// API take it: a checkbox "drop" per target (value TYPE:ID) and a field
// "param.N.NAME" per parameter of action N (numbered from 1), filled with
// the current value. Only parameters whose value the person changed are
// set, so an untouched form field never rewrites a value's type.

// editParamName is the form field of parameter name of action n (from 1).
func editParamName(n int, name string) string { return "param." + strconv.Itoa(n) + "." + name }

// editable reports whether people may set a parameter in the console.
// The diff of fix_template describes the value for people; it follows
// the value and is not edited on its own.
func editable(k proposal.Kind, name string) bool {
	return !(k == proposal.FixTemplate && name == "diff")
}

// editSpec reads the edit form against the proposal as it is now.
func editSpec(r *http.Request, p *proposal.Proposal) (fleet.EditSpec, error) {
	if err := r.ParseForm(); err != nil {
		return fleet.EditSpec{}, fmt.Errorf("%w: %v", fleet.ErrBadEdit, err)
	}
	spec := fleet.EditSpec{DropTargets: r.PostForm["drop"]}
	for i, a := range p.Actions {
		sp, _ := proposal.SpecOf(a.Kind)
		for _, ps := range sp.Params {
			if !editable(a.Kind, ps.Name) {
				continue
			}
			field := editParamName(i+1, ps.Name)
			if _, sent := r.PostForm[field]; !sent {
				continue
			}
			raw := strings.ReplaceAll(r.PostFormValue(field), "\r\n", "\n")
			if raw == paramText(a.Params[ps.Name]) {
				continue
			}
			v, err := parseParam(ps, raw)
			if err != nil {
				return spec, fmt.Errorf("%w: action %d, %s: %v", fleet.ErrBadEdit, i+1, ps.Name, err)
			}
			spec.SetParams = append(spec.SetParams, fleet.ParamSet{Action: i + 1, Name: ps.Name, Value: v})
		}
	}
	return spec, nil
}

// parseParam turns what was typed into the parameter's JSON type.
func parseParam(ps proposal.ParamSpec, raw string) (any, error) {
	t := strings.TrimSpace(raw)
	switch ps.Type {
	case proposal.TypeNumber, proposal.TypeInteger:
		f, err := strconv.ParseFloat(strings.ReplaceAll(t, ",", ""), 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", t)
		}
		return f, nil
	case proposal.TypeBoolean:
		b, err := strconv.ParseBool(t)
		if err != nil {
			return nil, fmt.Errorf("write true or false, not %q", t)
		}
		return b, nil
	case proposal.TypeAny:
		if f, err := strconv.ParseFloat(t, 64); err == nil {
			return f, nil
		}
		if b, err := strconv.ParseBool(t); err == nil {
			return b, nil
		}
		return raw, nil
	}
	if len(ps.Enum) > 0 && !slices.Contains(ps.Enum, t) {
		return nil, fmt.Errorf("use one of %s", strings.Join(ps.Enum, ", "))
	}
	return raw, nil
}

// edit makes a new revision of a pending proposal and shows it.
func (s *Server) edit(w http.ResponseWriter, r *http.Request) {
	if !s.canDecide(w, r) {
		return
	}
	id := r.PathValue("id")
	p, err := s.Store.ProposalGet(r.Context(), &store.ProposalGetParams{ID: id})
	if err != nil {
		s.decisionFailed(w, r, id, err)
		return
	}
	spec, err := editSpec(r, p)
	if err == nil && len(spec.DropTargets) == 0 && len(spec.SetParams) == 0 {
		err = fmt.Errorf("%w: nothing was changed: untick a target or change a parameter", fleet.ErrBadEdit)
	}
	if err != nil {
		s.decisionFailed(w, r, id, err)
		return
	}
	next, err := s.Lifecycle.Edit(r.Context(), id, user(r), spec.Change, strings.TrimSpace(r.PostFormValue("edit_reason")))
	if err != nil {
		s.decisionFailed(w, r, id, err)
		return
	}
	msg := fmt.Sprintf("Saved your edit as revision %d; the earlier one is superseded.", next.Revision)
	switch next.Status {
	case proposal.StatusPendingApproval:
		if progress, err := s.Lifecycle.ApprovalProgress(r.Context(), next); err == nil && progress != "" {
			msg += " It needs approval again: " + progress + "."
		}
	case proposal.StatusAllowed:
		_, how := s.execute(r.Context(), next)
		msg = fmt.Sprintf("Saved your edit as revision %d. The policies let it run without approval: %s.", next.Revision, how)
	}
	http.Redirect(w, r, "/proposals/"+next.ID+"?done="+url.QueryEscape(msg), http.StatusSeeOther)
}
