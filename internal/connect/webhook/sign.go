package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Headers of a signed push.
const (
	HeaderTimestamp   = "X-Tower-Timestamp"
	HeaderSignature   = "X-Tower-Signature"
	HeaderIdempotency = "Idempotency-Key"
)

// DefaultTolerance is how far a push's timestamp may be from the
// receiver's clock before Verify refuses it.
const DefaultTolerance = 5 * time.Minute

// Why Verify refuses a request; test with errors.Is.
var (
	ErrUnsigned     = errors.New("the request is not signed")
	ErrBadSignature = errors.New("the signature does not match the body")
	ErrStale        = errors.New("the timestamp is too far from now")
)

// Sign is the X-Tower-Signature value for body sent at unix time ts:
// "sha256=" and the hex HMAC-SHA256 of "<ts>.<body>" keyed by secret.
// Signing the timestamp with the body means neither can be changed alone.
func Sign(secret string, ts int64, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strconv.FormatInt(ts, 10)))
	m.Write([]byte{'.'})
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify checks that body, with the headers it came with, was signed with
// secret at a time within tolerance of now (DefaultTolerance when
// tolerance ≤ 0). A receiver calls it on the raw body, before decoding:
//
//	body, _ := io.ReadAll(r.Body)
//	if err := webhook.Verify(secret, r.Header, body, time.Now(), 0); err != nil {
//		http.Error(w, err.Error(), http.StatusUnauthorized)
//		return
//	}
//
// The comparison takes the same time however many bytes match, so the
// signature cannot be guessed byte by byte.
func Verify(secret string, h http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	tsText, sigText := strings.TrimSpace(h.Get(HeaderTimestamp)), strings.TrimSpace(h.Get(HeaderSignature))
	if tsText == "" || sigText == "" {
		return fmt.Errorf("%w: %s and %s are both required", ErrUnsigned, HeaderTimestamp, HeaderSignature)
	}
	ts, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: %s %q is not unix seconds", ErrUnsigned, HeaderTimestamp, tsText)
	}
	if d := now.Sub(time.Unix(ts, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("%w: signed at %s, %s from now (at most %s)", ErrStale,
			time.Unix(ts, 0).UTC().Format(time.RFC3339), d.Abs().Round(time.Second), tolerance)
	}
	hexSig, ok := strings.CutPrefix(sigText, "sha256=")
	if !ok {
		return fmt.Errorf("%w: %s must start with sha256=", ErrUnsigned, HeaderSignature)
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil {
		return fmt.Errorf("%w: %s is not hex", ErrBadSignature, HeaderSignature)
	}
	want, _ := hex.DecodeString(strings.TrimPrefix(Sign(secret, ts, body), "sha256="))
	if !hmac.Equal(got, want) {
		return ErrBadSignature
	}
	return nil
}
