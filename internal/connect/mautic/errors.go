package mautic

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/towerops/tower/internal/connect"
)

// ErrorBody is Mautic's error answer: {"errors":[{"code":…,"message":…,"details":…}]}.
type ErrorBody struct {
	Errors []ErrorItem `json:"errors"`
}

// ErrorItem is one error Mautic reports. Details is free-form (a list of
// strings, or field names to messages).
type ErrorItem struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Details json.RawMessage `json:"details,omitempty"`
}

// APIError is a refusal from Mautic, read from its error shape so the
// person reading it sees Mautic's own sentence, not raw JSON. It wraps
// the HTTP error, so connect.Retryable still sees a 429 or 5xx.
type APIError struct {
	What    string // what Tower was doing: "contact 12: add do-not-contact (email)"
	Status  int
	Message string
	Err     error
}

func (e *APIError) Error() string {
	return fmt.Sprintf("mautic: %s: %s (HTTP %d)", e.What, e.Message, e.Status)
}

func (e *APIError) Unwrap() error { return e.Err }

// explain turns a call's error into an APIError when Mautic answered in
// its own shape, and otherwise just says what was being done.
func explain(what string, err error) error {
	if err == nil {
		return nil
	}
	var se *connect.StatusError
	if !errors.As(err, &se) {
		return fmt.Errorf("mautic: %s: %w", what, err)
	}
	msg := se.Body
	var body ErrorBody
	if json.Unmarshal([]byte(se.Body), &body) == nil && len(body.Errors) > 0 && body.Errors[0].Message != "" {
		msg = body.Errors[0].Message
		if d := details(body.Errors[0].Details); d != "" {
			msg += " — " + d
		}
	}
	return &APIError{What: what, Status: se.Status, Message: msg, Err: err}
}

// details flattens Mautic's details (a list of strings, or an object of
// field → messages) into one line.
func details(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return joinNonEmpty(list)
	}
	var byField map[string]any
	if json.Unmarshal(raw, &byField) == nil {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(byField)) {
			parts = append(parts, fmt.Sprintf("%s: %v", k, byField[k]))
		}
		return joinNonEmpty(parts)
	}
	return ""
}

func joinNonEmpty(ss []string) string {
	out := ""
	for _, s := range ss {
		if s == "" {
			continue
		}
		if out != "" {
			out += "; "
		}
		out += s
	}
	return out
}
