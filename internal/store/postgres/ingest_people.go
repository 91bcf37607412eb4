package postgres

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// ingestPerson is what identify and group read and change of a person.
type ingestPerson struct {
	id                   int64
	key, email           string
	first, last, account string
	traits               map[string]json.RawMessage // compact values
	created, changed     bool
}

// identify updates or creates the person of message i and links its ids.
func (r *ingestRun) identify(ctx context.Context, i int) error {
	e := &r.es[i]
	var msg map[string]json.RawMessage
	if len(bytes.TrimSpace(e.Traits)) > 0 {
		if err := json.Unmarshal(e.Traits, &msg); err != nil {
			return fmt.Errorf("traits: %w", err)
		}
	}
	email := r.emails[i]
	id := r.resolve(i)
	var p *ingestPerson
	var born bool
	var err error
	switch {
	case id != 0:
		if p, err = r.load(ctx, id); err != nil {
			return err
		}
	case email != "":
		if p, born, err = r.create(ctx, email, msg); err != nil {
			return err
		}
	default:
		return nil // nobody to tell about: the event waits for its ids to be linked
	}
	changed := false
	for k, v := range msg {
		if string(v) == "null" {
			if _, ok := p.traits[k]; ok {
				delete(p.traits, k)
				changed = true
			}
			continue
		}
		var c bytes.Buffer
		if err := json.Compact(&c, v); err != nil {
			return fmt.Errorf("trait %s: %w", k, err)
		}
		if old, ok := p.traits[k]; !ok || !bytes.Equal(old, c.Bytes()) {
			p.traits[k] = c.Bytes()
			changed = true
		}
	}
	if p.email == "" && email != "" {
		p.email, changed = email, true
		if r.byEmail[email] == 0 {
			r.byEmail[email] = p.id
		}
	}
	if changed {
		p.changed = true
		if !born {
			r.res.PeopleUpdated++
		}
	}
	r.claim(e.UserID, p.id, "identify")
	r.claim(e.AnonymousID, p.id, "identify")
	return nil
}

// group sets the account of message i's person when the account exists.
func (r *ingestRun) group(ctx context.Context, i int) error {
	e := &r.es[i]
	if !r.accounts[e.GroupID] {
		r.res.AccountsUnknown++
		return nil
	}
	id := r.resolve(i)
	if id == 0 {
		return nil
	}
	p, err := r.load(ctx, id)
	if err != nil {
		return err
	}
	if p.account != e.GroupID {
		p.account, p.changed = e.GroupID, true
		r.res.AccountsLinked++
	}
	return nil
}

// load reads a person once per call.
func (r *ingestRun) load(ctx context.Context, id int64) (*ingestPerson, error) {
	if p := r.people[id]; p != nil {
		return p, nil
	}
	p := &ingestPerson{id: id}
	var traits string
	err := r.tx.QueryRow(ctx, `SELECT key, email, first_name, last_name, coalesce(account_id, ''), traits::text
		FROM people WHERE id = $1`, id).Scan(&p.key, &p.email, &p.first, &p.last, &p.account, &traits)
	if err != nil {
		return nil, fmt.Errorf("read person %d: %w", id, err)
	}
	if p.traits, err = compactTraits(traits); err != nil {
		return nil, fmt.Errorf("person %d: %w", id, err)
	}
	r.people[id] = p
	return p, nil
}

// compactTraits reads stored traits with every value compact, so a
// value is unchanged exactly when its bytes are.
func compactTraits(s string) (map[string]json.RawMessage, error) {
	out := map[string]json.RawMessage{}
	if s == "" {
		return out, nil
	}
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		return nil, fmt.Errorf("stored traits: %w", err)
	}
	for k, v := range out {
		var c bytes.Buffer
		if err := json.Compact(&c, v); err != nil {
			return nil, err
		}
		out[k] = c.Bytes()
	}
	return out, nil
}

// create makes a person for an address nobody has, keyed as the record
// import keys people, so a later import of the same address finds it.
// A person already keyed by the address but merged away resolves to the
// one it was merged into instead: the key is taken. The row is inserted
// now, for its id; its traits are written with the run. Two nodes
// creating the same person collide on the key, and the loser's batch is
// run again (see batch), finding the winner's.
func (r *ingestRun) create(ctx context.Context, email string, msg map[string]json.RawMessage) (*ingestPerson, bool, error) {
	key := "email:" + email
	var id int64
	err := r.tx.QueryRow(ctx, `SELECT id FROM people WHERE key = $1`, key).Scan(&id)
	switch {
	case err == nil:
		if err := r.mergedOf(ctx, []int64{id}); err != nil {
			return nil, false, err
		}
		p, err := r.load(ctx, r.final(id))
		if err == nil {
			r.byEmail[email] = p.id
		}
		return p, false, err
	case !errors.Is(err, pgx.ErrNoRows):
		return nil, false, fmt.Errorf("find person %s: %w", key, err)
	}
	p := &ingestPerson{key: key, email: email, created: true,
		first: traitText(msg, "firstName", "first_name"), last: traitText(msg, "lastName", "last_name"),
		traits: map[string]json.RawMessage{}}
	err = r.tx.QueryRow(ctx, `INSERT INTO people (key, email, first_name, last_name) VALUES ($1, $2, $3, $4)
		RETURNING id`, key, email, p.first, p.last).Scan(&p.id)
	if err != nil {
		return nil, false, fmt.Errorf("create person %s: %w", key, err)
	}
	r.people[p.id] = p
	r.byEmail[email] = p.id
	r.res.PeopleCreated++
	return p, true, nil
}

// traitText is the first of keys that holds a string.
func traitText(msg map[string]json.RawMessage, keys ...string) string {
	for _, k := range keys {
		var s string
		if v, ok := msg[k]; ok && json.Unmarshal(v, &s) == nil && s != "" {
			return s
		}
	}
	return ""
}
