package ingest

import (
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestLineReader(t *testing.T) {
	in := "first\r\n" + strings.Repeat("x", 100) + "\n\nlast"
	for _, slow := range []bool{false, true} {
		var r io.Reader = strings.NewReader(in)
		if slow {
			r = iotest.OneByteReader(r)
		}
		lr := newLineReader(r)
		lr.limit = 50
		type got struct {
			line int64
			text string
			over int
		}
		var lines []got
		for {
			b, err := lr.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			lines = append(lines, got{lr.line, string(b), lr.over})
		}
		want := []got{{1, "first", 0}, {2, "", 101}, {3, "", 0}, {4, "last", 0}}
		if len(lines) != len(want) {
			t.Fatalf("slow=%v: lines = %+v", slow, lines)
		}
		for i := range want {
			if lines[i] != want[i] {
				t.Errorf("slow=%v: line %d = %+v, want %+v", slow, i, lines[i], want[i])
			}
		}
		if lr.off != int64(len(in)) {
			t.Errorf("offset = %d, want %d", lr.off, len(in))
		}
	}
}
