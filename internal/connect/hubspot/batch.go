package hubspot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/towerops/tower/internal/connect"
)

// RecordError is HubSpot refusing one input of a batch (a 207
// Multi-Status answer's errors entry naming it). It is permanent: sending
// the same input again gets the same answer.
type RecordError struct {
	What     string // what was asked: "opt out of all email", "update contact"
	Input    string // the contact id or address HubSpot named
	Category string // HubSpot's category: VALIDATION_ERROR, OBJECT_NOT_FOUND, …
	Message  string
}

func (e *RecordError) Error() string {
	return fmt.Sprintf("hubspot: %s %s refused (%s): %s", e.What, e.Input, e.Category, e.Message)
}

// batchAnswer is what HubSpot's batch endpoints answer, 200 or 207.
type batchAnswer struct {
	Status  string `json:"status"`
	Results []struct {
		ID         string `json:"id"`
		Subscriber string `json:"subscriberIdString"`
	} `json:"results"`
	Errors []struct {
		Status   string         `json:"status"`
		Category string         `json:"category"`
		Message  string         `json:"message"`
		Context  map[string]any `json:"context"`
	} `json:"errors"`
}

// call is one batch endpoint: where it is, what it does (for errors), the
// input for a change, and the identifier HubSpot names that input by in
// its results and errors.
type call struct {
	path  string
	what  string
	input func(connect.Change) any
	ident func(connect.Change) string
}

// batch sends changes[idx] in one call and records each change's result.
// A whole-request 400 on several inputs is sent again one input at a
// time, so one bad value fails only its own change.
func (h *HubSpot) batch(ctx context.Context, c call, changes []connect.Change, idx []int, res []connect.Result) {
	if len(idx) == 0 {
		return
	}
	inputs := make([]any, len(idx))
	for j, i := range idx {
		inputs[j] = c.input(changes[i])
	}
	var ans batchAnswer
	_, err := h.do(ctx, http.MethodPost, c.path, map[string]any{"inputs": inputs}, &ans)
	if err != nil {
		var se *connect.StatusError
		if len(idx) > 1 && errors.As(err, &se) && se.Status == http.StatusBadRequest {
			for _, i := range idx {
				h.batch(ctx, c, changes, []int{i}, res)
			}
			return
		}
		for _, i := range idx {
			res[i].Err = fmt.Errorf("hubspot: %s: %w", c.what, err)
		}
		return
	}
	h.attribute(c, ans, changes, idx, res)
}

// attribute gives each input its result: refused when an errors entry
// names it (in any context list: HubSpot says "ids" for objects,
// "subscriberIdString" for addresses), done when the results hold it or
// when nothing went wrong. An error entry naming no input fails the
// inputs the results do not confirm, rather than calling them done.
func (h *HubSpot) attribute(c call, ans batchAnswer, changes []connect.Change, idx []int, res []connect.Result) {
	done := map[string]bool{}
	for _, r := range ans.Results {
		done[strings.ToLower(r.ID)], done[strings.ToLower(r.Subscriber)] = true, true
	}
	idents := make([]string, len(idx))
	for j, i := range idx {
		idents[j] = strings.ToLower(c.ident(changes[i]))
	}
	refused := map[string]*RecordError{}
	var loose []string
	for _, e := range ans.Errors {
		named := false
		for _, v := range e.Context {
			list, _ := v.([]any)
			for _, x := range list {
				s, _ := x.(string)
				if slices.Contains(idents, strings.ToLower(s)) {
					refused[strings.ToLower(s)] = &RecordError{What: c.what, Input: s, Category: e.Category, Message: e.Message}
					named = true
				}
			}
		}
		if !named {
			loose = append(loose, fmt.Sprintf("%s: %s", e.Category, e.Message))
		}
	}
	for j, i := range idx {
		id := idents[j]
		switch {
		case refused[id] != nil:
			res[i].Err = refused[id]
		case done[id] || len(loose) == 0:
			res[i].Err = nil
		default:
			res[i].Err = &RecordError{What: c.what, Input: c.ident(changes[i]), Category: "UNATTRIBUTED",
				Message: "HubSpot reported errors without naming the records: " + strings.Join(loose, "; ")}
		}
	}
}
