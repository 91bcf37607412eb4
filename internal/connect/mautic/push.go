package mautic

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/towerops/tower/internal/connect"
)

// mergeInstead is what to do when Tower asks Mautic to merge: its REST API
// has no merge, but its contact page does.
const mergeInstead = "Mautic's REST API cannot merge contacts; merge them in Mautic itself " +
	"(open the contact that should disappear, choose Merge, and pick the one that survives)"

// unmergeInstead is what to do when Tower asks Mautic to split a merge:
// Mautic deletes the merged contact, so there is nothing left to split.
const unmergeInstead = "Mautic deletes the contact it merges away, so a merge cannot be split; " +
	"create the contact again in Mautic (or import it) if it should exist on its own"

// Push sends changes: each suppress or unsuppress is one do-not-contact
// call, and every field update goes in one batch edit. Once Mautic
// answers a call with a passing failure (429, 5xx, no answer), the calls
// after it are not made — their changes come back retryable with the same
// wait — so a struggling Mautic is not hammered with the rest of the batch.
func (c *Connector) Push(ctx context.Context, changes []connect.Change) []connect.Result {
	res := make([]connect.Result, len(changes))
	var halt error
	var edits []int
	for i, ch := range changes {
		res[i].Key = ch.Key
		switch ch.Op {
		case connect.OpSuppress, connect.OpUnsuppress:
			if halt != nil {
				res[i].Err = notTried(ch, halt)
				continue
			}
			res[i].Err = c.dnc(ctx, ch)
			if _, retry := connect.Retryable(res[i].Err); retry {
				halt = res[i].Err
			}
		case connect.OpUpdateField:
			edits = append(edits, i)
		case connect.OpMerge:
			res[i].Err = connect.Unsupported(Kind, ch.Op, mergeInstead)
		case connect.OpUnmerge:
			res[i].Err = connect.Unsupported(Kind, ch.Op, unmergeInstead)
		default:
			res[i].Err = connect.Unsupported(Kind, ch.Op, "")
		}
	}
	if len(edits) > 0 {
		if halt != nil {
			for _, i := range edits {
				res[i].Err = notTried(changes[i], halt)
			}
		} else {
			c.edit(ctx, changes, edits, res)
		}
	}
	return res
}

// notTried is the result of a change skipped after a passing failure: as
// retryable as that failure, with its Retry-After.
func notTried(ch connect.Change, cause error) error {
	after, _ := connect.Retryable(cause)
	return connect.Temporary(fmt.Errorf("mautic: contact %s: not sent, an earlier call of the same batch failed: %v", ch.SystemID, cause), after)
}

// contactID checks a record id is a Mautic contact id (a positive number).
func contactID(id string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(id), 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("mautic: record id %q is not a Mautic contact id (a number)", id)
	}
	return n, nil
}

func (c *Connector) dnc(ctx context.Context, ch connect.Change) error {
	id, err := contactID(ch.SystemID)
	if err != nil {
		return err
	}
	channel, err := mauticChannel(ch.Channel)
	if err != nil {
		return fmt.Errorf("mautic: contact %d: %w", id, err)
	}
	if ch.Op == connect.OpUnsuppress {
		path := fmt.Sprintf("/api/contacts/%d/dnc/%s/remove", id, channel)
		return explain(fmt.Sprintf("contact %d: remove do-not-contact (%s)", id, channel), c.client.Do(ctx, http.MethodPost, path, nil, nil))
	}
	reason, err := ReasonFor(ch.Status)
	if err != nil {
		return fmt.Errorf("mautic: contact %d: %w", id, err)
	}
	body := map[string]any{"reason": reason}
	if ch.Reason != "" {
		body["comments"] = ch.Reason
	}
	path := fmt.Sprintf("/api/contacts/%d/dnc/%s/add", id, channel)
	return explain(fmt.Sprintf("contact %d: add do-not-contact (%s)", id, channel), c.client.Do(ctx, http.MethodPost, path, body, nil))
}

// BatchAnswer is the part of Mautic's batch edit answer Tower reads: a
// status code per entry of the request, and the errors of the ones that
// failed, both indexed like the request (a JSON array, or an object keyed
// by index when PHP left gaps).
type BatchAnswer struct {
	StatusCodes json.RawMessage `json:"statusCodes"`
	Errors      json.RawMessage `json:"errors"`
}

// edit sends the field updates changes[edits[…]] in one batch edit and
// writes each one's result.
func (c *Connector) edit(ctx context.Context, changes []connect.Change, edits []int, res []connect.Result) {
	var body []map[string]any
	var sent []int // index into changes of each entry of body
	for _, i := range edits {
		ch := changes[i]
		id, err := contactID(ch.SystemID)
		if err != nil {
			res[i].Err = err
			continue
		}
		alias, err := Alias(ch.Field)
		if err != nil {
			res[i].Err = fmt.Errorf("mautic: contact %d: %w", id, err)
			continue
		}
		body = append(body, map[string]any{"id": id, alias: ch.Value})
		sent = append(sent, i)
	}
	if len(body) == 0 {
		return
	}
	var ans BatchAnswer
	if err := c.client.Do(ctx, http.MethodPatch, "/api/contacts/batch/edit", body, &ans); err != nil {
		err = explain(fmt.Sprintf("batch edit of %d contacts", len(body)), err)
		for _, i := range sent {
			res[i].Err = err
		}
		return
	}
	codes, cerr := indexed[int](ans.StatusCodes)
	errs, eerr := indexed[ErrorItem](ans.Errors)
	if err := errors.Join(cerr, eerr); err != nil {
		err = connect.Temporary(fmt.Errorf("mautic: batch edit: unreadable answer: %w", err), 0)
		for _, i := range sent {
			res[i].Err = err
		}
		return
	}
	for j, i := range sent {
		res[i].Err = entryResult(changes[i], codes, errs, j)
	}
}

// entryResult is one batch entry's outcome. An answer without status
// codes at all (an older Mautic) means every entry without an error
// passed; an answer with codes that skips this entry is retried, since
// Mautic did not say what became of it.
func entryResult(ch connect.Change, codes map[int]int, errs map[int]ErrorItem, j int) error {
	code, ok := codes[j]
	e, failed := errs[j]
	if !ok && failed {
		code, ok = e.Code, true
	}
	if !ok {
		if codes == nil {
			return nil
		}
		return connect.Temporary(fmt.Errorf("mautic: contact %s: the batch edit answer has no status for this contact", ch.SystemID), 0)
	}
	if code >= 200 && code <= 299 {
		return nil
	}
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(code)
	}
	if d := details(e.Details); d != "" {
		msg += " — " + d
	}
	err := &APIError{What: fmt.Sprintf("contact %s: set %s", ch.SystemID, ch.Field), Status: code, Message: msg}
	if code == http.StatusTooManyRequests || code >= 500 {
		return connect.Temporary(err, 0)
	}
	return err
}

// indexed reads a PHP list that JSON shows as an array, or as an object
// keyed by index; nil for an absent value.
func indexed[T any](raw json.RawMessage) (map[int]T, error) {
	s := strings.TrimSpace(string(raw))
	if s == "" || s == "null" {
		return nil, nil
	}
	out := map[int]T{}
	if s[0] == '[' {
		var list []T
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, err
		}
		for i, v := range list {
			out[i] = v
		}
		return out, nil
	}
	var obj map[string]T
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, err
	}
	for k, v := range obj {
		n, err := strconv.Atoi(k)
		if err != nil {
			return nil, fmt.Errorf("index %q is not a number", k)
		}
		out[n] = v
	}
	return out, nil
}
