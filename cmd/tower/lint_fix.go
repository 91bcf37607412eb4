package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/towerops/tower/internal/templateqa"
)

// fixedFile is a template file with the mechanical fixes of its findings
// applied, and how many fixes went in. The body is replaced after its
// first line; the subject is replaced in place in the front matter only
// when it stands there as written and the new text needs no quoting, so
// a fix never breaks the front matter.
func fixedFile(t templateqa.Template, src string, found []templateqa.Finding) (string, int) {
	var fixes []templateqa.Fix
	for _, f := range found {
		if f.Fix != nil {
			fixes = append(fixes, *f.Fix)
		}
	}
	off := lineOffset(src, t.BodyLine)
	if len(fixes) == 0 || off < 0 || src[off:] != t.Body {
		return src, 0
	}
	head, n := src[:off], 0
	for _, f := range fixes {
		if f.In == "body" {
			n++
		}
	}
	body := templateqa.Apply(t.Body, "body", fixes)
	if subject := templateqa.Apply(t.Subject, "subject", fixes); subject != t.Subject && !strings.ContainsAny(subject, "\"'\\\n") {
		if ls := lineOffset(head, t.SubjectLine); ls >= 0 {
			line := head[ls:]
			if i := strings.IndexByte(line, '\n'); i >= 0 {
				line = line[:i]
			}
			if at := byteCol(line, t.SubjectCol); at >= 0 && strings.HasPrefix(line[at:], t.Subject) {
				pos := ls + at
				head = head[:pos] + subject + head[pos+len(t.Subject):]
				for _, f := range fixes {
					if f.In == "subject" {
						n++
					}
				}
			}
		}
	}
	return head + body, n
}

// lineOffset is the byte offset where 1-based line n starts, or -1.
func lineOffset(s string, n int) int {
	if n < 1 {
		return -1
	}
	off := 0
	for i := 1; i < n; i++ {
		j := strings.IndexByte(s[off:], '\n')
		if j < 0 {
			return -1
		}
		off += j + 1
	}
	return off
}

// byteCol is the byte offset of 1-based character column col in line, or
// -1.
func byteCol(line string, col int) int {
	if col < 1 {
		return -1
	}
	c := 1
	for i := range line {
		if c == col {
			return i
		}
		c++
	}
	if c == col {
		return len(line)
	}
	return -1
}

// writeFileAtomic replaces path with data through a temporary file in the
// same folder, so an interrupted fix never leaves half a template.
func writeFileAtomic(path string, data []byte) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tower-fix-*")
	if err != nil {
		return fmt.Errorf("fixing %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("fixing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("fixing %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), info.Mode().Perm()); err != nil {
		return fmt.Errorf("fixing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("fixing %s: %w", path, err)
	}
	return nil
}
