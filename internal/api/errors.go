package api

import (
	"errors"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

// The error codes of the API. A client branches on the code, never on the
// message, which is written for the person reading it and may change.
const (
	codeUnauthorized = "unauthorized"
	codeForbidden    = "forbidden"
	codeNotFound     = "not_found"
	codeConflict     = "conflict"
	codeInvalid      = "invalid"
	codeTooLarge     = "too_large"
	codeInternal     = "internal"
)

// ErrorResponse is the one error shape of the API, for every route and
// every failure — authentication, validation by huma, and the domain's
// own refusals alike:
//
//	{"error":{"code":"invalid","message":"…","details":[{"location":"body.until","message":"…"}]}}
//
// It implements huma.StatusError, and huma.NewError is replaced by
// newError, so huma writes its own errors in this shape too and documents
// it in the OpenAPI document as the schema of every error response.
type ErrorResponse struct {
	Err    ErrorBody   `json:"error"`
	status int         // the HTTP status, not part of the body
	header http.Header // extra headers, such as WWW-Authenticate
}

// ErrorBody is what went wrong.
type ErrorBody struct {
	Code    string `json:"code" enum:"unauthorized,forbidden,not_found,conflict,invalid,too_large,internal" doc:"What kind of failure: branch on this, not on the message."`
	Message string `json:"message" doc:"What went wrong and what to do, in plain words."`
	// Details are given only when a request did not validate: one per
	// problem, naming where it is.
	Details []ErrorDetail `json:"details,omitempty" doc:"For invalid requests: each problem and where it is."`
}

// ErrorDetail is one problem of an invalid request.
type ErrorDetail struct {
	Location string `json:"location,omitempty" doc:"Where the problem is, such as body.until or query.limit."`
	Message  string `json:"message" doc:"What is wrong there."`
}

func (e *ErrorResponse) Error() string { return e.Err.Code + ": " + e.Err.Message }

// GetStatus makes ErrorResponse a huma.StatusError.
func (e *ErrorResponse) GetStatus() int { return e.status }

// GetHeaders makes ErrorResponse a huma.HeadersError, so a 401 returned
// by a handler carries its WWW-Authenticate challenge too.
func (e *ErrorResponse) GetHeaders() http.Header { return e.header }

func init() {
	huma.NewError = newError
	huma.NewErrorWithContext = func(_ huma.Context, status int, msg string, errs ...error) huma.StatusError {
		return newError(status, msg, errs...)
	}
}

// newError builds the error huma writes for status. errs are huma's
// validation problems; they become details.
func newError(status int, msg string, errs ...error) huma.StatusError {
	e := apiErr(status, msg)
	for _, err := range errs {
		if err == nil {
			continue
		}
		var d huma.ErrorDetailer
		if errors.As(err, &d) {
			hd := d.ErrorDetail()
			e.Err.Details = append(e.Err.Details, ErrorDetail{Location: hd.Location, Message: hd.Message})
			continue
		}
		e.Err.Details = append(e.Err.Details, ErrorDetail{Message: err.Error()})
	}
	if e.Err.Code != codeInvalid {
		// Details are for invalid requests only; anything else (an
		// internal error's cause) stays in the server log.
		e.Err.Details = nil
	}
	if msg == "validation failed" {
		e.Err.Message = "the request is not valid; see details"
	}
	return e
}

// apiErr is an error of the API's shape with the code status implies.
func apiErr(status int, msg string) *ErrorResponse {
	e := &ErrorResponse{Err: ErrorBody{Code: codeFor(status), Message: msg}, status: status}
	if status == http.StatusUnauthorized {
		e.header = http.Header{"Www-Authenticate": {`Bearer realm="tower"`}}
	}
	return e
}

// invalid is a 400 naming where the problem is (such as query.cursor).
func invalid(location, msg string) *ErrorResponse {
	e := apiErr(http.StatusBadRequest, msg)
	e.Err.Details = []ErrorDetail{{Location: location, Message: msg}}
	return e
}

// codeFor maps a status to its code.
func codeFor(status int) string {
	switch status {
	case http.StatusUnauthorized:
		return codeUnauthorized
	case http.StatusForbidden:
		return codeForbidden
	case http.StatusNotFound, http.StatusMethodNotAllowed:
		return codeNotFound
	case http.StatusConflict, http.StatusPreconditionFailed:
		return codeConflict
	case http.StatusRequestEntityTooLarge:
		return codeTooLarge
	}
	if status >= 400 && status < 500 {
		return codeInvalid
	}
	return codeInternal
}

// writeError answers a plain (non-huma) handler in the API's error shape.
// Messages are for the person calling: say what to do, never echo a
// secret.
func writeError(w http.ResponseWriter, status int, msg string) {
	e := apiErr(status, msg)
	for k, v := range e.header {
		w.Header()[k] = v
	}
	writeJSON(w, status, e)
}
