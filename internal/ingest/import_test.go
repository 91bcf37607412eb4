package ingest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

const ownersCSV = "id,name,email\nO-1,Ana,ana@tower.test\nO-2,Bo,bo@tower.test\n"

func counts(t *testing.T, st store.Store) store.Counts {
	t.Helper()
	c, err := st.Counts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return *c
}

func TestStrictRollsBackOnlyTheBadFile(t *testing.T) {
	onEachBackend(t, func(t *testing.T, st store.Store) {
		dir := writeBundle(t, map[string]string{
			"owners.csv": ownersCSV,
			// One format problem: strict keeps none of the file.
			"accounts.csv": "id,name,owner_id,employees\nA-1,Acme,O-1,10\nA-2,Globex,O-2,lots\n",
			// Only a store rejection (unknown owner): strict keeps none either.
			"campaigns.csv": "id,name,channel,owner_id\nC-1,Spring,email,O-1\nC-2,Summer,email,O-404\n",
			"products.csv":  "id,name\nP-1,Core\n",
		})
		rep, err := ImportBundle(t.Context(), st, dir, Options{Strict: true})
		if err != nil {
			t.Fatal(err)
		}
		checkFiles(t, rep, map[string]fileCounts{
			"owners.csv": {2, 2, 0, 0}, "accounts.csv": {2, 0, 1, 0}, "campaigns.csv": {2, 0, 1, 0}, "products.csv": {1, 1, 0, 0},
		})
		for _, f := range rep.Files {
			if f.RolledBack != (f.Kind == KindAccounts || f.Kind == KindCampaigns) {
				t.Errorf("%s RolledBack = %v", f.File, f.RolledBack)
			}
		}
		c := counts(t, st)
		if c.Owners != 2 || c.Accounts != 0 || c.Campaigns != 0 || c.Products != 1 {
			t.Errorf("Counts = %+v; want 2 owners, 0 accounts, 0 campaigns, 1 product", c)
		}
		if rep.ErrorCount != 2 || !rep.Failed() {
			t.Errorf("ErrorCount = %d, Failed = %v", rep.ErrorCount, rep.Failed())
		}
		var b strings.Builder
		rep.WriteSummary(&b)
		if !strings.Contains(b.String(), "rolled back (strict): nothing written") {
			t.Errorf("summary does not say the file was rolled back:\n%s", b.String())
		}

		// Without strict, the good rows of the same files go in.
		rep, err = ImportBundle(t.Context(), st, dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if c := counts(t, st); c.Accounts != 1 || c.Campaigns != 1 {
			t.Errorf("Counts without strict = %+v; want 1 account, 1 campaign", c)
		}
	})
}

// TestRejectionsMapToLinesAcrossBatches uses batches of 3 rows so store
// rejections and format problems fall in different batches, after a
// quoted value spanning lines.
func TestRejectionsMapToLinesAcrossBatches(t *testing.T) {
	onEachBackend(t, func(t *testing.T, st store.Store) {
		var b strings.Builder
		b.WriteString("system,system_id,email,account_id,title\n") // line 1
		b.WriteString("crm,0,p0@x.test,,\"two\nlines\"\n")         // lines 2-3
		line := int64(4)
		want := []wantErr{}
		for i := 1; i <= 10; i++ {
			switch i {
			case 3, 7:
				fmt.Fprintf(&b, "crm,%d,p%d@x.test,A-%d,\n", i, i, i)
				want = append(want, wantErr{line, "account_id", fmt.Sprintf(`account "A-%d" not found`, i)})
			case 5:
				fmt.Fprintf(&b, "crm,%d,p%d@x.test,,\"a\n\nb\"\n", i, i)
				line += 2
			case 8:
				fmt.Fprintf(&b, "crm,,p%d@x.test,,\n", i)
				want = append(want, wantErr{line, "system_id", "is empty; it is required"})
			default:
				fmt.Fprintf(&b, "crm,%d,p%d@x.test,,\n", i, i)
			}
			line++
		}
		dir := writeBundle(t, map[string]string{"people.csv": b.String()})
		rep, err := ImportFile(t.Context(), st, KindPeople, filepath.Join(dir, "people.csv"), Options{BatchSize: 3})
		if err != nil {
			t.Fatal(err)
		}
		checkFiles(t, rep, map[string]fileCounts{"people.csv": {11, 8, 3, 0}})
		expectErrors(t, rep.Errors, want...)
		if c := counts(t, st); c.Records != 8 || c.People != 8 {
			t.Errorf("Counts = %+v", c)
		}
	})
}

func TestHugeFieldRefusedOtherRowsImported(t *testing.T) {
	onEachBackend(t, func(t *testing.T, st store.Store) {
		body := "system,system_id,notes\ncrm,1,short\ncrm,2,\"" + strings.Repeat("z", 10<<20) + "\"\ncrm,3,short\n"
		dir := writeBundle(t, map[string]string{"people.csv": body})
		rep, err := ImportFile(t.Context(), st, KindPeople, filepath.Join(dir, "people.csv"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		checkFiles(t, rep, map[string]fileCounts{"people.csv": {3, 2, 1, 0}})
		expectErrors(t, rep.Errors, wantErr{3, "notes", "value is 10 MiB; the limit is 1 MiB per value"})
		if n := len(rep.Errors[0].Row); n > maxReportRow+20 {
			t.Errorf("report row is %d bytes; it should be cut", n)
		}
		recs, err := st.RecordsList(t.Context(), &store.RecordsListParams{})
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 2 || recs[0].SystemID != "1" || recs[1].SystemID != "3" || recs[1].Traits["notes"] != "short" {
			t.Errorf("records = %+v", recs)
		}
	})
}

func TestWholeFileRefusals(t *testing.T) {
	onEachBackend(t, func(t *testing.T, st store.Store) {
		tests := []struct {
			name, content string
			failed        bool
			refused       string
		}{
			{"empty", "", true, "the file is empty"},
			{"header-only", "id,name,email\r\n", false, ""},
			{"missing-column", "id,name\nO-1,Ana\n", true, `the required column "email" is missing; the header has: id, name`},
			{"semicolons", "id;name;email\nO-1;Ana;a@x.test\n", true, "this file uses ';' between columns"},
		}
		for _, tc := range tests {
			dir := writeBundle(t, map[string]string{"owners.csv": tc.content})
			rep, err := ImportFile(t.Context(), st, KindOwners, filepath.Join(dir, "owners.csv"), Options{})
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			f := rep.Files[0]
			if rep.Failed() != tc.failed || !strings.Contains(f.Refused, tc.refused) || (tc.refused == "") != (f.Refused == "") {
				t.Errorf("%s: Failed = %v, Refused = %q", tc.name, rep.Failed(), f.Refused)
			}
			if f.Read != 0 || f.Written != 0 {
				t.Errorf("%s: read %d, written %d", tc.name, f.Read, f.Written)
			}
			_, statErr := os.Stat(filepath.Join(dir, ErrorsReportName))
			if tc.failed == os.IsNotExist(statErr) {
				t.Errorf("%s: errors report exists = %v", tc.name, statErr == nil)
			}
		}
		if c := counts(t, st); c.Owners != 0 {
			t.Errorf("owners written: %d", c.Owners)
		}
	})
}

func TestImportFileArguments(t *testing.T) {
	st := openSQLite(t)
	dir := writeBundle(t, map[string]string{"owners.csv": ownersCSV})
	_, err := ImportFile(t.Context(), st, Kind("contacts"), filepath.Join(dir, "owners.csv"), Options{})
	if !errors.Is(err, ErrUnknownKind) || !strings.Contains(err.Error(), "Tower imports: owners, accounts") {
		t.Errorf("unknown kind: %v", err)
	}
	if _, err := ImportFile(t.Context(), st, KindOwners, dir, Options{}); err == nil || !strings.Contains(err.Error(), "is a folder") {
		t.Errorf("folder for a CSV kind: %v", err)
	}
	if _, err := ImportFile(t.Context(), st, KindOwners, filepath.Join(dir, "nope.csv"), Options{}); err == nil {
		t.Error("missing file: no error")
	}
}

func TestErrorsReportLocation(t *testing.T) {
	st := openSQLite(t)
	bad := "id,name,email\nO-1,,ana@tower.test\n"
	dir := writeBundle(t, map[string]string{"owners.csv": bad})
	file := filepath.Join(dir, "owners.csv")
	auto := filepath.Join(dir, ErrorsReportName)

	rep, err := ImportFile(t.Context(), st, KindOwners, file, Options{ErrorsReport: ErrorsReportNone})
	if err != nil || rep.ErrorsReport != "" || rep.ErrorCount != 1 {
		t.Fatalf("ErrorsReport none: %v %q %d", err, rep.ErrorsReport, rep.ErrorCount)
	}
	if _, err := os.Stat(auto); !os.IsNotExist(err) {
		t.Errorf("a report was written with ErrorsReport %q", ErrorsReportNone)
	}
	custom := filepath.Join(t.TempDir(), "bad-rows.csv")
	if rep, _ = ImportFile(t.Context(), st, KindOwners, file, Options{ErrorsReport: custom}); rep.ErrorsReport != custom {
		t.Errorf("ErrorsReport = %q, want %q", rep.ErrorsReport, custom)
	}
	if _, err := os.Stat(custom); err != nil {
		t.Errorf("custom report: %v", err)
	}
	if rep, _ = ImportFile(t.Context(), st, KindOwners, file, Options{}); rep.ErrorsReport != auto {
		t.Errorf("ErrorsReport = %q, want %q", rep.ErrorsReport, auto)
	}
	// Fixed file, default location: the stale report goes away.
	if err := os.WriteFile(file, []byte(ownersCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	if rep, err = ImportFile(t.Context(), st, KindOwners, file, Options{}); err != nil || rep.Failed() {
		t.Fatalf("clean import: %v, failed %v", err, rep.Failed())
	}
	if _, err := os.Stat(auto); !os.IsNotExist(err) {
		t.Errorf("stale errors report left behind: %v", err)
	}
}

func TestTraitsStored(t *testing.T) {
	onEachBackend(t, func(t *testing.T, st store.Store) {
		dir := writeBundle(t, map[string]string{
			"accounts.csv":  "id,name,CRM Score,Plan\nA-1,Acme,88,\n",
			"campaigns.csv": "id,name,channel,utm_campaign\nC-1,Spring,email,spring25\n",
		})
		if _, err := ImportBundle(t.Context(), st, dir, Options{}); err != nil {
			t.Fatal(err)
		}
		a, err := st.AccountGet(t.Context(), &store.AccountGetParams{ID: "A-1"})
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Account.Traits) != 1 || a.Account.Traits["crm_score"] != "88" {
			t.Errorf("account traits = %v", a.Account.Traits)
		}
		c, err := st.CampaignGet(t.Context(), &store.CampaignGetParams{ID: "C-1"})
		if err != nil {
			t.Fatal(err)
		}
		if c.Campaign.Traits["utm_campaign"] != "spring25" {
			t.Errorf("campaign traits = %v", c.Campaign.Traits)
		}
	})
}

func TestImportTemplatesFolderAndFile(t *testing.T) {
	onEachBackend(t, func(t *testing.T, st store.Store) {
		dir := writeBundle(t, map[string]string{
			"templates/welcome.liquid":      "---\nid: welcome\ndialect: liquid\nlocale: en\n---\nHi {{ first_name }}\n",
			"templates/braze/promo.hbs":     "---\nid: promo\nesp: braze\ndialect: handlebars\n---\n{{name}}",
			"templates/copy.html":           "---\nid: welcome\ndialect: liquid\n---\nagain",
			"templates/.hidden/skip.liquid": "not read",
		})
		rep, err := ImportFile(t.Context(), st, KindTemplates, filepath.Join(dir, "templates"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		checkFiles(t, rep, map[string]fileCounts{"templates/": {3, 2, 1, 0}})
		// Files are read in name order: braze/promo.hbs, copy.html, welcome.liquid.
		expectErrors(t, rep.Errors, wantErr{1, "id", `duplicate id "welcome", first in templates/copy.html`})
		if rep.Errors[0].File != "templates/welcome.liquid" {
			t.Errorf("duplicate reported on %s", rep.Errors[0].File)
		}
		tpl, err := st.TemplateGet(t.Context(), &store.TemplateGetParams{ID: "promo"})
		if err != nil {
			t.Fatal(err)
		}
		if tpl.Path != "templates/braze/promo.hbs" || tpl.ESP != "braze" || tpl.Dialect != "handlebars" || tpl.Body != "{{name}}" {
			t.Errorf("template = %+v", tpl)
		}
		rep, err = ImportFile(t.Context(), st, KindTemplates, filepath.Join(dir, "templates", "welcome.liquid"), Options{})
		if err != nil || rep.Failed() {
			t.Fatalf("single template: %v %+v", err, rep.Errors)
		}
		tpl, err = st.TemplateGet(t.Context(), &store.TemplateGetParams{ID: "welcome"})
		if err != nil {
			t.Fatal(err)
		}
		if tpl.Path != "templates/welcome.liquid" || tpl.ESP != foundation.ESP("generic") || tpl.Traits["locale"] != "en" {
			t.Errorf("template = %+v", tpl)
		}
	})
}
