package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/towerops/tower/internal/demo"
)

// knowledgeWorkspace makes a workspace and returns its folder and env.
func knowledgeWorkspace(t *testing.T) (string, map[string]string) {
	t.Helper()
	ws := filepath.Join(t.TempDir(), "acme")
	mustCLI(t, nil, "init", ws)
	return ws, map[string]string{"TOWER_WORKSPACE": ws}
}

type checkReport struct {
	Dir    string
	Exists bool
	OK     bool
	Layers []struct {
		Layer   string
		Default bool
		Items   int
		Files   []struct {
			File, Owner, Updated string
			Items                int
		}
	}
	Warnings []struct {
		File, Field, Reason string
		Line                int
	}
	Problems []struct {
		File, Field, Reason string
		Line                int
	}
}

func TestKnowledgeCheckGoodFolder(t *testing.T) {
	ws, env := knowledgeWorkspace(t)
	if err := demo.WriteKnowledge(filepath.Join(ws, "knowledge")); err != nil {
		t.Fatal(err)
	}
	out := mustCLI(t, env, "knowledge", "check")
	for _, want := range []string{
		"products.toml", "product-marketing", "6 products",
		"messaging/lifecycle.toml", "messaging/platform.toml",
		"6 banned phrases", "8 sources, 8 mediums",
		"Knowledge OK: 6 products, 5 offers, 5 messages in 6 file(s).",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}

	var rep checkReport
	decode(t, mustCLI(t, env, "knowledge", "check", "--json", "--stale-days", "30"), &rep)
	if !rep.OK || !rep.Exists || len(rep.Problems) != 0 || len(rep.Layers) != 5 {
		t.Fatalf("check --json: %+v", rep)
	}
	msg := rep.Layers[2]
	if msg.Layer != "messaging" || msg.Items != 5 || len(msg.Files) != 2 || msg.Files[0].Owner == msg.Files[1].Owner {
		t.Errorf("messaging layer: %+v", msg)
	}
	if u := rep.Layers[4]; u.Layer != "utm" || u.Default || u.Files[0].Updated != "2026-09-30" {
		t.Errorf("utm layer: %+v", u)
	}
	// Every demo file was reviewed more than 30 days before today.
	if len(rep.Warnings) != 6 || rep.Warnings[0].File != "brand.toml" || rep.Warnings[0].Line != 3 || rep.Warnings[0].Field != "updated" {
		t.Errorf("stale warnings with --stale-days 30: %+v", rep.Warnings)
	}

	var products []struct {
		ID        string
		PairsWith []string `json:"pairs_with"`
		Owner     string
		File      string
	}
	decode(t, mustCLI(t, env, "knowledge", "show", "products", "--json"), &products)
	if len(products) != 6 || products[0].ID != "pipelines" || len(products[0].PairsWith) == 0 || products[0].File != "products.toml" {
		t.Errorf("show products: %+v", products)
	}
	var offers []struct{ ID, Status, Ends string }
	decode(t, mustCLI(t, env, "knowledge", "show", "offers", "--json"), &offers)
	expired := 0
	for _, o := range offers {
		if o.Status == "expired" {
			expired++
			if o.ID != "summer-governance-bundle" {
				t.Errorf("offer %s shown as expired", o.ID)
			}
		}
	}
	if len(offers) != 5 || expired != 1 {
		t.Errorf("show offers: %+v", offers)
	}
	var utm struct {
		Sources         []string
		SourceByESP     map[string]string `json:"source_by_esp"`
		MediumByChannel map[string]string `json:"medium_by_channel"`
		Default         bool
	}
	decode(t, mustCLI(t, env, "knowledge", "show", "utm", "--json"), &utm)
	if len(utm.Sources) != 8 || utm.SourceByESP["generic"] != "newsletter" || utm.MediumByChannel["paid_search"] != "cpc" || utm.Default {
		t.Errorf("show utm: %+v", utm)
	}
	if out := mustCLI(t, env, "knowledge", "show", "brand"); !strings.Contains(out, "60 characters") || !strings.Contains(out, "describe the destination") {
		t.Errorf("show brand:\n%s", out)
	}
	if _, _, err := cli(t, env, "knowledge", "show", "pricing"); err == nil || !strings.Contains(err.Error(), `unknown knowledge layer "pricing"`) {
		t.Errorf("show pricing: %v", err)
	}
}

func TestKnowledgeCheckReportsEveryProblem(t *testing.T) {
	ws, env := knowledgeWorkspace(t)
	k := filepath.Join(ws, "knowledge")
	writeFile(t, filepath.Join(k, "products.toml"), `owner = "product-marketing"
updated = 2026-10-01

[[product]]
id = "pipelines"
name = "Pipelines"
pairswith = ["dashboards"]
`)
	writeFile(t, filepath.Join(k, "offers.toml"), `owner = "growth"
updated = 2026-10-01

[[offer]]
id = "prepay"
name = "Annual prepay"
product = "governance"
starts = 2026-06-01
ends = 2026-05-01
`)
	writeFile(t, filepath.Join(k, "utm.toml"), `updated = 2026-10-01
sources = ["Braze"]
campaign_pattern = '20[0-9]{2}-q[1-4'
tagged_domains = ["https://tallyfield.io"]
`)
	writeFile(t, filepath.Join(k, "pricing.toml"), "owner = \"x\"\n")

	out, _, err := cli(t, env, "knowledge", "check")
	var ee exitError
	if !errors.As(err, &ee) || ee.code != 1 {
		t.Fatalf("check with problems: err %v, want exit 1\n%s", err, out)
	}
	want := []struct {
		file  string
		line  int
		field string
	}{
		{"offers.toml", 7, "offer.product"},
		{"offers.toml", 9, "offer.ends"},
		{"pricing.toml", 0, ""},
		{"products.toml", 7, "product.pairswith"},
		{"utm.toml", 0, "owner"},
		{"utm.toml", 2, "sources"},
		{"utm.toml", 3, "campaign_pattern"},
		{"utm.toml", 4, "tagged_domains"},
	}
	for _, line := range []string{
		`offers.toml:7: offer.product: unknown product "governance"`,
		"offers.toml:9: offer.ends: the offer ends (2026-05-01) before it starts (2026-06-01)",
		"pricing.toml: not a knowledge layer",
		"products.toml:7: product.pairswith: unknown key",
		"utm.toml: owner: is required",
		`utm.toml:2: sources: "Braze" must be lower-case`,
		"utm.toml:3: campaign_pattern: not a valid regular expression",
		`utm.toml:4: tagged_domains: "https://tallyfield.io" is not a bare host name; write "tallyfield.io"`,
		"8 problem(s)",
	} {
		if !strings.Contains(out, line) {
			t.Errorf("check output lacks %q:\n%s", line, out)
		}
	}

	out, _, err = cli(t, env, "knowledge", "check", "--json")
	if !errors.As(err, &ee) || ee.code != 1 {
		t.Fatalf("check --json with problems: err %v, want exit 1", err)
	}
	var rep checkReport
	decode(t, out, &rep)
	if rep.OK || len(rep.Layers) != 0 || len(rep.Problems) != len(want) {
		t.Fatalf("check --json: %+v", rep)
	}
	for i, w := range want {
		p := rep.Problems[i]
		if p.File != w.file || p.Line != w.line || p.Field != w.field || p.Reason == "" {
			t.Errorf("problem %d: %+v, want %s:%d %s", i+1, p, w.file, w.line, w.field)
		}
	}

	// show refuses a folder with problems, pointing at check.
	if _, _, err := cli(t, env, "knowledge", "show", "products"); err == nil || !strings.Contains(err.Error(), "tower knowledge check") {
		t.Errorf("show with problems: %v", err)
	}
}

func TestKnowledgeWithoutFolderUsesDefaults(t *testing.T) {
	ws, env := knowledgeWorkspace(t)
	if err := os.RemoveAll(filepath.Join(ws, "knowledge")); err != nil {
		t.Fatal(err)
	}
	if out := mustCLI(t, env, "knowledge", "check"); !strings.Contains(out, "No knowledge folder") {
		t.Errorf("check without a folder:\n%s", out)
	}
	var rep checkReport
	decode(t, mustCLI(t, env, "knowledge", "check", "--json"), &rep)
	if !rep.OK || rep.Exists || len(rep.Layers) != 5 || !rep.Layers[3].Default || !rep.Layers[4].Default || rep.Layers[0].Default {
		t.Errorf("check --json without a folder: %+v", rep)
	}
	var brand struct {
		Default            bool
		RequireUnsubscribe bool `json:"require_unsubscribe"`
		Banned             []any
	}
	decode(t, mustCLI(t, env, "knowledge", "show", "brand", "--json"), &brand)
	if !brand.Default || !brand.RequireUnsubscribe || brand.Banned == nil || len(brand.Banned) != 0 {
		t.Errorf("default brand: %+v", brand)
	}
	var products []any
	decode(t, mustCLI(t, env, "knowledge", "show", "products", "--json"), &products)
	if products == nil || len(products) != 0 {
		t.Errorf("products without a folder: %v", products)
	}
}
