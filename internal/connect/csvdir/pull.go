package csvdir

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/towerops/tower/internal/connect"
	"github.com/towerops/tower/internal/foundation"
)

// BadRowsError lists the rows a pull skipped. Everything else was
// emitted; the caller decides whether a pull with bad rows failed.
type BadRowsError struct {
	Problems []RowProblem
}

func (e *BadRowsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "csvdir: %d bad rows skipped", len(e.Problems))
	for i, p := range e.Problems {
		if i == 5 {
			fmt.Fprintf(&b, "; and %d more", len(e.Problems)-5)
			break
		}
		b.WriteString("; ")
		b.WriteString(p.String())
	}
	return b.String()
}

// peopleCore are people.csv's own columns; any other becomes a trait.
var peopleCore = []string{"system", "system_id", "email", "first_name", "last_name", "title", "phone",
	"account_id", "country", "region", "created_at", "updated_at"}

// Pull emits the folder's records (people.csv), then its consent facts
// (consent.csv), PageSize at a time, keeping the rows whose system is the
// connector's (a file without a system column belongs to it whole). A
// missing file is nothing to read; bad rows come back in a *BadRowsError
// once the good ones were emitted.
func (c *Connector) Pull(ctx context.Context, emit func(context.Context, connect.Batch) error) error {
	var problems []RowProblem
	recs, probs, err := c.readRecords(ctx)
	problems = append(problems, probs...)
	if err != nil {
		return err
	}
	for page := range slices.Chunk(recs, PageSize) {
		if err := emit(ctx, connect.Batch{Records: page}); err != nil {
			return err
		}
	}
	facts, probs, err := c.readConsent(ctx)
	problems = append(problems, probs...)
	if err != nil {
		return err
	}
	for page := range slices.Chunk(facts, PageSize) {
		if err := emit(ctx, connect.Batch{Consent: page}); err != nil {
			return err
		}
	}
	if len(problems) > 0 {
		for _, p := range problems {
			c.env.Log.WarnContext(ctx, "csvdir: bad row skipped", "connector", c.cfg.Name, "row", p.String())
		}
		return &BadRowsError{Problems: problems}
	}
	return nil
}

// byLine puts one file's problems in the order a person reads the file.
func byLine(ps []RowProblem) []RowProblem {
	slices.SortStableFunc(ps, func(a, b RowProblem) int { return a.Line - b.Line })
	return ps
}

// ours reports whether a row belongs to this connector's system.
func (c *Connector) ours(t *table, r tableRow) bool {
	return !t.has("system") || t.col(r, "system") == c.cfg.System
}

func (c *Connector) readRecords(ctx context.Context) ([]foundation.Record, []RowProblem, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	t, problems, err := readTable(c.path(PeopleFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, problems, fmt.Errorf("csvdir: %w", err)
	}
	if !t.has("system_id") {
		return nil, problems, fmt.Errorf("csvdir: %s: line 1: the column system_id is missing; it names each record", t.file)
	}
	var out []foundation.Record
	first := map[string]int{}
	for _, r := range t.rows {
		if !c.ours(t, r) {
			continue
		}
		rec, p := c.recordOf(t, r)
		if p == nil {
			if line, dup := first[rec.SystemID]; dup {
				p = &RowProblem{File: t.file, Line: r.line, Column: "system_id",
					Reason: fmt.Sprintf("duplicate system_id %q, first on line %d", rec.SystemID, line)}
			}
		}
		if p != nil {
			problems = append(problems, *p)
			continue
		}
		first[rec.SystemID] = r.line
		out = append(out, rec)
	}
	return out, byLine(problems), nil
}

func (c *Connector) recordOf(t *table, r tableRow) (foundation.Record, *RowProblem) {
	rec := foundation.Record{System: c.cfg.System, SystemID: t.col(r, "system_id"), Email: t.col(r, "email"),
		FirstName: t.col(r, "first_name"), LastName: t.col(r, "last_name"), Title: t.col(r, "title"),
		Phone: t.col(r, "phone"), AccountID: t.col(r, "account_id"), Country: t.col(r, "country"), Region: t.col(r, "region")}
	for _, col := range []string{"created_at", "updated_at"} {
		at, err := parseTime(t.col(r, col))
		if err != nil {
			return rec, &RowProblem{File: t.file, Line: r.line, Column: col, Reason: err.Error()}
		}
		if col == "created_at" {
			rec.CreatedAt = at
		} else {
			rec.UpdatedAt = at
		}
	}
	for name, i := range t.index {
		if slices.Contains(peopleCore, name) || i >= len(r.fields) {
			continue
		}
		if v := strings.TrimSpace(r.fields[i]); v != "" {
			if rec.Traits == nil {
				rec.Traits = foundation.Traits{}
			}
			rec.Traits[name] = v
		}
	}
	if err := rec.Validate(); err != nil {
		return rec, problemOf(t, r, err)
	}
	return rec, nil
}

func (c *Connector) readConsent(ctx context.Context) ([]foundation.Consent, []RowProblem, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	t, problems, err := readTable(c.path(ConsentFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, problems, fmt.Errorf("csvdir: %w", err)
	}
	if err := consentHeaderOK(t); err != nil {
		return nil, problems, err
	}
	var out []foundation.Consent
	for _, r := range t.rows {
		if !c.ours(t, r) {
			continue
		}
		f, p := c.factOf(t, r)
		if p != nil {
			problems = append(problems, *p)
			continue
		}
		out = append(out, f)
	}
	return out, byLine(problems), nil
}

// consentHeader checks consent.csv has the columns a fact needs.
func consentHeaderOK(t *table) error {
	if !t.has("system_id") && !t.has("email") {
		return fmt.Errorf("csvdir: %s: line 1: the file needs a system_id or an email column", t.file)
	}
	for _, col := range []string{"channel", "status", "at"} {
		if !t.has(col) {
			return fmt.Errorf("csvdir: %s: line 1: the column %s is missing", t.file, col)
		}
	}
	return nil
}

func (c *Connector) factOf(t *table, r tableRow) (foundation.Consent, *RowProblem) {
	f := foundation.Consent{System: c.cfg.System, SystemID: t.col(r, "system_id"),
		Email:   foundation.NormalizeEmail(t.col(r, "email")),
		Channel: foundation.Channel(strings.ToLower(t.col(r, "channel"))), Status: foundation.ConsentStatus(strings.ToLower(t.col(r, "status"))),
		Reason: t.col(r, "reason")}
	at, err := parseTime(t.col(r, "at"))
	if err != nil {
		return f, &RowProblem{File: t.file, Line: r.line, Column: "at", Reason: err.Error()}
	}
	f.At = at
	if err := f.Validate(); err != nil {
		return f, problemOf(t, r, err)
	}
	return f, nil
}

// problemOf turns a foundation validation error into a row problem,
// naming the column when the error does.
func problemOf(t *table, r tableRow, err error) *RowProblem {
	var fe *foundation.FieldError
	if errors.As(err, &fe) {
		return &RowProblem{File: t.file, Line: r.line, Column: fe.Field, Reason: fe.Reason}
	}
	return &RowProblem{File: t.file, Line: r.line, Reason: err.Error()}
}

// parseTime reads a date-time with its zone, or a bare date (midnight
// UTC), as docs/import.md asks; "" is the zero time.
func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if len(s) == 10 {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return time.Time{}, fmt.Errorf("%q is not a date such as 2025-03-01", s)
		}
		return t, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02 15:04:05Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date-time with a time zone, such as 2025-03-01T10:00:00Z", s)
}
