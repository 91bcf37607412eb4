package ingest

import (
	"bufio"
	"bytes"
)

// skipBOM drops a UTF-8 byte order mark (Excel writes one when saving
// "CSV UTF-8") and refuses UTF-16, which Excel writes for "Unicode Text"
// and which would otherwise read as rows of NUL bytes. It returns the
// bytes skipped, or a reason the file cannot be read.
func skipBOM(br *bufio.Reader) (int, string) {
	head, _ := br.Peek(4)
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		n, _ := br.Discard(3)
		return n, ""
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return 0, utf16Reason
	case len(head) >= 2 && (head[0] == 0 || head[1] == 0):
		return 0, utf16Reason
	}
	return 0, ""
}

const utf16Reason = "this file is UTF-16 (what Excel calls \"Unicode Text\"); Tower reads UTF-8 — " +
	"re-save it as UTF-8 (in Excel: \"CSV UTF-8 (Comma delimited)\")"
