package ingest

import (
	"strings"
	"testing"
)

// checkCSV reads in as a file of kind without a database.
func checkCSV(t *testing.T, kind Kind, in string) (int64, []RowError) {
	t.Helper()
	var errs []RowError
	good, err := csvKinds[kind].check(strings.NewReader(in), kind.FileName(), 0, func(e RowError) { errs = append(errs, e) })
	if err != nil {
		t.Fatalf("check: %v", err)
	}
	return good, errs
}

// wantErrors compares errors by line, column and a fragment of the reason.
type wantErr struct {
	line   int64
	column string
	reason string
}

func expectErrors(t *testing.T, got []RowError, want ...wantErr) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%s", len(got), len(want), errorLines(got))
	}
	for i, w := range want {
		g := got[i]
		if g.Line != w.line || g.Column != w.column || !strings.Contains(g.Reason, w.reason) {
			t.Errorf("error %d = %s\nwant line %d column %q reason containing %q", i, g, w.line, w.column, w.reason)
		}
	}
}

func errorLines(errs []RowError) string {
	var b strings.Builder
	for _, e := range errs {
		b.WriteString("  " + e.String() + "\n")
	}
	return b.String()
}

func TestCSVFileProblems(t *testing.T) {
	tests := []struct {
		name string
		kind Kind
		in   string
		good int64
		want []wantErr
	}{
		{"MissingRequiredColumn", KindPeople, "system,id,email\ncrm,1,a@x.test\n", 0,
			[]wantErr{{1, "system_id", `the required column "system_id" is missing; the header has: system, id, email`}}},
		{"ConsentNeedsSystemIDOrEmail", KindConsent, "system,channel,status,at\n", 0,
			[]wantErr{{1, "system_id", `the file needs a "system_id" or a "email" column`}}},
		{"EmptyFile", KindOwners, "", 0,
			[]wantErr{{0, "", "the file is empty; it needs a header row naming its columns (at least id, name, email)"}}},
		{"OnlyBlankLines", KindOwners, "\n\r\n", 0, []wantErr{{0, "", "the file is empty"}}},
		{"HeaderOnly", KindOwners, "id,name,email\n", 0, nil},
		{"Semicolons", KindPeople, "system;system_id;email\ncrm;1;a@x.test\n", 0,
			[]wantErr{{1, "", "this file uses ';' between columns; Tower reads comma-separated files — re-export as CSV with commas"}}},
		{"SemicolonsQuoted", KindPeople, "\"system\";\"system_id\";\"email\"\n", 0,
			[]wantErr{{1, "", "this file uses ';' between columns"}}},
		{"SemicolonInOneHeaderCell", KindPeople, "system,system_id;email\n", 0,
			[]wantErr{{1, "system_id", "this file uses ';' between columns"}}},
		{"Tabs", KindPeople, "system\tsystem_id\n", 0, []wantErr{{1, "", "this file uses tabs between columns"}}},
		{"DuplicateHeader", KindOwners, "id,name,email,Name\n", 0,
			[]wantErr{{1, "name", `column "name" appears twice in the header (columns 2 and 4)`}}},
		{"UTF16", KindOwners, "\xff\xfei\x00d\x00", 0, []wantErr{{0, "", "this file is UTF-16"}}},
		{"BOMAndCaseInsensitiveHeader", KindOwners, "\xef\xbb\xbf ID , Name,E-Mail\r\nO-1,Ana,ana@x.test\r\n", 0,
			[]wantErr{{1, "email", `the required column "email" is missing; the header has: id, name, e_mail`}}},
		{"HeaderNamesNormalised", KindPeople, "\xef\xbb\xbfSystem,System ID,EMAIL\r\ncrm,1,a@x.test\r\n", 1, nil},
		{"BadDatesNumbersEnumsAllReported", KindCampaigns,
			"id,name,channel,start_date,budget,goal\n" +
				"C-1,Spring,e-mail,03/01/2025,\"1,234.5\",sales\n" +
				"C-2,Summer,email,2025-06-01,500,clicks\n", 1,
			[]wantErr{
				{2, "channel", `"e-mail" is not one of email, paid_search, paid_social, webinar, display, direct_mail, sales_sequence`},
				{2, "start_date", "write dates year-month-day"},
				{2, "budget", "remove the thousands separators (write 1234.5, not 1,234.5)"},
				{2, "goal", `"sales" is not one of clicks, conversions, revenue, signups`},
			}},
		{"RequiredValueEmpty", KindOwners, "id,name,email\nO-1,,a@x.test\n", 0,
			[]wantErr{{2, "name", "is empty; it is required"}}},
		{"DuplicateKey", KindOwners, "id,name,email\nO-1,Ana,a@x.test\nO-2,Bo,b@x.test\nO-1,Ana S,a@x.test\n", 2,
			[]wantErr{{4, "id", `duplicate id "O-1", first on line 2`}}},
		{"DuplicateAfterMultiLineValue", KindAccounts, "id,name,notes\nA-1,Acme,\"two\nlines\"\nA-1,Acme,x\n", 1,
			[]wantErr{{4, "id", `duplicate id "A-1", first on line 2`}}},
		{"DuplicateOfABadRowIsNotADuplicate", KindOwners, "id,name,email\nO-1,,a@x.test\nO-1,Ana,a@x.test\n", 1,
			[]wantErr{{2, "name", "is empty"}}},
		{"RaggedShort", KindOwners, "id,name,email,team\nO-1,Ana\n", 0,
			[]wantErr{{2, "email", "the row has 2 values but the header has 4 columns"}}},
		{"RaggedLong", KindOwners, "id,name,email\nO-1,Ana,a@x.test,sales\n", 0,
			[]wantErr{{2, "column 4", "the row has 4 values but the header has 3 columns; a value containing a comma must be enclosed"}}},
		{"TrailingEmptyValuesAccepted", KindOwners, "id,name,email\nO-1,Ana,a@x.test,,\n", 1, nil},
		{"BareQuote", KindAccounts, "id,name\nA-1,The \"Best\" Co\nA-2,Fine\n", 1,
			[]wantErr{{2, "name", `has a quote (") inside a value that does not start with one`}}},
		{"NotUTF8", KindAccounts, "id,name,industry\nA-1,Caf\xe9 SA,Food\nA-2,Ok,Food\n", 1,
			[]wantErr{{2, "name", "not valid UTF-8 (byte 0xE9 at character 4 of the value); the file may be Latin-1/Windows-1252 — re-save it as UTF-8"}}},
		{"BlankLinesIgnored", KindOwners, "id,name,email\n\nO-1,Ana,a@x.test\n\n\nO-2,Bo,b@x.test\n", 2, nil},
		{"OwnerEmailChecked", KindOwners, "id,name,email,team,capacity\nO-1,Ana,not-an-address,sales,-1\n", 0,
			[]wantErr{{2, "email", `"not-an-address" is not an e-mail address`}}},
		{"NegativeCount", KindCampaignDays, "campaign_id,date,sends\nC-1,2025-03-01,-5\n", 0,
			[]wantErr{{2, "sends", "is -5; it cannot be negative"}}},
		{"ConsentByEmailOrSystemID", KindConsent,
			"system,system_id,email,channel,status,at\n" +
				"esp,,Ana@X.test,email,unsubscribed,2025-03-01T10:00:00Z\n" +
				"esp,,,email,unsubscribed,2025-03-01T10:00:00Z\n" +
				"esp,88,,sms,Subscribed,2025-03-01\n" +
				"esp,88,,sms,subscribed,2025-03-01T00:00:00Z\n", 2,
			[]wantErr{
				{3, "system_id", "system_id and email are both empty"},
				{5, "system", "duplicate consent fact (esp 88 sms subscribed at 2025-03-01T00:00:00Z), first on line 4"},
			}},
		{"EndBeforeStart", KindCampaigns, "id,name,channel,start_date,end_date\nC-1,X,email,2025-03-02,2025-03-01\n", 0,
			[]wantErr{{2, "end_date", "2025-03-01 is before start_date 2025-03-02"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			good, errs := checkCSV(t, tc.kind, tc.in)
			expectErrors(t, errs, tc.want...)
			if good != tc.good {
				t.Errorf("good rows = %d, want %d", good, tc.good)
			}
		})
	}
}

func TestCSVRowValues(t *testing.T) {
	d, ref, err := peopleSpec.newDecoder(strings.NewReader(
		"System,System_ID,Email,first_name,created_at,Lead Score,plan\n"+
			" crm , 003A ,Ana@X.test,Ana,2025-03-01T12:00:00+02:00,87,\n"), "people.csv")
	if err != nil || ref != nil {
		t.Fatalf("newDecoder: %v %v", err, ref)
	}
	r, errs, err := d.next()
	if err != nil || errs != nil {
		t.Fatalf("next: %v %v", err, errs)
	}
	if r.System != "crm" || r.SystemID != "003A" || r.Email != "Ana@X.test" || r.FirstName != "Ana" ||
		r.CreatedAt.Format("2006-01-02T15:04:05Z07:00") != "2025-03-01T10:00:00Z" {
		t.Errorf("record = %+v", r)
	}
	if len(r.Traits) != 1 || r.Traits["lead_score"] != "87" {
		t.Errorf("traits = %v, want lead_score=87 only (empty plan left out)", r.Traits)
	}
}

func TestCSVUnknownColumnWithoutTraitsWarns(t *testing.T) {
	d, ref, err := ownersSpec.newDecoder(strings.NewReader("id,name,email,slack_handle\n"), "owners.csv")
	if err != nil || ref != nil {
		t.Fatalf("newDecoder: %v %v", err, ref)
	}
	if len(d.warnings) != 1 || !strings.Contains(d.warnings[0], `column "slack_handle" is not a column Tower reads here`) {
		t.Errorf("warnings = %q", d.warnings)
	}
}

func TestParseKind(t *testing.T) {
	for in, want := range map[string]Kind{"people": KindPeople, "Campaign-Days": KindCampaignDays, "events.ndjson": KindEvents, "license_usage.csv": KindLicenseUsage} {
		if got, err := ParseKind(in); err != nil || got != want {
			t.Errorf("ParseKind(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	_, err := ParseKind("contacts")
	if err == nil || !strings.Contains(err.Error(), `unknown kind "contacts"; Tower imports: owners, accounts, products, people, consent, holdings, campaigns, campaign_days, licenses, license_usage, templates, events`) {
		t.Errorf("ParseKind(contacts) error = %v", err)
	}
}
