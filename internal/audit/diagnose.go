package audit

import (
	"bytes"
	"fmt"

	"github.com/towerops/tower/internal/store"
)

// check returns nil when e continues the chain, else the problem it shows.
// peek returns the entry after e (nil at the end); it is only called once
// something is already wrong, to tell a swap or an insertion from an edit.
func (v *verifier) check(e *store.AuditEntry, peek func() *store.AuditEntry) *Problem {
	selfOK := bytes.Equal(Hash(e.PrevHash, *e), e.Hash)
	linkOK := bytes.Equal(e.PrevHash, v.prevHash)
	seqOK := e.Seq == v.prevSeq+1
	if selfOK && linkOK && seqOK {
		return nil
	}
	if selfOK {
		switch {
		case e.Seq > v.prevSeq+1:
			return missing(v.prevSeq+1, e.Seq-1)
		case !linkOK:
			if s, ok := v.known[string(e.PrevHash)]; ok && s < v.prevSeq {
				return inserted(s, v.prevSeq)
			}
			return &Problem{Kind: Edited, Seq: v.prevSeq, Last: v.prevSeq, Message: fmt.Sprintf(
				"entry %d was edited: its hash was recomputed, and entry %d no longer links to it", v.prevSeq, e.Seq)}
		}
	}
	if s, ok := origSeq(e); ok {
		if s < e.Seq {
			// e was pushed down by entries slipped in before it.
			after := s - 1
			if k, ok := v.known[string(e.PrevHash)]; ok {
				after = k
			}
			return inserted(after, after+e.Seq-s)
		}
		if n := peek(); n != nil && n.Seq == e.Seq+1 && bytes.Equal(n.PrevHash, v.prevHash) &&
			bytes.Equal(hashAt(n, e.Seq), n.Hash) && bytes.Equal(e.PrevHash, n.Hash) {
			return &Problem{Kind: OutOfOrder, Seq: e.Seq, Last: n.Seq,
				Message: fmt.Sprintf("entries %d and %d are out of order: they swapped places", e.Seq, n.Seq)}
		}
		// e was pulled up to close the gap deleted entries left.
		return missing(e.Seq, s-1)
	}
	if n := peek(); n != nil && !linkOK && bytes.Equal(n.PrevHash, v.prevHash) && bytes.Equal(hashAt(n, n.Seq-1), n.Hash) {
		return inserted(v.prevSeq, e.Seq)
	}
	return &Problem{Kind: Edited, Seq: e.Seq, Last: e.Seq,
		Message: fmt.Sprintf("entry %d was edited: its contents no longer match its hash", e.Seq)}
}

func missing(first, last int64) *Problem {
	msg := fmt.Sprintf("entry %d is missing: it was deleted", first)
	if last > first {
		msg = fmt.Sprintf("entries %d to %d are missing: they were deleted", first, last)
	}
	return &Problem{Kind: Missing, Seq: first, Last: last, Message: msg}
}

// inserted reports entries after..last (exclusive of after) as foreign.
func inserted(after, last int64) *Problem {
	msg := fmt.Sprintf("an entry was inserted after %d", after)
	if last > after+1 {
		msg = fmt.Sprintf("%d entries were inserted after %d", last-after, after)
	}
	return &Problem{Kind: Inserted, Seq: after, Last: last, Message: msg}
}
