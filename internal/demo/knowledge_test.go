package demo_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/towerops/tower/internal/demo"
	"github.com/towerops/tower/internal/knowledge"
)

// TestWriteKnowledgeLoadsClean writes the demo knowledge folder and loads
// it: no problems, nothing stale on the demo's today, and the brand and
// UTM rules the demo's planted defects depend on.
func TestWriteKnowledgeLoadsClean(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "knowledge")
	if err := demo.WriteKnowledge(dir); err != nil {
		t.Fatal(err)
	}
	set, err := knowledge.LoadAt(dir, demo.DefaultNow)
	if err != nil {
		t.Fatalf("the demo knowledge has problems: %v", err)
	}
	if n := len(set.Products); n < 5 || n > 7 {
		t.Errorf("%d products, want 5 to 7", n)
	}
	if n := len(set.Offers); n < 3 || n > 5 {
		t.Errorf("%d offers, want 3 to 5", n)
	}
	expired := 0
	for _, o := range set.Offers {
		if !o.Active(demo.DefaultNow) && !o.Ends.IsZero() && o.Ends.Before(demo.DefaultNow) {
			expired++
		}
	}
	if expired != 1 {
		t.Errorf("%d expired offers on %s, want exactly 1", expired, demo.DefaultNow.Format(time.DateOnly))
	}
	owners := map[string]bool{}
	msgFiles := map[string]bool{}
	for _, m := range set.Messaging {
		if strings.HasPrefix(m.File, "messaging/") {
			msgFiles[m.File] = true
			owners[m.Owner] = true
		}
	}
	if len(msgFiles) != 2 || len(owners) != 2 {
		t.Errorf("messaging: %d files by %d owners, want 2 files by 2 teams", len(msgFiles), len(owners))
	}
	if stale := set.Stale(demo.DefaultNow, 120*24*time.Hour); len(stale) != 0 {
		t.Errorf("stale on the demo's today: %v", stale)
	}

	b := set.Brand
	if b.SubjectMaxChars != 60 || b.PostalAddress != "548 Market St #90210, San Francisco, CA 94104" || !b.RequireUnsubscribe || len(b.Voice) == 0 {
		t.Errorf("brand: %+v", b)
	}
	var phrases []string
	for _, p := range b.BannedPhrases {
		phrases = append(phrases, p.Phrase)
	}
	if !reflect.DeepEqual(phrases, []string{"act now", "risk-free", "guaranteed", "100% free", "click here", "utilize"}) {
		t.Errorf("banned phrases: %q", phrases)
	}
	// Only a drop-in replacement is given as instead; advice stays in the
	// reason, so a fix never pastes advice into an e-mail.
	for _, p := range b.BannedPhrases {
		if want := map[string]string{"utilize": "use"}[p.Phrase]; p.Instead != want {
			t.Errorf("%s: instead %q, want %q", p.Phrase, p.Instead, want)
		}
	}
	if b.BannedPhrases[0].Reason != "pressure tactic; say when the offer ends instead" {
		t.Errorf("act now: %+v", b.BannedPhrases[0])
	}

	u := set.UTM
	if !reflect.DeepEqual(u.Required, []string{"utm_source", "utm_medium", "utm_campaign"}) ||
		!reflect.DeepEqual(u.Sources, []string{"braze", "iterable", "hubspot", "newsletter", "marketo", "google", "linkedin", "partner"}) ||
		!reflect.DeepEqual(u.Mediums, []string{"email", "cpc", "paid-social", "social", "display", "referral", "sms", "webinar"}) ||
		u.CampaignPattern != `20[0-9]{2}-q[1-4]-[a-z0-9]+(-[a-z0-9]+)*` ||
		!reflect.DeepEqual(u.TaggedDomains, []string{"tallyfield.io"}) || u.EmailMedium != "email" || !u.Lowercase ||
		!reflect.DeepEqual(u.SourceByESP, map[string]string{"braze": "braze", "iterable": "iterable", "hubspot": "hubspot", "generic": "newsletter", "marketo": "marketo"}) {
		t.Errorf("utm: %+v", u)
	}
	if u.SourceByChannel["paid_search"] != "google" || u.MediumByChannel["paid_social"] != "paid-social" || len(u.MediumByChannel) != 5 {
		t.Errorf("utm by channel: %v %v", u.SourceByChannel, u.MediumByChannel)
	}
	if !u.Campaign.MatchString("2026-q4-ai-assist-launch") || u.Campaign.MatchString("Q4 AI Assist") {
		t.Errorf("campaign pattern does not separate good from bad names")
	}
}

// TestWriteKnowledgeKeepsEdits runs WriteKnowledge twice: a file the
// team edited in between is kept, a file they deleted comes back.
func TestWriteKnowledgeKeepsEdits(t *testing.T) {
	dir := t.TempDir()
	if err := demo.WriteKnowledge(dir); err != nil {
		t.Fatal(err)
	}
	brand := filepath.Join(dir, "brand.toml")
	edited := "owner = \"brand\"\nupdated = 2026-10-30\nsubject_max_chars = 45\n"
	if err := os.WriteFile(brand, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	offers := filepath.Join(dir, "offers.toml")
	if err := os.Remove(offers); err != nil {
		t.Fatal(err)
	}
	if err := demo.WriteKnowledge(dir); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(brand); string(b) != edited {
		t.Errorf("brand.toml was overwritten:\n%s", b)
	}
	if _, err := os.Stat(offers); err != nil {
		t.Errorf("a deleted file was not written again: %v", err)
	}
	set, err := knowledge.LoadAt(dir, demo.DefaultNow)
	if err != nil {
		t.Fatal(err)
	}
	if set.Brand.SubjectMaxChars != 45 || len(set.Brand.BannedPhrases) != 0 {
		t.Errorf("the edited brand did not load: %+v", set.Brand)
	}
}
