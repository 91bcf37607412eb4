package csvdir

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/towerops/tower/internal/connect"
	"github.com/towerops/tower/internal/foundation"
)

// editable are the people.csv columns update_field may set; a trait
// ("traits.NAME") sets, or adds, the column NAME.
var editable = []string{"email", "first_name", "last_name", "title", "phone", "account_id", "country", "region"}

// push is one push's plan: the rows to append and the results to fill
// once each file is written.
type push struct {
	f           *folder
	now         time.Time
	peopleDirty bool
	peopleFor   []int
	consentRows [][]string
	consentFor  []int
	mergeRows   [][]string
	mergeFor    []int
}

// Push applies changes to the files: it reads them once, decides each
// change, then writes people.csv (if a field changed), consent.csv and
// merges.csv once each. A change whose file fails to write gets that
// failure; the others keep their result.
func (c *Connector) Push(ctx context.Context, changes []connect.Change) []connect.Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	res := make([]connect.Result, len(changes))
	for i, ch := range changes {
		res[i].Key = ch.Key
	}
	f, err := c.load()
	if err != nil {
		for i := range res {
			res[i].Err = err
		}
		return res
	}
	p := &push{f: f, now: c.env.Clock.Now().UTC().Truncate(time.Second)}
	for i, ch := range changes {
		if err := ctx.Err(); err != nil {
			res[i].Err = err
			continue
		}
		res[i].Err = c.plan(p, i, ch)
	}
	fail := func(idx []int, err error) {
		err = connect.Temporary(fmt.Errorf("csvdir: %w", err), 0)
		for _, i := range idx {
			res[i].Err = err
		}
	}
	if p.peopleDirty {
		if err := rewrite(c.path(PeopleFile), f.people); err != nil {
			fail(p.peopleFor, err)
		}
	}
	hdr := consentHeader
	if f.consent != nil {
		hdr = f.consent.header
	}
	if err := appendRows(c.path(ConsentFile), hdr, p.consentRows); err != nil {
		fail(p.consentFor, err)
	}
	mhdr := mergesHeader
	if f.merges != nil {
		mhdr = f.merges.header
	}
	if err := appendRows(c.path(MergesFile), mhdr, p.mergeRows); err != nil {
		fail(p.mergeFor, err)
	}
	return res
}

// plan decides change i: nil with nothing written when the files already
// show it, nil with a row planned when not, or why it cannot be done.
func (c *Connector) plan(p *push, i int, ch connect.Change) error {
	switch ch.Op {
	case connect.OpSuppress, connect.OpUnsuppress:
		return c.planConsent(p, i, ch)
	case connect.OpUpdateField:
		return c.planField(p, i, ch)
	case connect.OpMerge:
		return c.planMerge(p, i, ch)
	case connect.OpUnmerge:
		return connect.Unsupported(Kind, ch.Op, "remove the record's row from "+MergesFile+" by hand")
	}
	return connect.Unsupported(Kind, ch.Op, "")
}

func (c *Connector) known(p *push, id string) error {
	if _, ok := p.f.rowOf[id]; !ok {
		return fmt.Errorf("csvdir: record %q of system %q is not in %s", id, c.cfg.System, PeopleFile)
	}
	return nil
}

func (c *Connector) planConsent(p *push, i int, ch connect.Change) error {
	status := foundation.StatusSubscribed
	if ch.Op == connect.OpSuppress {
		status = ch.Status
		if status == "" {
			status = foundation.StatusDoNotContact
		}
		if !slices.Contains(foundation.ConsentStatuses, status) || status.Sendable() {
			return fmt.Errorf("csvdir: suppress with status %q: use unsubscribed, complaint, hard_bounce, soft_bounce or do_not_contact", status)
		}
	}
	channel := ch.Channel
	if channel == "" {
		channel = foundation.ChannelEmail
	}
	if !slices.Contains(foundation.Channels, channel) {
		return fmt.Errorf("csvdir: channel %q: use email, sms or phone", channel)
	}
	switch {
	case ch.SystemID != "":
		if err := c.known(p, ch.SystemID); err != nil {
			return err
		}
	case foundation.NormalizeEmail(ch.Email) == "":
		return fmt.Errorf("csvdir: %s: the change names neither a record nor an e-mail address", ch.Op)
	}
	s := subjectOf(ch.SystemID, ch.Email, channel)
	old, had := p.f.newest[s]
	if had && old.status == status && old.reason == ch.Reason {
		return nil
	}
	at := p.now
	if had && !at.After(old.at) {
		// Keep the new fact strictly newest, so importing the folder
		// elsewhere orders it after the one it replaces.
		at = old.at.Add(time.Second)
	}
	hdr := consentHeader
	if p.f.consent != nil {
		hdr = p.f.consent.header
	}
	row, err := rowFor(hdr, ConsentFile, map[string]string{"system": c.cfg.System, "system_id": ch.SystemID,
		"email": ch.Email, "channel": string(channel), "status": string(status), "reason": ch.Reason, "at": at.Format(time.RFC3339)})
	if err != nil {
		return err
	}
	p.f.newest[s] = fact{status, ch.Reason, at}
	p.consentRows, p.consentFor = append(p.consentRows, row), append(p.consentFor, i)
	return nil
}

// rowFor lays values out in header's column order. It refuses when the
// file has no column for a value that identifies the fact.
func rowFor(header []string, file string, values map[string]string) ([]string, error) {
	row := make([]string, len(header))
	placed := map[string]bool{}
	for j, h := range header {
		n := normColumn(h)
		if v, ok := values[n]; ok {
			row[j], placed[n] = v, true
		}
	}
	for _, must := range []string{"system_id", "email"} {
		if values[must] != "" && !placed[must] && (must == "system_id" || values["system_id"] == "") {
			return nil, fmt.Errorf("csvdir: %s has no %s column to write this change to", file, must)
		}
	}
	return row, nil
}

// column is the people.csv column a Tower field is kept in.
func column(field string) (string, error) {
	if name, ok := strings.CutPrefix(field, "traits."); ok && normColumn(name) != "" {
		return normColumn(name), nil
	}
	if slices.Contains(editable, field) {
		return field, nil
	}
	return "", fmt.Errorf("csvdir: field %q cannot be set in %s (use %s or traits.NAME)", field, PeopleFile, strings.Join(editable, ", "))
}

func (c *Connector) planField(p *push, i int, ch connect.Change) error {
	col, err := column(ch.Field)
	if err != nil {
		return err
	}
	if p.f.people == nil {
		return fmt.Errorf("csvdir: %s does not exist in %s, so record %q cannot be updated", PeopleFile, c.dir, ch.SystemID)
	}
	if err := c.known(p, ch.SystemID); err != nil {
		return err
	}
	t := p.f.people
	if !t.has(col) {
		t.index[col] = len(t.header)
		t.header = append(t.header, col)
		for k := range t.rows {
			t.rows[k].fields = append(t.rows[k].fields, "")
		}
	}
	r := t.rows[p.f.rowOf[ch.SystemID]]
	if t.col(r, col) == ch.Value {
		return nil
	}
	r.fields[t.index[col]] = ch.Value
	if j, ok := t.index["updated_at"]; ok {
		r.fields[j] = p.now.Format(time.RFC3339)
	}
	p.peopleDirty = true
	p.peopleFor = append(p.peopleFor, i)
	return nil
}

func (c *Connector) planMerge(p *push, i int, ch connect.Change) error {
	if ch.IntoID == "" {
		return fmt.Errorf("csvdir: merge of %q names no record to merge into", ch.SystemID)
	}
	if ch.IntoID == ch.SystemID {
		return fmt.Errorf("csvdir: record %q cannot be merged into itself", ch.SystemID)
	}
	for _, id := range []string{ch.SystemID, ch.IntoID} {
		if err := c.known(p, id); err != nil {
			return err
		}
	}
	if p.f.mergeKeys[ch.Key] || p.f.mergedTo[ch.SystemID] == ch.IntoID {
		return nil
	}
	hdr := mergesHeader
	if p.f.merges != nil {
		hdr = p.f.merges.header
	}
	row, err := rowFor(hdr, MergesFile, map[string]string{"system_id": ch.SystemID, "into_id": ch.IntoID, "key": ch.Key,
		"at": p.now.Format(time.RFC3339)})
	if err != nil {
		return err
	}
	p.f.mergeKeys[ch.Key], p.f.mergedTo[ch.SystemID] = true, ch.IntoID
	p.mergeRows = append(p.mergeRows, row)
	p.mergeFor = append(p.mergeFor, i)
	return nil
}
