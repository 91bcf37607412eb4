package knowledge

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

var today = time.Date(2026, time.November, 1, 0, 0, 0, 0, time.UTC)

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// write creates files (relative path → content) under a new folder.
func write(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for rel, s := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func mustLoad(t *testing.T, dir string) *Set {
	t.Helper()
	s, err := LoadAt(dir, today)
	if err != nil {
		t.Fatalf("load %s: %v", dir, err)
	}
	return s
}

func problemsOf(t *testing.T, dir string) []Problem {
	t.Helper()
	s, err := LoadAt(dir, today)
	var le *LoadError
	if !errors.As(err, &le) {
		t.Fatalf("load: got set %v, err %v; want a *LoadError", s, err)
	}
	if s != nil {
		t.Fatal("a folder with problems gave a Set")
	}
	return le.Problems
}

func TestLoadGoodFolder(t *testing.T) {
	s := mustLoad(t, "testdata/good")
	if len(s.Products) != 2 || s.Products[0].ID != "pipelines" || s.Products[1].ID != "dashboards" {
		t.Fatalf("products: %+v", s.Products)
	}
	dash := s.Products[1]
	if dash.Name != "Dashboards" || dash.Family != "platform" || dash.For != "Analysts and their managers" ||
		!reflect.DeepEqual(dash.PairsWith, []string{"pipelines"}) || dash.Owner != "product-marketing" ||
		!dash.Updated.Equal(day("2026-10-01")) || dash.File != "products.toml" {
		t.Errorf("dashboards: %+v", dash)
	}
	if len(s.Offers) != 2 || !s.Offers[0].Ends.Equal(day("2026-12-31")) || s.Offers[0].Product != "dashboards" {
		t.Errorf("offers: %+v", s.Offers)
	}
	if !s.Offers[0].Active(today) || s.Offers[1].Active(today) {
		t.Errorf("trial extension should be active and summer prepay over on %s", today.Format(time.DateOnly))
	}
	if len(s.Messaging) != 2 || s.Messaging[0].File != "messaging/data-teams.toml" || s.Messaging[1].Owner != "growth" ||
		len(s.Messaging[0].ValueProps) != 2 || s.Messaging[0].CTA != "Start a trial" {
		t.Errorf("messaging: %+v", s.Messaging)
	}
	b := s.Brand
	if b.SubjectMaxChars != 60 || !b.RequireUnsubscribe || len(b.BannedPhrases) != 2 ||
		b.BannedPhrases[1] != (BannedPhrase{"click here", "link text should say where it goes", "describe the destination"}) ||
		len(b.Voice) != 2 || b.Owner != "brand" {
		t.Errorf("brand: %+v", b)
	}
	u := s.UTM
	if !reflect.DeepEqual(u.Required, DefaultUTM().Required) || u.EmailMedium != "email" || !u.Lowercase {
		t.Errorf("utm defaults for keys left out: %+v", u)
	}
	if !u.Campaign.MatchString("2026-q4-ai-assist") || u.Campaign.MatchString("x2026-q4-ai-assist") || u.Campaign.MatchString("2026-q4-AI") {
		t.Errorf("campaign pattern %q is not matched in full", u.CampaignPattern)
	}
	if u.SourceByChannel["email"] != "newsletter" || u.MediumByChannel["paid_search"] != "cpc" || len(u.MediumByChannel) != 2 {
		t.Errorf("utm by channel: %v %v", u.SourceByChannel, u.MediumByChannel)
	}
	if u.SourceByESP["generic"] != "newsletter" || !reflect.DeepEqual(u.TaggedDomains, []string{"tallyfield.io"}) {
		t.Errorf("utm: %+v", u)
	}
	var files []string
	for _, f := range s.Files {
		files = append(files, f.File+"="+f.Layer)
	}
	want := "brand.toml=brand messaging/data-teams.toml=messaging messaging/executives.toml=messaging offers.toml=offers products.toml=products utm.toml=utm"
	if strings.Join(files, " ") != want {
		t.Errorf("files: %s\nwant:  %s", strings.Join(files, " "), want)
	}
}

func TestMissingFolderIsDefaults(t *testing.T) {
	s := mustLoad(t, filepath.Join(t.TempDir(), "knowledge"))
	if len(s.Products)+len(s.Offers)+len(s.Messaging)+len(s.Files) != 0 {
		t.Errorf("a missing folder gave entries: %+v", s)
	}
	if !reflect.DeepEqual(s.Brand, DefaultBrand()) || !reflect.DeepEqual(s.UTM, DefaultUTM()) {
		t.Errorf("defaults: brand %+v utm %+v", s.Brand, s.UTM)
	}
}

func TestStaleIsAWarning(t *testing.T) {
	s := mustLoad(t, "testdata/good")
	stale := s.Stale(today, 180*24*time.Hour)
	if len(stale) != 1 || stale[0].File != "messaging/executives.toml" || stale[0].Line != 2 || stale[0].Field != "updated" ||
		!strings.Contains(stale[0].Reason, "245 days ago") || !strings.Contains(stale[0].Reason, "growth") {
		t.Fatalf("stale: %v", stale)
	}
	if got := s.Stale(today, 400*24*time.Hour); len(got) != 0 {
		t.Errorf("nothing is older than 400 days: %v", got)
	}
}

func TestLayerAndFunc(t *testing.T) {
	s := mustLoad(t, "testdata/good")
	f := s.Func()
	v, err := f(LayerBrand)
	if err != nil || v.(*Brand) != s.Brand {
		t.Errorf("brand layer: %v %v", v, err)
	}
	if v, err := f(LayerProducts); err != nil || len(v.([]Product)) != 2 {
		t.Errorf("products layer: %v %v", v, err)
	}
	if _, err := f("pricing"); !errors.Is(err, ErrUnknownLayer) {
		t.Errorf("unknown layer: %v", err)
	}
	if p, ok := s.Product("pipelines"); !ok || p.Name != "Pipelines" {
		t.Errorf("Product: %+v %v", p, ok)
	}
}
