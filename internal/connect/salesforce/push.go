package salesforce

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/towerops/tower/internal/connect"
	"github.com/towerops/tower/internal/foundation"
)

// RecordError is Salesforce refusing one record of a collection (a
// SaveResult with success false). It is permanent: the same record sent
// again gets the same answer.
type RecordError struct {
	ID         string
	StatusCode string // FIELD_CUSTOM_VALIDATION_EXCEPTION, ENTITY_IS_DELETED, …
	Message    string
	Fields     []string
}

func (e *RecordError) Error() string {
	msg := fmt.Sprintf("salesforce: record %s refused (%s): %s", e.ID, e.StatusCode, e.Message)
	if len(e.Fields) > 0 {
		msg += " [fields: " + strings.Join(e.Fields, ", ") + "]"
	}
	return msg
}

type saveResult struct {
	ID      string `json:"id"`
	Success bool   `json:"success"`
	Errors  []struct {
		StatusCode string   `json:"statusCode"`
		Message    string   `json:"message"`
		Fields     []string `json:"fields"`
	} `json:"errors"`
}

// Push sends changes and returns one result per change, in order.
//
// Every supported change is a field write on the record, so a wave of
// changes (each naming a record at most once, keeping the order of two
// changes to one record) goes in one sObject Collections PATCH with
// allOrNone false, and each record gets its own SaveResult. The
// collections API takes no idempotency key; setting a field to a value is
// idempotent in itself, so a change pushed twice lands once.
func (s *Salesforce) Push(ctx context.Context, changes []connect.Change) []connect.Result {
	res := make([]connect.Result, len(changes))
	for i, ch := range changes {
		res[i].Key = ch.Key
	}
	for _, wave := range waves(changes) {
		var idx []int
		var recs []map[string]any
		for _, i := range wave {
			rec, err := s.recordFor(changes[i])
			if err != nil {
				res[i].Err = err
				continue
			}
			idx, recs = append(idx, i), append(recs, rec)
		}
		s.send(ctx, idx, recs, res)
	}
	return res
}

// recordFor is the collection record a change writes.
func (s *Salesforce) recordFor(ch connect.Change) (map[string]any, error) {
	rec := map[string]any{"attributes": map[string]any{"type": s.object}, "id": ch.SystemID}
	if ch.SystemID == "" && ch.Op != connect.OpMerge && ch.Op != connect.OpUnmerge {
		return nil, fmt.Errorf("salesforce: %s: the change names no %s id", ch.Op, s.object)
	}
	switch ch.Op {
	case connect.OpSuppress, connect.OpUnsuppress:
		on := ch.Op == connect.OpSuppress
		switch ch.Channel {
		case "", foundation.ChannelEmail:
			rec["HasOptedOutOfEmail"] = on
		case foundation.ChannelPhone:
			rec["DoNotCall"] = on
		default:
			return nil, fmt.Errorf("salesforce: %s on %s: Salesforce has no standard %s opt-out field; record it in the SMS tool your team uses", ch.Op, ch.Channel, ch.Channel)
		}
	case connect.OpUpdateField:
		f, err := Field(s.object, ch.Field)
		if err != nil {
			return nil, err
		}
		rec[f] = ch.Value
	case connect.OpMerge:
		return nil, connect.Unsupported(Kind, ch.Op, fmt.Sprintf("the Salesforce REST API cannot merge; merge %s into %s in Salesforce (open the %s, Merge), and the next pull brings the survivor", ch.SystemID, ch.IntoID, s.object))
	case connect.OpUnmerge:
		return nil, connect.Unsupported(Kind, ch.Op, "Salesforce cannot undo a merge; recreate the merged-away record by hand in Salesforce")
	default:
		return nil, connect.Unsupported(Kind, ch.Op, "")
	}
	return rec, nil
}

// send PATCHes one collection and gives each change its SaveResult. A
// whole-request 400 on several records (one unknown field fails the
// call) is sent again record by record, so it fails only its own change.
func (s *Salesforce) send(ctx context.Context, idx []int, recs []map[string]any, res []connect.Result) {
	if len(recs) == 0 {
		return
	}
	var out []saveResult
	err := s.do(ctx, http.MethodPatch, s.path("/composite/sobjects"), nil,
		map[string]any{"allOrNone": false, "records": recs}, &out)
	var se *connect.StatusError
	if err != nil && len(recs) > 1 && errors.As(err, &se) && se.Status == http.StatusBadRequest {
		for j := range recs {
			s.send(ctx, idx[j:j+1], recs[j:j+1], res)
		}
		return
	}
	if err == nil && len(out) != len(recs) {
		err = fmt.Errorf("salesforce: %d records sent, %d results received", len(recs), len(out))
	}
	for j, i := range idx {
		switch {
		case err != nil:
			res[i].Err = fmt.Errorf("salesforce: update %ss: %w", s.object, err)
		case out[j].Success:
			res[i].Err = nil
		default:
			re := &RecordError{ID: fmt.Sprint(recs[j]["id"]), StatusCode: "UNKNOWN", Message: "Salesforce refused the record without saying why"}
			if len(out[j].Errors) > 0 {
				e := out[j].Errors[0]
				re.StatusCode, re.Message, re.Fields = e.StatusCode, e.Message, e.Fields
			}
			res[i].Err = re
		}
	}
}

// waves splits changes into groups in which no record appears twice,
// keeping their order: two changes to one record land one after the other.
func waves(changes []connect.Change) [][]int {
	var out [][]int
	var cur []int
	seen := map[string]bool{}
	for i, ch := range changes {
		if seen[ch.SystemID] {
			out, cur, seen = append(out, cur), nil, map[string]bool{}
		}
		seen[ch.SystemID] = true
		cur = append(cur, i)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}
