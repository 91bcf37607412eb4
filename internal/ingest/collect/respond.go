package collect

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Answer is the body of every collector response. Success is Segment's
// field, which SDKs look at; the counts say what happened to each message
// so a sender can see that nothing was silently dropped.
type Answer struct {
	Success    bool        `json:"success"`
	Received   int         `json:"received"`
	Stored     int         `json:"stored"`
	Duplicates int         `json:"duplicates"`
	Rejected   []Rejection `json:"rejected"`
	Error      *ErrorBody  `json:"error,omitempty"`
}

// Rejection is one message that was not stored, and why.
type Rejection struct {
	Index     int    `json:"index"` // position in the batch, from 0
	MessageID string `json:"messageId,omitempty"`
	Field     string `json:"field,omitempty"` // the message key at fault; "" for the message as a whole
	Reason    string `json:"reason"`
}

// ErrorBody is the API's error shape ({"code","message"}), so one client
// library reads errors from both.
type ErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// failure is a request refused as a whole: nothing of it is stored.
type failure struct {
	status     int
	code       string
	message    string
	rejected   []Rejection   // the message at fault, when one is
	received   int           // messages in the request, when known
	retryAfter time.Duration // for 503
}

func (f *failure) Error() string { return f.code + ": " + f.message }

func badRequest(code, format string, args ...any) *failure {
	return &failure{status: http.StatusBadRequest, code: code, message: fmt.Sprintf(format, args...)}
}

// writeFailure answers a refused request.
func writeFailure(w http.ResponseWriter, f *failure) {
	switch f.status {
	case http.StatusUnauthorized:
		// Bearer, not Basic: a Basic challenge makes browsers pop up a
		// login box for a page's analytics call.
		w.Header().Set("WWW-Authenticate", `Bearer realm="tower"`)
	case http.StatusServiceUnavailable, http.StatusTooManyRequests:
		secs := int(max(1, f.retryAfter.Round(time.Second)/time.Second))
		w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
	rej := f.rejected
	if rej == nil {
		rej = []Rejection{}
	}
	writeAnswer(w, f.status, &Answer{Received: f.received, Rejected: rej, Error: &ErrorBody{Code: f.code, Message: f.message}})
}

func writeAnswer(w http.ResponseWriter, status int, a *Answer) {
	b, err := json.Marshal(a)
	if err != nil { // cannot happen: strings and ints only
		http.Error(w, `{"success":false}`, http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(b)+1))
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// allowCORS lets browser SDKs (analytics.js) send from any site: the write
// key, not the origin, says who may send, as on Segment.
func allowCORS(h http.Header) {
	h.Set("Access-Control-Allow-Origin", "*")
}

// preflight answers a browser's CORS OPTIONS request.
func preflight(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	allowCORS(h)
	h.Set("Access-Control-Allow-Methods", "POST, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, Content-Encoding")
	h.Set("Access-Control-Max-Age", "86400")
	w.WriteHeader(http.StatusNoContent)
}

// sizeText writes a byte count the way people read it.
func sizeText(n int) string {
	if n < 1024 {
		return fmt.Sprintf("%d bytes", n)
	}
	return strings.TrimSuffix(strconv.FormatFloat(float64(n)/1024, 'f', 1, 64), ".0") + " KB"
}
