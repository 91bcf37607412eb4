package ingest

import (
	"bufio"
	"bytes"
	"io"
)

// maxLineBytes caps one line of events.ndjson. Segment itself refuses
// messages over 32 KB; 1 MiB leaves room for fat context objects while
// keeping one runaway line from taking the machine's memory.
const maxLineBytes = 1 << 20

// lineReader reads a file line by line, counting physical lines and
// dropping what is over the limit of a line (over reports its size).
type lineReader struct {
	br    *bufio.Reader
	line  int64 // number of the line last returned, from 1
	off   int64
	buf   []byte
	over  int // size of the last line when it was over the limit; else 0
	limit int
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, readBufferSize), limit: maxLineBytes}
}

// next returns the next line without its line end, valid until the next
// call, or io.EOF.
func (r *lineReader) next() ([]byte, error) {
	r.buf, r.over = r.buf[:0], 0
	size, got := 0, false
	for {
		chunk, err := r.br.ReadSlice('\n')
		r.off += int64(len(chunk))
		if len(chunk) > 0 {
			got = true
			size += len(chunk)
			if size <= r.limit+2 { // room for "\r\n"
				r.buf = append(r.buf, chunk...)
			}
		}
		switch {
		case err == nil || (err == io.EOF && got):
			r.line++
			line := bytes.TrimSuffix(bytes.TrimSuffix(r.buf, []byte("\n")), []byte("\r"))
			if size > r.limit+2 || len(line) > r.limit {
				r.over, line = size, line[:0]
			}
			return line, nil
		case err == bufio.ErrBufferFull:
			continue
		default:
			return nil, err
		}
	}
}
