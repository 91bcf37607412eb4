package ingest

import (
	"bytes"
	"encoding/csv"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/towerops/tower/internal/store"
)

var update = flag.Bool("update", false, "rewrite golden files")

// sampleBundle is a small bundle of every kind, with a few mistakes of
// each sort a real export has: format problems the importer catches and
// references the database does not know.
var sampleBundle = map[string]string{
	"owners.csv": "id,name,email,team,region,capacity\n" +
		"O-1,Ana Silva,ana@tower.test,sales,EMEA,40\n" +
		"O-2,Bo Chen,bo@tower.test,CS,APAC,\n" +
		"O-3,Cy,cy@tower.test,finance,NA,5\n",
	"accounts.csv": "id,name,domain,industry,employees,region,tier,owner_id,lifecycle_stage,crm_score\n" +
		"A-1,Acme,acme.test,Software,\"1,200\",EMEA,1,O-1,customer,88\n" +
		"A-2,Globex,globex.test,Energy,5000,NA,2,O-9,prospect,\n" +
		"A-3,Initech,initech.test,Software,300,NA,3,O-2,customer,12\n",
	"products.csv": "id,name,family,list_price\nP-1,Tower Core,platform,1200.00\nP-2,Tower Insights,addon,300\n",
	"people.csv": "system,system_id,email,first_name,last_name,title,phone,account_id,country,region,created_at,updated_at,lead_score\r\n" +
		"crm,003-1,Ana@Acme.test,Ana,Lima,Head of Growth,,A-3,PT,EMEA,2025-01-02T10:00:00Z,,70\r\n" +
		"esp,88213,ana@acme.test,Ana,,,,,,,,,\r\n" +
		"crm,003-2,bo@initech.test,Bo,,\"Chief\r\nTechnology Officer\",,A-404,US,NA,2025-01-03,,\r\n" +
		"crm,003-3,cy@initech.test,Cy,,,,A-3,US,NA,2025-13-01,,\r\n",
	"consent.csv": "system,system_id,email,channel,status,reason,at\n" +
		"esp,88213,,email,unsubscribed,clicked unsubscribe,2025-03-01T10:00:00Z\n" +
		"esp,,old@list.test,email,hard_bounce,550 5.1.1,2025-02-01T00:00:00Z\n" +
		"crm,404,,email,subscribed,,2025-03-01T10:00:00Z\n" +
		"esp,88213,,fax,unsubscribed,,2025-03-01T10:00:00Z\n",
	"holdings.csv": "account_id,product_id,since,seats,mrr,person_email\n" +
		"A-3,P-1,2024-06-01,25,2500,\n" +
		"A-3,P-2,2024-06-01,5,150.5,Ana@Acme.test\n" +
		"A-1,P-1,2024-06-01,1,1,\n",
	"campaigns.csv": "id,name,channel,owner_id,start_date,end_date,budget,goal,segment,utm_campaign\n" +
		"C-1,Spring Launch,email,O-1,2025-03-01,2025-03-31,5000,conversions,customers,spring25\n" +
		"C-2,Search Q2,paid_search,,2025-04-01,,12000.50,clicks,,\n",
	"campaign_days.csv": "campaign_id,date,variant,sends,delivered,opens,clicks,conversions,spend,revenue,unsubscribes,hard_bounces,complaints\n" +
		"C-1,2025-03-01,,1000,990,400,80,8,0,800,3,2,0\n" +
		"C-1,2025-03-01,A,500,495,210,44,5,0,500,1,1,0\n" +
		"C-1,2025-03-01,A,500,495,210,44,5,0,500,1,1,0\n" +
		"C-9,2025-03-01,,1,1,1,1,1,1,1,0,0,0\n",
	"licenses.csv": "tool,vendor,category,seats,cost_per_seat_month,renewal_date,owner_email\n" +
		"Looker,Google,BI,50,60,2025-09-30,ana@tower.test\nHotjar,Contentsquare,analytics,10,39.5,,\n",
	"license_usage.csv": "tool,user_email,last_active_at,actions_30d\n" +
		"Looker,Ana@Tower.test,2025-05-30T08:00:00Z,120\nLooker,bo@tower.test,,0\nGong,cy@tower.test,,3\n",
	"templates/welcome.liquid": "---\nid: welcome\nesp: braze\ndialect: liquid\nsubject: Welcome, {{ first_name }}\n---\n<p>Hi</p>\n",
	"templates/broken.hbs":     "---\ndialect: handlebars\n---\n<p>{{name}}</p>\n",
	"templates/readme.txt":     "how we write templates",
	"events.ndjson": `{"type":"identify","userId":"003-1","traits":{"email":"ana@acme.test"},"timestamp":"2025-03-01T10:00:00Z","messageId":"m-1"}` + "\n" +
		`{"type":"track","userId":"003-1","event":"Pricing Viewed","timestamp":"2025-03-02T10:00:00Z"}` + "\n" +
		"\n" +
		`{"type":"track","userId":"003-1","event":"Pricing Viewed","timestamp":"2025-03-02T10:00:00Z"}` + "\n" +
		`{"type":"track","anonymousId":"a-9","timestamp":"2025-03-02T10:00:00Z"}` + "\n" +
		"not json\n",
	"notes.txt": "remember to export consent",
	".DS_Store": "junk",
}

// fileCounts is what we expect of one file: read, written, rejected, duplicates.
type fileCounts struct{ read, written, rejected, duplicates int64 }

func checkFiles(t *testing.T, rep *Report, want map[string]fileCounts) {
	t.Helper()
	if len(rep.Files) != len(want) {
		t.Errorf("report has %d files, want %d", len(rep.Files), len(want))
	}
	for _, f := range rep.Files {
		w, ok := want[f.File]
		got := fileCounts{f.Read, f.Written, f.Rejected, f.Duplicates}
		if !ok || got != w {
			t.Errorf("%s: read/written/rejected/duplicates = %v, want %v (refused %q)", f.File, got, w, f.Refused)
		}
	}
}

func TestImportBundle(t *testing.T) {
	onEachBackend(t, func(t *testing.T, st store.Store) {
		dir := writeBundle(t, sampleBundle)
		var progress []string
		opts := Options{Progress: func(kind string, done, total int64) {
			if done == total {
				progress = append(progress, kind)
			}
		}}
		rep, err := ImportBundle(t.Context(), st, dir, opts)
		if err != nil {
			t.Fatalf("ImportBundle: %v", err)
		}
		want := map[string]fileCounts{
			"owners.csv": {3, 2, 1, 0}, "accounts.csv": {3, 1, 2, 0}, "products.csv": {2, 2, 0, 0},
			"people.csv": {4, 2, 2, 0}, "consent.csv": {4, 2, 2, 0}, "holdings.csv": {3, 2, 1, 0},
			"campaigns.csv": {2, 2, 0, 0}, "campaign_days.csv": {4, 2, 2, 0}, "licenses.csv": {2, 2, 0, 0},
			"license_usage.csv": {3, 2, 1, 0}, "templates/": {2, 1, 1, 0}, "events.ndjson": {5, 2, 2, 1},
		}
		checkFiles(t, rep, want)
		var order []string
		for _, f := range rep.Files {
			order = append(order, string(f.Kind))
		}
		if got := strings.Join(order, ","); got != "owners,accounts,products,people,consent,holdings,campaigns,campaign_days,licenses,license_usage,templates,events" {
			t.Errorf("import order = %s", got)
		}
		if !rep.Failed() || rep.ErrorCount != 14 {
			t.Errorf("Failed = %v, ErrorCount = %d; want true, 14", rep.Failed(), rep.ErrorCount)
		}
		if len(rep.Missing) != 0 {
			t.Errorf("Missing = %v", rep.Missing)
		}
		skipped := map[string]bool{}
		for _, s := range rep.Skipped {
			skipped[s.Name] = true
		}
		if len(rep.Skipped) != 2 || !skipped["notes.txt"] || !skipped["templates/readme.txt"] {
			t.Errorf("Skipped = %+v; want notes.txt and templates/readme.txt (dot-files silently)", rep.Skipped)
		}
		if len(rep.Warnings) != 2 || !strings.Contains(strings.Join(rep.Warnings, "\n"), "notes.txt is not a file Tower imports and was skipped") {
			t.Errorf("Warnings = %q", rep.Warnings)
		}
		if len(progress) != 12 {
			t.Errorf("progress finished for %d files (%v), want 12", len(progress), progress)
		}
		wantCounts := store.Counts{People: 1, Records: 2, Accounts: 1, Owners: 2, Products: 2, Holdings: 2, Consent: 2,
			Campaigns: 2, CampaignDays: 2, Events: 2, Licenses: 2, LicenseUsage: 2, Templates: 1}
		counts, err := st.Counts(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if *counts != wantCounts {
			t.Errorf("Counts = %+v\nwant     %+v", *counts, wantCounts)
		}
		report, err := os.ReadFile(filepath.Join(dir, ErrorsReportName))
		if err != nil {
			t.Fatalf("errors report: %v", err)
		}
		if rep.ErrorsReport != filepath.Join(dir, ErrorsReportName) {
			t.Errorf("Report.ErrorsReport = %q", rep.ErrorsReport)
		}

		// Importing the same bundle again changes nothing: upserts rewrite the
		// same rows and every event is a duplicate.
		rep2, err := ImportBundle(t.Context(), st, dir, Options{})
		if err != nil {
			t.Fatalf("second ImportBundle: %v", err)
		}
		want["events.ndjson"] = fileCounts{5, 0, 2, 3}
		checkFiles(t, rep2, want)
		counts2, _ := st.Counts(t.Context())
		if *counts2 != wantCounts {
			t.Errorf("Counts after re-import = %+v", *counts2)
		}
		report2, _ := os.ReadFile(filepath.Join(dir, ErrorsReportName))
		if !bytes.Equal(report, report2) {
			t.Errorf("errors report changed on re-import:\n%s\n---\n%s", report, report2)
		}
		if len(rep2.Skipped) != 3 {
			t.Errorf("second import Skipped = %+v; want the errors report listed too", rep2.Skipped)
		}
	})
}

func TestImportBundleNothingToImport(t *testing.T) {
	st := openSQLite(t)
	dir := writeBundle(t, map[string]string{"contacts.csv": "id\n1\n"})
	rep, err := ImportBundle(t.Context(), st, dir, Options{})
	if !errors.Is(err, ErrNothingToImport) || !strings.Contains(err.Error(), "Tower imports owners.csv, accounts.csv") {
		t.Fatalf("err = %v", err)
	}
	if len(rep.Skipped) != 1 || rep.Skipped[0].Name != "contacts.csv" {
		t.Errorf("Skipped = %+v", rep.Skipped)
	}
}

func TestImportBundleListsMissingAndPrefersCanonicalNames(t *testing.T) {
	st := openSQLite(t)
	event := `{"type":"track","userId":"u","event":"E","timestamp":"2025-03-01T10:00:00Z"}` + "\n"
	dir := writeBundle(t, map[string]string{
		"Owners.CSV":    "id,name,email\nO-1,Ana,ana@tower.test\n",
		"events.jsonl":  event,
		"events.ndjson": event + event,
	})
	rep, err := ImportBundle(t.Context(), st, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkFiles(t, rep, map[string]fileCounts{"Owners.CSV": {1, 1, 0, 0}, "events.ndjson": {2, 1, 0, 1}})
	if len(rep.Missing) != 10 || rep.Missing[0] != "accounts.csv" || rep.Missing[8] != "license_usage.csv" || rep.Missing[9] != "templates/" {
		t.Errorf("Missing = %v", rep.Missing)
	}
	if len(rep.Skipped) != 1 || rep.Skipped[0].Name != "events.jsonl" {
		t.Errorf("Skipped = %+v", rep.Skipped)
	}
	if rep.Failed() {
		t.Error("Failed = true for a clean import")
	}
	if _, err := os.Stat(filepath.Join(dir, ErrorsReportName)); !os.IsNotExist(err) {
		t.Errorf("an errors report was written for a clean import: %v", err)
	}
}

// TestErrorsReportGolden pins the errors report format: its columns, how
// a whole-file problem, a multi-line row and a store rejection look. The
// golden file is SQLite's; other backends must match it except for the
// wording of the reasons the database itself gives.
func TestErrorsReportGolden(t *testing.T) {
	golden := filepath.Join("testdata", "errors-report.golden.csv")
	onEachBackend(t, func(t *testing.T, st store.Store) {
		dir := writeBundle(t, sampleBundle)
		if _, err := ImportBundle(t.Context(), st, dir, Options{}); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(dir, ErrorsReportName))
		if err != nil {
			t.Fatal(err)
		}
		if *update && st.Backend() == "sqlite" {
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -run TestErrorsReportGolden -update to create it)", err)
		}
		if st.Backend() == "sqlite" {
			if !bytes.Equal(got, want) {
				t.Errorf("errors report differs from %s:\n--- got\n%s\n--- want\n%s", golden, got, want)
			}
			return
		}
		g, w := readCSVRecords(t, got), readCSVRecords(t, want)
		if len(g) != len(w) {
			t.Fatalf("errors report has %d rows, golden %d:\n%s", len(g), len(w), got)
		}
		for i := range w {
			if g[i][0] != w[i][0] || g[i][1] != w[i][1] || g[i][2] != w[i][2] || g[i][4] != w[i][4] {
				t.Errorf("row %d = %q\nwant     %q", i, g[i], w[i])
			} else if g[i][3] != w[i][3] {
				t.Logf("%s:%s reason worded differently from SQLite:\n  %s\n  %s", g[i][0], g[i][1], g[i][3], w[i][3])
			}
		}
	})
}

func readCSVRecords(t *testing.T, b []byte) [][]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("errors report is not CSV: %v", err)
	}
	return recs
}
