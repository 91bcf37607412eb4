package ingest

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Limits of the CSV reader. They keep one absurd row (a whole document
// pasted into a cell, a file with a quote that never closes) from taking
// the machine's memory; the row is refused and the rest of the file read.
const (
	maxFieldBytes  = 1 << 20   // one value: 1 MiB
	maxRecordBytes = 8 << 20   // one row, all values together: 8 MiB
	maxFields      = 4096      // values in one row
	maxRawBytes    = 64 << 10  // of a row's text kept for the errors report
	readBufferSize = 256 << 10 // bufio buffer
)

// csvProblem is the first thing wrong with a record, as the reader saw
// it: the field at fault (by index) and why.
type csvProblem struct {
	field  int
	reason string
}

// csvReader reads RFC 4180 CSV and, unlike encoding/csv, keeps what an
// import report needs: the physical line each record starts on (quoted
// values may span lines), the record's raw text, and a per-record
// problem instead of a read error, so one bad row never stops the file.
// It also caps value sizes while reading, so a 10 MB cell costs 1 MiB of
// memory, not 10.
//
// Fields of a record share one string allocation and are valid until
// the following call to read.
type csvReader struct {
	br   *bufio.Reader
	line int64 // physical line number of the next byte, from 1
	off  int64 // bytes consumed, for progress

	maxField int // maxFieldBytes; smaller in tests

	recLine int64 // line the current record starts on
	buf     []byte
	ends    []int
	fields  []string
	raw     []byte
	rawCut  bool
	problem csvProblem
	bad     bool
	// recordFull is set when the row's values passed maxRecordBytes.
	recordFull bool

	fieldSize  int   // bytes of the current field, kept or not
	fieldStart int   // offset of the current field in buf
	quotedFrom int64 // line an open quoted value starts on
}

// Reader states.
const (
	stStart   = iota // at the start of a field
	stBare           // in an unquoted field
	stQuoted         // in a quoted field
	stQuote          // just read a '"' in a quoted field: an escape or the end
	stQuoteCR        // read the closing '"' then '\r'
	stSkip           // after a problem: ignore the rest of the line
	stDone           // the record ended at a newline
)

// newCSVReader reads r through a buffer of bufSize bytes (readBufferSize
// when 0; tests use tiny buffers to split rows across reads).
func newCSVReader(r io.Reader, bufSize int) *csvReader {
	if bufSize <= 0 {
		bufSize = readBufferSize
	}
	return &csvReader{br: bufio.NewReaderSize(r, bufSize), line: 1, maxField: maxFieldBytes}
}

// read reads the next record that is not a blank line. It returns io.EOF
// after the last record and any other error only for a failed read of
// the underlying file; problems with the record's content are reported
// by problemOf.
func (r *csvReader) read() error {
	for {
		if err := r.readRecord(); err != nil {
			return err
		}
		if !r.blank() {
			return nil
		}
	}
}

// blank reports whether the record was an empty or whitespace-only line;
// such lines are skipped as encoding/csv and spreadsheet tools do.
func (r *csvReader) blank() bool {
	return len(r.fields) == 1 && !r.bad && len(bytes.TrimSpace(r.raw)) == 0
}

// problemOf returns the record's problem, if it has one.
func (r *csvReader) problemOf() (csvProblem, bool) { return r.problem, r.bad }

// rawRow is the record as written in the file, without its line end.
func (r *csvReader) rawRow() []byte {
	raw := bytes.TrimSuffix(r.raw, []byte("\n"))
	return bytes.TrimSuffix(raw, []byte("\r"))
}

func (r *csvReader) fail(reason string) {
	if !r.bad {
		r.bad = true
		r.problem = csvProblem{field: len(r.ends), reason: reason}
	}
}

func (r *csvReader) readRecord() error {
	r.buf, r.ends, r.raw, r.rawCut, r.bad, r.recordFull = r.buf[:0], r.ends[:0], r.raw[:0], false, false, false
	r.fieldSize, r.fieldStart = 0, 0
	r.recLine = r.line
	st := stStart
	readAny := false
	for {
		chunk, err := r.br.ReadSlice('\n')
		if len(chunk) > 0 {
			readAny = true
			r.off += int64(len(chunk))
			r.keepRaw(chunk)
			st = r.scan(chunk, st)
			if chunk[len(chunk)-1] == '\n' {
				r.line++
			}
			if st == stDone {
				r.finish()
				return nil
			}
		}
		switch {
		case err == io.EOF:
			if !readAny {
				return io.EOF
			}
			if st == stQuoted {
				r.bad = false // this explains the record better than whatever came of it
				r.fail(fmt.Sprintf("a quoted value starts on line %d but its closing quote is missing; "+
					"everything after it was read as part of that value", r.quotedFrom))
			}
			if n := len(r.buf); st == stBare && n > r.fieldStart && r.buf[n-1] == '\r' {
				r.buf = r.buf[:n-1] // a last line ending in a lone CR
			}
			r.endField()
			r.finish()
			return nil
		case err != nil && err != bufio.ErrBufferFull:
			return err
		}
	}
}

// scan runs the state machine over one chunk. A chunk holds at most one
// '\n', as its last byte, because it comes from ReadSlice('\n').
func (r *csvReader) scan(c []byte, st int) int {
	for i := 0; i < len(c); {
		switch st {
		case stStart:
			switch c[i] {
			case '"':
				st, r.quotedFrom = stQuoted, r.line
				i++
			case ',':
				r.endField()
				i++
			case '\n':
				r.endField()
				return stDone
			default:
				st = stBare
			}
		case stBare:
			j := i
			for j < len(c) && c[j] != ',' && c[j] != '"' && c[j] != '\n' {
				j++
			}
			r.add(c[i:j])
			if i = j; i == len(c) {
				return st
			}
			switch c[i] {
			case ',':
				r.endField()
				st = stStart
				i++
			case '\n':
				if n := len(r.buf); n > r.fieldStart && r.buf[n-1] == '\r' {
					r.buf = r.buf[:n-1]
				}
				r.endField()
				return stDone
			case '"':
				r.fail(`has a quote (") inside a value that does not start with one; enclose the value in ` +
					`double quotes and double each quote inside it, like "5"" screen"`)
				st = stSkip
			}
		case stQuoted:
			j := bytes.IndexByte(c[i:], '"')
			if j < 0 { // the value goes on past this chunk, maybe onto the next line
				r.add(c[i:])
				r.crlfToLF()
				return st
			}
			r.add(c[i : i+j])
			i += j + 1
			st = stQuote
		case stQuote:
			switch c[i] {
			case '"':
				r.add(c[i : i+1])
				st = stQuoted
			case ',':
				r.endField()
				st = stStart
			case '\n':
				r.endField()
				return stDone
			case '\r':
				st = stQuoteCR
			default:
				r.fail("has text after the closing quote of a quoted value; " +
					`a quote inside a quoted value must be doubled ("")`)
				st = stSkip
			}
			i++
		case stQuoteCR:
			if c[i] == '\n' {
				r.endField()
				return stDone
			}
			r.fail("has a stray carriage return after a quoted value")
			st = stSkip
		case stSkip:
			if c[len(c)-1] == '\n' {
				r.endField()
				return stDone
			}
			return st
		}
	}
	return st
}

// add appends value bytes to the current field, dropping what is over the
// limits (the field or record is then refused by endField or finish).
func (r *csvReader) add(b []byte) {
	r.fieldSize += len(b)
	if r.fieldSize > r.maxField {
		return
	}
	if len(r.buf)+len(b) > maxRecordBytes {
		r.recordFull = true
		return
	}
	r.buf = append(r.buf, b...)
}

// crlfToLF turns a CRLF just added to a quoted value into LF, as
// encoding/csv does, so a value reads the same whatever the file's line
// ends. The CR may have come in the previous chunk.
func (r *csvReader) crlfToLF() {
	n := len(r.buf)
	if n-2 >= r.fieldStart && r.buf[n-1] == '\n' && r.buf[n-2] == '\r' && r.fieldSize <= r.maxField {
		r.buf[n-2] = '\n'
		r.buf = r.buf[:n-1]
		r.fieldSize--
	}
}

func (r *csvReader) endField() {
	if r.fieldSize > r.maxField {
		r.fail(fmt.Sprintf("value is %s; the limit is %s per value", sizeText(r.fieldSize), sizeText(r.maxField)))
		r.buf = r.buf[:r.fieldStart]
	}
	if len(r.ends) >= maxFields {
		r.fail(fmt.Sprintf("row has more than %d values", maxFields))
		r.buf = r.buf[:r.fieldStart]
	} else {
		r.ends = append(r.ends, len(r.buf))
	}
	r.fieldStart, r.fieldSize = len(r.buf), 0
}

// finish turns the record's bytes into strings (one allocation for the
// whole row) and checks the row is UTF-8.
func (r *csvReader) finish() {
	if r.recordFull {
		r.fail(fmt.Sprintf("row is larger than %s", sizeText(maxRecordBytes)))
	}
	s := string(r.buf)
	r.fields = r.fields[:0]
	start := 0
	for _, end := range r.ends {
		r.fields = append(r.fields, s[start:end])
		start = end
	}
	if !r.bad && !utf8.ValidString(s) {
		for i, f := range r.fields {
			if pos := invalidUTF8At(f); pos >= 0 {
				r.bad = true
				r.problem = csvProblem{field: i, reason: notUTF8Reason(f, pos)}
				break
			}
		}
	}
}

func (r *csvReader) keepRaw(chunk []byte) {
	if room := maxRawBytes - len(r.raw); room > 0 {
		if len(chunk) > room {
			chunk, r.rawCut = chunk[:room], true
		}
		r.raw = append(r.raw, chunk...)
	} else {
		r.rawCut = true
	}
}

// invalidUTF8At returns the byte offset of the first byte of s that is
// not UTF-8, or -1.
func invalidUTF8At(s string) int {
	for i := 0; i < len(s); {
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return -1
}

func notUTF8Reason(s string, pos int) string {
	return fmt.Sprintf("not valid UTF-8 (byte 0x%02X at character %d of the value); the file may be "+
		"Latin-1/Windows-1252 — re-save it as UTF-8", s[pos], utf8.RuneCountInString(s[:pos])+1)
}

func sizeText(n int) string {
	if n >= 1<<20 {
		return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/(1<<20)), ".0") + " MiB"
	}
	return fmt.Sprintf("%d bytes", n)
}
