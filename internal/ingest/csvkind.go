package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// csvSpec is everything the importer knows about one CSV kind: its
// columns, how a row becomes a foundation value, the value's natural key
// and the store call that writes a batch.
type csvSpec[T any] struct {
	kind   Kind
	layout layout
	// decode builds a value from a row, recording problems on the row.
	decode func(r *row) T
	// validate is the value's foundation Validate method.
	validate func(v *T) error
	// key adds the parts of the natural key to d; describe names the key
	// in a duplicate message (`id "O-1"`).
	key      func(d *dedupe, v *T)
	describe func(v *T) string
	// keyColumn is the column a duplicate is reported on.
	keyColumn string
	write     func(ctx context.Context, q store.Queries, items []T) (*store.UpsertResult, error)
}

// csvDecoder reads one file of a kind row by row.
type csvDecoder[T any] struct {
	spec     *csvSpec[T]
	file     string
	cr       *csvReader
	h        *header
	row      row
	seen     *dedupe
	errs     []RowError
	warnings []string
}

// newDecoder reads the file's header. A refusal means the file as a whole
// cannot be imported; an error is a failed read.
func (s *csvSpec[T]) newDecoder(src io.Reader, file string) (*csvDecoder[T], *refusal, error) {
	return s.newDecoderSize(src, file, 0)
}

func (s *csvSpec[T]) newDecoderSize(src io.Reader, file string, bufSize int) (*csvDecoder[T], *refusal, error) {
	cr := newCSVReader(src, bufSize)
	bom, why := skipBOM(cr.br)
	if why != "" {
		return nil, &refusal{reason: why}, nil
	}
	cr.off = int64(bom)
	switch err := cr.read(); {
	case err == io.EOF:
		return nil, &refusal{reason: "the file is empty; it needs a header row naming its columns (" +
			s.requiredText() + ")"}, nil
	case err != nil:
		return nil, nil, fmt.Errorf("reading %s: %w", file, err)
	}
	if p, bad := cr.problemOf(); bad {
		if ref := delimiterRefusal(string(cr.rawRow())); ref != nil {
			ref.line = cr.recLine
			return nil, ref, nil
		}
		return nil, &refusal{line: cr.recLine, reason: "the header row is unreadable: " + p.reason}, nil
	}
	for _, f := range cr.fields {
		if strings.ContainsRune(f, 0) {
			return nil, &refusal{line: cr.recLine, reason: utf16Reason}, nil
		}
	}
	h, warnings, ref := readHeader(cr.fields, &s.layout)
	if ref != nil {
		ref.line = cr.recLine
		return nil, ref, nil
	}
	d := &csvDecoder[T]{spec: s, file: file, cr: cr, h: h, seen: newDedupe(), warnings: warnings}
	d.row.h = h
	return d, nil, nil
}

func (s *csvSpec[T]) requiredText() string {
	var names []string
	for _, c := range s.layout.columns {
		if c.required {
			names = append(names, c.name)
		}
	}
	if len(s.layout.anyOf) > 0 {
		names = append(names, strings.Join(s.layout.anyOf, " or "))
	}
	return "at least " + strings.Join(names, ", ")
}

// next reads the next row. It returns the value and nil when the row is
// good, or the row's problems (valid until the next call); io.EOF after
// the last row; any other error is a failed read of the file.
func (d *csvDecoder[T]) next() (T, []RowError, error) {
	var zero T
	if err := d.cr.read(); err != nil {
		if err != io.EOF {
			err = fmt.Errorf("reading %s: %w", d.file, err)
		}
		return zero, nil, err
	}
	d.errs = d.errs[:0]
	if p, bad := d.cr.problemOf(); bad {
		return zero, d.fail(d.columnName(p.field), p.reason), nil
	}
	fields, width := d.cr.fields, len(d.h.names)
	if len(fields) < width {
		return zero, d.fail(d.h.names[len(fields)], fmt.Sprintf("the row has %d values but the header has %d "+
			"columns; values are missing from here on", len(fields), width)), nil
	}
	if len(fields) > width && !allBlank(fields[width:]) {
		return zero, d.fail(d.columnName(width), fmt.Sprintf("the row has %d values but the header has %d "+
			"columns; a value containing a comma must be enclosed in double quotes", len(fields), width)), nil
	}
	d.row.fields, d.row.problems = fields, d.row.problems[:0]
	v := d.spec.decode(&d.row)
	if len(d.row.problems) > 0 {
		for _, p := range d.row.problems {
			d.fail(p.column, p.reason)
		}
		return zero, d.errs, nil
	}
	if err := d.spec.validate(&v); err != nil {
		var fe *foundation.FieldError
		if errors.As(err, &fe) {
			return zero, d.fail(fe.Field, fe.Reason), nil
		}
		return zero, d.fail(d.h.names[0], err.Error()), nil
	}
	d.spec.key(d.seen, &v)
	if first := d.seen.seen(d.cr.recLine); first != 0 {
		return zero, d.fail(d.spec.keyColumn, fmt.Sprintf("duplicate %s, first on line %d", d.spec.describe(&v), first)), nil
	}
	return v, nil, nil
}

func (d *csvDecoder[T]) fail(column, reason string) []RowError {
	var raw string
	if len(d.errs) == 0 {
		raw = rowText(d.cr.rawRow(), d.cr.rawCut)
	} else {
		raw = d.errs[0].Row
	}
	d.errs = append(d.errs, RowError{File: d.file, Line: d.cr.recLine, Column: column, Reason: reason, Row: raw})
	return d.errs
}

// columnName names field i: its header name, or "column N" past the header.
func (d *csvDecoder[T]) columnName(i int) string {
	if i < len(d.h.names) {
		return d.h.names[i]
	}
	return fmt.Sprintf("column %d", i+1)
}

// line and raw describe the row next last returned.
func (d *csvDecoder[T]) line() int64 { return d.cr.recLine }
func (d *csvDecoder[T]) raw() []byte { return d.cr.rawRow() }

// offset is how many bytes of the file have been read.
func (d *csvDecoder[T]) offset() int64 { return d.cr.off }

func allBlank(fields []string) bool {
	for _, f := range fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// csvKind is a csvSpec without its type parameter, as the rest of the
// package uses it.
type csvKind interface {
	importFile(ctx context.Context, st store.Store, src source, opts Options, fr *FileReport, sink *errorSink) error
	// check reads a file as an import would, without a database: every
	// problem goes to report, and it returns how many rows were good.
	// bufSize is the read buffer (0: the default).
	check(src io.Reader, file string, bufSize int, report func(RowError)) (good int64, err error)
	// columnNames lists the kind's columns in layout order.
	columnNames() []string
}

var csvKinds = map[Kind]csvKind{
	KindOwners: ownersSpec, KindAccounts: accountsSpec, KindProducts: productsSpec, KindPeople: peopleSpec,
	KindConsent: consentSpec, KindHoldings: holdingsSpec, KindCampaigns: campaignsSpec,
	KindCampaignDays: campaignDaysSpec, KindLicenses: licensesSpec, KindLicenseUsage: licenseUsageSpec,
}

func (s *csvSpec[T]) columnNames() []string {
	names := make([]string, len(s.layout.columns))
	for i, c := range s.layout.columns {
		names[i] = c.name
	}
	return names
}

func (s *csvSpec[T]) check(src io.Reader, file string, bufSize int, report func(RowError)) (int64, error) {
	d, ref, err := s.newDecoderSize(src, file, bufSize)
	if err != nil {
		return 0, err
	}
	if ref != nil {
		report(RowError{File: file, Line: ref.line, Column: ref.column, Reason: ref.reason})
		return 0, nil
	}
	var good int64
	for {
		_, errs, err := d.next()
		if err == io.EOF {
			return good, nil
		}
		if err != nil {
			return good, err
		}
		if errs == nil {
			good++
		}
		for _, e := range errs {
			report(e)
		}
	}
}
