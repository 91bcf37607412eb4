package linkage

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// headerNames are the column names recognised for each role, after
// lower-casing and turning spaces and hyphens into underscores.
var headerNames = map[string]Role{}

// idHeaders name a record-id column when the caller does not choose one.
var idHeaders = []string{"id", "rec_id", "record_id", "contact_id", "customer_id", "person_id", "lead_id"}

func init() {
	for role, names := range map[Role][]string{
		GivenName:    {"given_name", "first_name", "firstname", "givenname", "forename", "first", "fname"},
		Surname:      {"surname", "last_name", "lastname", "family_name", "lname", "last"},
		Email:        {"email", "email_address", "e_mail", "mail"},
		Phone:        {"phone", "phone_number", "telephone", "tel", "mobile", "mobile_phone", "cell"},
		StreetNumber: {"street_number", "house_number", "street_no", "number"},
		Address:      {"address", "address_1", "address1", "address_line_1", "street", "street_address"},
		Address2:     {"address_2", "address2", "address_line_2"},
		City:         {"city", "suburb", "town", "locality"},
		Postcode:     {"postcode", "post_code", "zip", "zip_code", "zipcode", "postal_code"},
		State:        {"state", "region", "province", "county"},
		DateOfBirth:  {"date_of_birth", "dob", "birthdate", "birth_date", "birthday"},
		Company:      {"company", "account", "company_name", "account_name", "organisation", "organization"},
	} {
		for _, n := range names {
			headerNames[n] = role
		}
	}
}

// HeaderNames lists the recognised column names of a role, for help text.
func HeaderNames(r Role) []string {
	var out []string
	for n, role := range headerNames {
		if role == r {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// ErrMissingColumn: a column the caller named is not in the file.
var ErrMissingColumn = errors.New("column not found")

// CSVOptions say how to read a CSV export into records.
type CSVOptions struct {
	// IDColumn holds the record id. Empty: a column named id, rec_id,
	// record_id, contact_id, customer_id, person_id or lead_id, else the
	// line number ("line 12").
	IDColumn string
	// Columns maps roles to column names, over the recognised names. It is
	// the only way to compare ExternalID.
	Columns map[Role]string
}

// Table is a CSV export read into records.
type Table struct {
	File     string
	Records  []Record
	IDColumn string          // "" when ids are line numbers
	Columns  map[Role]string // the column read for each role
	Skipped  []RowError      // rows left out, each with its reason
}

// RowError is one row left out of a table and why.
type RowError struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

func (e RowError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason) }

// ReadCSV reads a CSV export with a header row. A bad row (wrong number of
// fields, broken quoting, empty or repeated id) is reported in Skipped and
// the rest proceeds; a missing named column or a file with no comparable
// column is an error naming the columns that exist.
func ReadCSV(ctx context.Context, r io.Reader, file string, opts CSVOptions) (*Table, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: the file is empty; a header row naming the columns is needed", file)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: reading the header row: %w", file, err)
	}
	header = slices.Clone(header)
	cols := make([]string, len(header))
	for i, h := range header {
		h = strings.TrimPrefix(h, "\ufeff")
		header[i] = strings.TrimSpace(h)
		cols[i] = strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(header[i]))
	}
	t := &Table{File: file, Columns: map[Role]string{}}
	index := func(name string) int {
		if i := slices.Index(header, name); i >= 0 {
			return i
		}
		return slices.Index(cols, strings.ToLower(name))
	}
	missing := func(what, name string) error {
		return fmt.Errorf("%s: %w: %s %q is not in the header; the columns are: %s",
			file, ErrMissingColumn, what, name, strings.Join(header, ", "))
	}
	idCol := -1
	if opts.IDColumn != "" {
		if idCol = index(opts.IDColumn); idCol < 0 {
			return nil, missing("the id column", opts.IDColumn)
		}
	} else {
		for _, n := range idHeaders {
			if idCol = slices.Index(cols, n); idCol >= 0 {
				break
			}
		}
	}
	if idCol >= 0 {
		t.IDColumn = header[idCol]
	}
	roleCol := map[Role]int{}
	for i, c := range cols {
		if role, ok := headerNames[c]; ok && i != idCol {
			if _, taken := roleCol[role]; !taken {
				roleCol[role] = i
			}
		}
	}
	for role, name := range opts.Columns {
		i := index(name)
		if i < 0 {
			return nil, missing("the "+role.String()+" column", name)
		}
		roleCol[role] = i
	}
	if len(roleCol) == 0 {
		return nil, fmt.Errorf("%s: %w: no column is recognised as a name, email, phone, address or date of birth (the columns are: %s); map one with --col ROLE=COLUMN",
			file, ErrNoFields, strings.Join(header, ", "))
	}
	for role, i := range roleCol {
		t.Columns[role] = header[i]
	}
	seen := map[string]int{}
	lastLine := 0
	for row := 0; ; row++ {
		if row%65536 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			if pe.StartLine <= lastLine && pe.Line <= lastLine {
				// encoding/csv made no progress: stop rather than loop.
				return nil, fmt.Errorf("%s:%d: %w", file, pe.Line, err)
			}
			lastLine = max(pe.Line, pe.StartLine)
			t.Skipped = append(t.Skipped, RowError{file, pe.StartLine, "the row could not be read: " + pe.Err.Error()})
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		line, _ := cr.FieldPos(0)
		lastLine = line
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(rec) != len(header) {
			t.Skipped = append(t.Skipped, RowError{file, line,
				fmt.Sprintf("the row has %d fields but the header has %d", len(rec), len(header))})
			continue
		}
		id := "line " + strconv.Itoa(line)
		if idCol >= 0 {
			id = strings.TrimSpace(rec[idCol])
			if id == "" {
				t.Skipped = append(t.Skipped, RowError{file, line, fmt.Sprintf("the id column %q is empty", header[idCol])})
				continue
			}
			if first, dup := seen[id]; dup {
				t.Skipped = append(t.Skipped, RowError{file, line,
					fmt.Sprintf("id %q was already used on line %d", id, first)})
				continue
			}
			seen[id] = line
		}
		fields := make(map[Role]string, len(roleCol))
		for role, i := range roleCol {
			if v := strings.TrimSpace(rec[i]); v != "" {
				fields[role] = v
			}
		}
		t.Records = append(t.Records, Record{ID: id, Fields: fields})
	}
	return t, nil
}
