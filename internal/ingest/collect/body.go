package collect

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
)

// Request bodies are read into pooled buffers: at tens of thousands of
// events a second, a fresh 100 KB buffer per request is most of the
// garbage the collector would make. Parsed events copy what they keep, so
// a buffer is reused as soon as its request is answered.
var bodyPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

var gzipPool sync.Pool // *gzip.Reader

// readBody reads the request body, decompressed, into buf. It reads at
// most limit+1 bytes of content, so a small gzip body that expands to
// gigabytes (a "gzip bomb") costs no more memory than an honest large
// one, and at most about twice the limit from the wire.
func readBody(w http.ResponseWriter, r *http.Request, limit int, buf *bytes.Buffer) *failure {
	wire := &errReader{r: http.MaxBytesReader(w, r.Body, int64(2*limit)+64<<10)}
	var content io.Reader = wire
	enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding")))
	switch enc {
	case "", "identity":
	case "gzip", "x-gzip":
		zr, _ := gzipPool.Get().(*gzip.Reader)
		var err error
		if zr == nil {
			zr, err = gzip.NewReader(wire)
		} else {
			err = zr.Reset(wire)
		}
		if err != nil {
			return bodyFailure(wire, err, limit, r)
		}
		defer gzipPool.Put(zr)
		content = zr
	default:
		return &failure{status: http.StatusUnsupportedMediaType, code: "unsupported_encoding",
			message: "the body is sent with Content-Encoding " + quoteHeader(enc) + "; Tower accepts gzip or no compression"}
	}
	if r.ContentLength > 0 && enc == "" {
		buf.Grow(int(min(r.ContentLength, int64(limit)+1)))
	}
	if _, err := buf.ReadFrom(io.LimitReader(content, int64(limit)+1)); err != nil {
		return bodyFailure(wire, err, limit, r)
	}
	if buf.Len() > limit {
		return tooLarge(limit, r)
	}
	return nil
}

// bodyFailure says why reading the body failed: the client's connection,
// a body too large on the wire, or gzip data that is not gzip.
func bodyFailure(wire *errReader, err error, limit int, r *http.Request) *failure {
	var mbe *http.MaxBytesError
	switch {
	case errors.As(wire.err, &mbe):
		return tooLarge(limit, r)
	case wire.err != nil && !errors.Is(wire.err, io.EOF):
		return badRequest("unreadable_body", "the body could not be read to its end (%v); send it again", wire.err)
	}
	return badRequest("bad_gzip", "the body says it is gzip-compressed (Content-Encoding: gzip) but is not valid gzip: %v", err)
}

func tooLarge(limit int, r *http.Request) *failure {
	size := "more than " + sizeText(limit) + " after decompression"
	if r.ContentLength > int64(limit) && r.Header.Get("Content-Encoding") == "" {
		size = sizeText(int(min(r.ContentLength, 1<<40)))
	}
	return badRequest("body_too_large", "the body is %s; the limit is %s per request (Segment's limit, which "+
		"its SDKs respect): send fewer messages per batch", size, sizeText(limit))
}

// quoteHeader shows a header value safely in a message.
func quoteHeader(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return `"` + strings.Map(func(r rune) rune {
		if r < ' ' || r > '~' {
			return '?'
		}
		return r
	}, s) + `"`
}

// errReader remembers the error of the reader under a decompressor, to
// tell a client's broken connection from a broken gzip stream.
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && e.err == nil {
		e.err = err
	}
	return n, err
}
