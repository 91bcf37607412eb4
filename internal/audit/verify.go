package audit

import (
	"bytes"
	"context"
	"fmt"

	"github.com/towerops/tower/internal/store"
)

// Lister reads the log; store.Queries and store.Store satisfy it.
type Lister interface {
	AuditList(ctx context.Context, p *store.AuditListParams) ([]store.AuditEntry, error)
}

// ProblemKind says how the chain was broken.
type ProblemKind string

// The ways Verify tells apart. Each is named as precisely as the stored
// rows allow: the hash of an entry covers its Seq, so an entry moved to
// another Seq still reveals where it came from.
const (
	// Edited: an entry's fields no longer match its hash, or its hash was
	// recomputed after an edit so the next entry no longer links to it.
	Edited ProblemKind = "edited"
	// Missing: one or more entries were deleted (with or without the later
	// ones renumbered to close the gap).
	Missing ProblemKind = "missing"
	// Inserted: one or more entries that were never appended by Tower sit
	// between two real ones.
	Inserted ProblemKind = "inserted"
	// OutOfOrder: two neighbouring entries swapped places.
	OutOfOrder ProblemKind = "out_of_order"
)

// Problem is the first place the chain does not hold.
type Problem struct {
	Kind ProblemKind `json:"kind"`
	// Seq is the first entry concerned: the edited one, the first missing
	// one, the last good one before an insertion, the first of a swapped pair.
	Seq int64 `json:"seq"`
	// Last is the last entry concerned when several are (missing or
	// inserted runs, the second of a swapped pair); Seq otherwise.
	Last    int64  `json:"last"`
	Message string `json:"message"`
}

// VerifyReport is what Verify found.
type VerifyReport struct {
	OK bool `json:"ok"`
	// Checked counts the entries read before the first problem (all of
	// them when OK).
	Checked int64 `json:"checked"`
	// LastSeq and LastHash are the head of the good part of the chain.
	// Deleting the newest entries leaves a shorter chain that verifies, so
	// an operator who keeps (LastSeq, LastHash) elsewhere can check that
	// the head never moves backwards.
	LastSeq  int64    `json:"last_seq"`
	LastHash HexBytes `json:"last_hash"`
	Problem  *Problem `json:"problem,omitempty"`
}

// verifyPage is how many entries Verify reads at a time.
const verifyPage = 1000

// knownWindow bounds how many recent good hashes Verify remembers to
// recognise where inserted entries were slipped in.
const knownWindow = 4096

// Verify walks the whole chain in Seq order, recomputes every hash and
// checks every link and Seq, and reports the first entry that does not
// fit. A broken chain is a report, not an error; errors are only failures
// to read the log.
func Verify(ctx context.Context, r Lister) (*VerifyReport, error) {
	c := &cursor{ctx: ctx, r: r}
	v := &verifier{known: map[string]int64{}}
	rep := &VerifyReport{OK: true}
	for {
		e, err := c.next()
		if err != nil {
			return nil, err
		}
		if e == nil {
			break
		}
		if p := v.check(e, c.peek); p != nil {
			rep.OK, rep.Problem = false, p
			break
		}
		v.accept(e)
		rep.Checked++
	}
	if err := c.err; err != nil {
		return nil, err
	}
	rep.LastSeq, rep.LastHash = v.prevSeq, v.prevHash
	return rep, nil
}

// cursor pages through the log and lets the verifier look one entry ahead.
type cursor struct {
	ctx  context.Context
	r    Lister
	buf  []store.AuditEntry
	i    int
	done bool
	err  error
}

func (c *cursor) fill() error {
	if c.i < len(c.buf) || c.done {
		return nil
	}
	var after int64
	if len(c.buf) > 0 {
		after = c.buf[len(c.buf)-1].Seq
	}
	page, err := c.r.AuditList(c.ctx, &store.AuditListParams{AfterSeq: after, Limit: verifyPage})
	if err != nil {
		return fmt.Errorf("reading the audit log after entry %d: %w", after, err)
	}
	c.buf, c.i = page, 0
	c.done = len(page) < verifyPage
	return nil
}

func (c *cursor) next() (*store.AuditEntry, error) {
	if err := c.fill(); err != nil {
		return nil, err
	}
	if c.i >= len(c.buf) {
		return nil, nil
	}
	e := &c.buf[c.i]
	c.i++
	return e, nil
}

// peek returns the entry after the last one next returned, or nil.
func (c *cursor) peek() *store.AuditEntry {
	if c.i < len(c.buf) {
		return &c.buf[c.i]
	}
	if c.done {
		return nil
	}
	// Keep the current entry reachable: next page starts after it.
	last := c.buf[len(c.buf)-1]
	page, err := c.r.AuditList(c.ctx, &store.AuditListParams{AfterSeq: last.Seq, Limit: verifyPage})
	if err != nil {
		c.err = fmt.Errorf("reading the audit log after entry %d: %w", last.Seq, err)
		return nil
	}
	c.buf, c.i = append([]store.AuditEntry{last}, page...), 1
	c.done = len(page) < verifyPage
	if len(page) == 0 {
		return nil
	}
	return &c.buf[1]
}

// verifier holds the last good entry and recent good hashes.
type verifier struct {
	prevSeq  int64
	prevHash []byte
	known    map[string]int64 // hash → seq of recent good entries
	order    []string
}

func (v *verifier) accept(e *store.AuditEntry) {
	v.prevSeq, v.prevHash = e.Seq, e.Hash
	k := string(e.Hash)
	v.known[k] = e.Seq
	v.order = append(v.order, k)
	if len(v.order) > knownWindow {
		delete(v.known, v.order[0])
		v.order = v.order[1:]
	}
}

// hashAt recomputes e's hash as if it had sequence number seq.
func hashAt(e *store.AuditEntry, seq int64) []byte {
	c := *e
	c.Seq = seq
	return Hash(e.PrevHash, c)
}

// origSeq finds the Seq e was hashed with, near its current one: an entry
// renumbered by a deletion, insertion or swap still names its old place.
func origSeq(e *store.AuditEntry) (int64, bool) {
	const reach = 64
	for d := int64(1); d <= reach; d++ {
		for _, s := range []int64{e.Seq - d, e.Seq + d} {
			if s > 0 && bytes.Equal(hashAt(e, s), e.Hash) {
				return s, true
			}
		}
	}
	return 0, false
}
