package salesforce_test

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/towerops/tower/internal/connect"
	"github.com/towerops/tower/internal/connect/connecttest"
	"github.com/towerops/tower/internal/connect/salesforce"
	"github.com/towerops/tower/internal/connect/salesforce/salesforcefake"
	"github.com/towerops/tower/internal/foundation"
)

const tokenEnv = "SALESFORCE_TOKEN"

func config(url, object string, batch int) connect.Config {
	return connect.Config{Name: "sfdc", File: "connectors/sfdc.toml", Kind: "salesforce", System: "crm", URL: url,
		TokenEnv: tokenEnv, Object: object, BatchSize: batch}
}

func envWith(clock *connecttest.Clock, token string, hc *http.Client) connect.Env {
	return connect.Env{Clock: clock, HTTP: hc, Getenv: func(k string) string {
		if k == tokenEnv {
			return token
		}
		return ""
	}}
}

func TestSuite(t *testing.T) {
	connecttest.Run(t, connecttest.Target{
		Kind: "salesforce",
		New: func(c *connecttest.Clock) connecttest.Fake {
			f := salesforcefake.New(c)
			f.SetPageSize(200)
			return f
		},
		Open: func(f connecttest.Fake, c *connecttest.Clock, batch int) (connect.Connector, error) {
			return connect.Open(config(f.URL(), "", batch), envWith(c, salesforcefake.Token, nil))
		},
		Faults:       true,
		PullPageSize: 200,
	})
}

type recorder struct {
	mu   sync.Mutex
	reqs []*http.Request
	next http.RoundTripper
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.reqs = append(r.reqs, req.Clone(req.Context()))
	r.mu.Unlock()
	return r.next.RoundTrip(req)
}

func setup(t *testing.T, object, token string, hc *http.Client) (*salesforcefake.Fake, *connecttest.Clock, connect.Connector) {
	t.Helper()
	clock := connecttest.NewClock(connecttest.Start)
	f := salesforcefake.NewObject(clock, map[string]string{"": "Contact", "Lead": "Lead"}[object])
	t.Cleanup(f.Close)
	c, err := connect.Open(config(f.URL(), object, 0), envWith(clock, token, hc))
	if err != nil {
		t.Fatal(err)
	}
	return f, clock, c
}

func pullAll(t *testing.T, c connect.Connector) connect.Batch {
	t.Helper()
	var all connect.Batch
	err := c.Pull(t.Context(), func(_ context.Context, b connect.Batch) error {
		all.Records = append(all.Records, b.Records...)
		all.Consent = append(all.Consent, b.Consent...)
		return nil
	})
	if err != nil {
		t.Fatalf("pull: %v", err)
	}
	return all
}

func TestOpen(t *testing.T) {
	clock := connecttest.NewClock(connecttest.Start)
	for _, tc := range []struct {
		url, object string
		batch       int
		want        int
		err         string
	}{
		{"https://acme.my.salesforce.com", "", 0, 200, ""},
		{"https://acme.my.salesforce.com/services/data/v60.0", "lead", 50, 50, ""},
		{"", "", 0, 0, "url: missing"},
		{"https://acme.my.salesforce.com", "Account", 0, 0, `object: "Account"`},
	} {
		c, err := connect.Open(config(tc.url, tc.object, tc.batch), envWith(clock, "x", nil))
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%+v: error %v, want %q", tc, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if d := c.Describe(); d.MaxBatch != tc.want || d.Kind != "salesforce" || d.System != "crm" || d.Supports(connect.OpMerge) {
			t.Errorf("%+v: %+v", tc, d)
		}
	}
}

func TestPullMapsContactFieldsAndConsent(t *testing.T) {
	f, _, c := setup(t, "", salesforcefake.Token, nil)
	ids := f.Seed([]connecttest.Seed{{Email: "ana@example.com", FirstName: "Ana", LastName: "Lima"},
		{Email: "bo@example.com", FirstName: "Bo", Suppressed: true}})
	f.Set(ids[0], "Title", "CMO")
	f.Set(ids[0], "Phone", "+1 555 0100")
	f.Set(ids[0], "MailingCountry", "US")
	f.Set(ids[0], "MailingState", "CA")
	f.Set(ids[0], "AccountId", "001FK0000000000001")
	f.Set(ids[1], "DoNotCall", true)
	b := pullAll(t, c)
	want := foundation.Record{System: "crm", SystemID: ids[0], Email: "ana@example.com", FirstName: "Ana", LastName: "Lima",
		Title: "CMO", Phone: "+1 555 0100", Country: "US", Region: "CA", AccountID: "001FK0000000000001",
		CreatedAt: connecttest.Start, UpdatedAt: connecttest.Start}
	if len(b.Records) != 2 || !reflect.DeepEqual(b.Records[0], want) {
		t.Fatalf("records %+v\nwant first %+v", b.Records, want)
	}
	wantFacts := []foundation.Consent{
		{System: "crm", SystemID: ids[1], Email: "bo@example.com", Channel: foundation.ChannelEmail, Status: foundation.StatusUnsubscribed,
			Reason: "Email Opt Out (HasOptedOutOfEmail) set in Salesforce", At: connecttest.Start},
		{System: "crm", SystemID: ids[1], Email: "bo@example.com", Channel: foundation.ChannelPhone, Status: foundation.StatusDoNotContact,
			Reason: "Do Not Call set in Salesforce", At: connecttest.Start},
	}
	if !reflect.DeepEqual(b.Consent, wantFacts) {
		t.Errorf("consent\n got %+v\nwant %+v", b.Consent, wantFacts)
	}
}

func TestLeadsMapAddressAndCompany(t *testing.T) {
	f, _, c := setup(t, "Lead", salesforcefake.Token, nil)
	ids := f.Seed([]connecttest.Seed{{Email: "lea@example.com"}})
	f.Set(ids[0], "Country", "DE")
	f.Set(ids[0], "Company", "Acme GmbH")
	b := pullAll(t, c)
	if r := b.Records[0]; r.Country != "DE" || r.Traits["company"] != "Acme GmbH" || !strings.HasPrefix(r.SystemID, "00Q") {
		t.Errorf("lead %+v", r)
	}
	res := c.Push(t.Context(), []connect.Change{{Key: "k", Op: connect.OpUpdateField, SystemID: ids[0], Field: "region", Value: "Bavaria"}})
	if res[0].Err != nil || f.Get(ids[0], "State") != "Bavaria" {
		t.Errorf("lead region update: %v, State=%v", res[0].Err, f.Get(ids[0], "State"))
	}
}

func TestField(t *testing.T) {
	for _, tc := range []struct{ object, field, want string }{
		{"Contact", "first_name", "FirstName"}, {"Contact", "country", "MailingCountry"}, {"Lead", "country", "Country"},
		{"Contact", "region", "MailingState"}, {"Lead", "company", "Company"}, {"Contact", "traits.Score", "Score__c"},
		{"Contact", "traits.Plan__c", "Plan__c"},
	} {
		if got, err := salesforce.Field(tc.object, tc.field); err != nil || got != tc.want {
			t.Errorf("Field(%s, %s) = %q, %v; want %q", tc.object, tc.field, got, err, tc.want)
		}
	}
	for _, bad := range []string{"company", "nickname", "traits.lead score", "traits.a__b"} {
		if _, err := salesforce.Field("Contact", bad); err == nil {
			t.Errorf("Field(Contact, %q) accepted", bad)
		}
	}
}

func TestPushChannelsFieldsAndMerge(t *testing.T) {
	f, _, c := setup(t, "", salesforcefake.Token, nil)
	ids := f.Seed([]connecttest.Seed{{Email: "a@example.com"}, {Email: "b@example.com"}, {Email: "c@example.com"}})
	res := c.Push(t.Context(), []connect.Change{
		{Key: "dnc", Op: connect.OpSuppress, SystemID: ids[0], Channel: foundation.ChannelPhone, Status: foundation.StatusDoNotContact},
		{Key: "sms", Op: connect.OpSuppress, SystemID: ids[1], Channel: foundation.ChannelSMS, Status: foundation.StatusUnsubscribed},
		{Key: "trait", Op: connect.OpUpdateField, SystemID: ids[1], Field: "traits.Lead_Score", Value: "42"},
		{Key: "merge", Op: connect.OpMerge, SystemID: ids[2], IntoID: ids[0]},
	})
	if res[0].Err != nil || f.Sendable(ids[0], foundation.ChannelPhone) || !f.Sendable(ids[0], foundation.ChannelEmail) {
		t.Errorf("do-not-call: %v", res[0].Err)
	}
	if res[1].Err == nil {
		t.Errorf("an SMS suppress was accepted")
	}
	if res[2].Err != nil || f.Get(ids[1], "Lead_Score__c") != "42" {
		t.Errorf("trait: %v, Lead_Score__c=%v", res[2].Err, f.Get(ids[1], "Lead_Score__c"))
	}
	if !errors.Is(res[3].Err, connect.ErrUnsupported) || !strings.Contains(res[3].Err.Error(), "in Salesforce") {
		t.Errorf("merge: %v", res[3].Err)
	}
}

func TestWholeRequestErrors(t *testing.T) {
	f, _, c := setup(t, "", salesforcefake.Token, nil)
	ids := f.Seed([]connecttest.Seed{{Email: "a@example.com"}})
	sup := connect.Change{Key: "s", Op: connect.OpSuppress, SystemID: ids[0], Channel: foundation.ChannelEmail, Status: foundation.StatusUnsubscribed}
	f.LimitExceeded(1)
	res := c.Push(t.Context(), []connect.Change{sup})
	if _, retry := connect.Retryable(res[0].Err); !retry || !strings.Contains(res[0].Err.Error(), "REQUEST_LIMIT_EXCEEDED") {
		t.Errorf("403 REQUEST_LIMIT_EXCEEDED: %v", res[0].Err)
	}
	if res := c.Push(t.Context(), []connect.Change{sup}); res[0].Err != nil || f.Sendable(ids[0], foundation.ChannelEmail) {
		t.Errorf("after the limit: %v", res[0].Err)
	}
}

func TestRefusedTokenSpeaksPlainly(t *testing.T) {
	const wrong = "00DWRONG!session-value-that-must-not-leak"
	f, _, c := setup(t, "", wrong, nil)
	ids := f.Seed([]connecttest.Seed{{Email: "a@example.com"}})
	err := c.Pull(t.Context(), func(_ context.Context, _ connect.Batch) error { return nil })
	res := c.Push(t.Context(), []connect.Change{{Key: "s", Op: connect.OpSuppress, SystemID: ids[0], Channel: foundation.ChannelEmail}})
	for _, e := range []error{err, res[0].Err} {
		if e == nil || !strings.Contains(e.Error(), "the Salesforce token in SALESFORCE_TOKEN was refused: renew it") {
			t.Errorf("refused token: %v", e)
			continue
		}
		if strings.Contains(e.Error(), wrong) {
			t.Errorf("the error holds the token: %v", e)
		}
		if _, retry := connect.Retryable(e); retry {
			t.Errorf("a refused token is retryable: %v", e)
		}
	}
}

func TestTokenStaysInTheHeader(t *testing.T) {
	rec := &recorder{next: http.DefaultTransport}
	f, _, c := setup(t, "", salesforcefake.Token, &http.Client{Transport: rec, Timeout: 10 * time.Second})
	f.SetPageSize(200)
	seeds := make([]connecttest.Seed, 250)
	for i := range seeds {
		seeds[i] = connecttest.Seed{Email: "x@example.com"}
	}
	ids := f.Seed(seeds)
	f.Reject(ids[1])
	var errs []error
	sup := connect.Change{Key: "s", Op: connect.OpSuppress, SystemID: ids[0], Channel: foundation.ChannelEmail}
	for _, fault := range []func(){func() { f.RateLimit(1, time.Second) }, func() { f.FailNext(1, 500) }, func() { f.DropNext(1) }, func() {}} {
		fault()
		for _, r := range c.Push(t.Context(), []connect.Change{sup, {Key: "r", Op: connect.OpSuppress, SystemID: ids[1]}}) {
			errs = append(errs, r.Err)
		}
	}
	errs = append(errs, c.Pull(t.Context(), func(_ context.Context, _ connect.Batch) error { return nil }))
	for _, err := range errs {
		if err != nil && strings.Contains(err.Error(), salesforcefake.Token) {
			t.Errorf("an error holds the token: %v", err)
		}
	}
	if len(rec.reqs) < 6 {
		t.Fatalf("recorded %d requests", len(rec.reqs))
	}
	for _, r := range rec.reqs {
		if strings.Contains(r.URL.String(), salesforcefake.Token) {
			t.Errorf("a URL holds the token")
		}
		if r.Header.Get("Authorization") != "Bearer "+salesforcefake.Token {
			t.Errorf("%s %s: no bearer token", r.Method, r.URL.Path)
		}
	}
}
