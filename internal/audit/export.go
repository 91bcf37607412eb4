package audit

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/towerops/tower/internal/store"
)

// HexBytes prints as a hex string in JSON.
type HexBytes []byte

// MarshalJSON writes b as a hex string.
func (b HexBytes) MarshalJSON() ([]byte, error) { return json.Marshal(hex.EncodeToString(b)) }

// UnmarshalJSON reads a hex string.
func (b *HexBytes) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return err
	}
	v, err := hex.DecodeString(s)
	*b = v
	return err
}

// ExportLine is one line of an export. Data is the entry's JSON byte for
// byte, so the line carries everything needed to recompute Hash; an entry
// whose stored data is not one line of JSON (only possible after
// tampering) has it in DataText instead.
type ExportLine struct {
	Seq      int64           `json:"seq"`
	At       time.Time       `json:"at"`
	Actor    string          `json:"actor"`
	Action   string          `json:"action"`
	Subject  string          `json:"subject"`
	Data     json.RawMessage `json:"data,omitempty"`
	DataText string          `json:"data_text,omitempty"`
	PrevHash HexBytes        `json:"prev_hash"`
	Hash     HexBytes        `json:"hash"`
}

// Export writes the entries at or after since (all when zero) to w as
// NDJSON, one ExportLine per line, in Seq order.
func Export(ctx context.Context, r Lister, since time.Time, w io.Writer) error {
	bw := bufio.NewWriter(w)
	var after int64
	for {
		page, err := r.AuditList(ctx, &store.AuditListParams{AfterSeq: after, Since: since, Limit: verifyPage})
		if err != nil {
			return fmt.Errorf("reading the audit log after entry %d: %w", after, err)
		}
		for _, e := range page {
			if err := writeLine(bw, e); err != nil {
				return fmt.Errorf("exporting entry %d: %w", e.Seq, err)
			}
			after = e.Seq
		}
		if len(page) < verifyPage {
			break
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("exporting the audit log: %w", err)
	}
	return nil
}

// LineOf returns e as an export line, for JSON answers that are not
// exports (json.Marshal compacts Data; Export keeps it byte for byte).
func LineOf(e store.AuditEntry) ExportLine {
	l := ExportLine{Seq: e.Seq, At: e.At.UTC(), Actor: e.Actor, Action: e.Action, Subject: e.Subject,
		PrevHash: e.PrevHash, Hash: e.Hash}
	if json.Valid(e.Data) {
		l.Data = json.RawMessage(e.Data)
	} else {
		l.DataText = string(e.Data)
	}
	return l
}

func writeLine(w *bufio.Writer, e store.AuditEntry) error {
	l := LineOf(e)
	verbatim := l.Data != nil && !bytes.ContainsAny(e.Data, "\r\n")
	if !verbatim {
		l.DataText, l.Data = string(e.Data), nil
	}
	l.Data = nil
	b, err := json.Marshal(l) // Data left out: json.Marshal would compact it
	if err != nil {
		return err
	}
	if verbatim {
		// Splice the exact bytes in before the closing brace.
		b = append(b[:len(b)-1], `,"data":`...)
		b = append(append(b, e.Data...), '}')
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// Entry returns the store entry an export line describes, for recomputing
// its hash.
func (l ExportLine) Entry() store.AuditEntry {
	data := []byte(l.Data)
	if l.Data == nil {
		data = []byte(l.DataText)
	}
	return store.AuditEntry{Seq: l.Seq, At: l.At, Actor: l.Actor, Action: l.Action, Subject: l.Subject,
		Data: data, PrevHash: l.PrevHash, Hash: l.Hash}
}
