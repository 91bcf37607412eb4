package templateqa

import (
	"fmt"
	"strings"
)

// Diff is a unified diff of before and after, labelled with path: ---/+++
// headers and @@ hunks with three lines of context, as `patch` and code
// review tools read it. Equal texts give "".
func Diff(path, before, after string) string {
	if before == after {
		return ""
	}
	a, aNL := splitLines(before)
	b, bNL := splitLines(after)
	ops := diffOps(a, b, aNL, bNL)
	// aAt[i], bAt[i]: lines of before and after consumed before ops[i].
	aAt, bAt := make([]int, len(ops)+1), make([]int, len(ops)+1)
	for i, o := range ops {
		aAt[i+1], bAt[i+1] = aAt[i], bAt[i]
		if o.kind != '+' {
			aAt[i+1]++
		}
		if o.kind != '-' {
			bAt[i+1]++
		}
	}
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", path, path)
	const ctx = 3
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		// A hunk: back up ctx lines, run until ctx*2 unchanged lines.
		start := max(0, i-ctx)
		end := i
		for end < len(ops) {
			if ops[end].kind != ' ' {
				end++
				continue
			}
			run := end
			for run < len(ops) && ops[run].kind == ' ' {
				run++
			}
			if run == len(ops) || run-end > 2*ctx {
				end = min(len(ops), end+ctx)
				break
			}
			end = run
		}
		var body strings.Builder
		aStart, bStart, aLen, bLen := aAt[start], bAt[start], 0, 0
		for _, o := range ops[start:end] {
			body.WriteByte(o.kind)
			body.WriteString(o.text)
			body.WriteByte('\n')
			if o.noNL {
				body.WriteString("\\ No newline at end of file\n")
			}
			if o.kind != '+' {
				aLen++
			}
			if o.kind != '-' {
				bLen++
			}
		}
		fmt.Fprintf(&out, "@@ -%s +%s @@\n", hunkRange(aStart, aLen), hunkRange(bStart, bLen))
		out.WriteString(body.String())
		i = end
	}
	return out.String()
}

func hunkRange(start, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", start) // the line before the (empty) range
	}
	if n == 1 {
		return fmt.Sprint(start + 1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}

// splitLines splits s into lines and says whether the last one ends
// without a newline.
func splitLines(s string) ([]string, bool) {
	if s == "" {
		return nil, false
	}
	noNL := !strings.HasSuffix(s, "\n")
	ls := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	return ls, noNL
}

type diffOp struct {
	kind byte // ' ', '-', '+'
	text string
	noNL bool
}

// diffOps is a shortest edit script by longest common subsequence over
// the lines between the common prefix and suffix (templates are small).
func diffOps(a, b []string, aNL, bNL bool) []diffOp {
	// Lines that differ only by the missing final newline are different.
	key := func(ls []string, i int, noNL bool) string {
		if noNL && i == len(ls)-1 {
			return ls[i] + "\x00"
		}
		return ls[i]
	}
	pre := 0
	for pre < len(a) && pre < len(b) && key(a, pre, aNL) == key(b, pre, bNL) {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && key(a, len(a)-1-suf, aNL) == key(b, len(b)-1-suf, bNL) {
		suf++
	}
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	n, m := len(ma), len(mb)
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if key(a, pre+i, aNL) == key(b, pre+j, bNL) {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var ops []diffOp
	for i := 0; i < pre; i++ {
		ops = append(ops, diffOp{' ', a[i], false})
	}
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && key(a, pre+i, aNL) == key(b, pre+j, bNL):
			ops = append(ops, diffOp{' ', ma[i], false})
			i++
			j++
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			ops = append(ops, diffOp{'+', mb[j], bNL && pre+j == len(b)-1})
			j++
		default:
			ops = append(ops, diffOp{'-', ma[i], aNL && pre+i == len(a)-1})
			i++
		}
	}
	for k := 0; k < suf; k++ {
		ai := len(a) - suf + k
		ops = append(ops, diffOp{' ', a[ai], aNL && ai == len(a)-1})
	}
	// Deletions before insertions within a change, as diff(1) prints them.
	for s := 0; s < len(ops); {
		if ops[s].kind == ' ' {
			s++
			continue
		}
		e := s
		for e < len(ops) && ops[e].kind != ' ' {
			e++
		}
		var del, ins []diffOp
		for _, o := range ops[s:e] {
			if o.kind == '-' {
				del = append(del, o)
			} else {
				ins = append(ins, o)
			}
		}
		copy(ops[s:], append(del, ins...))
		s = e
	}
	return ops
}
