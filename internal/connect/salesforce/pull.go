package salesforce

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/towerops/tower/internal/connect"
	"github.com/towerops/tower/internal/foundation"
)

// Pulls wait out a rate limit or an outage: up to 8 tries per page, from
// 2 s up to a minute apart (longer when Salesforce says Retry-After).
var (
	pullBackoff  = connect.Backoff{Base: 2 * time.Second, Max: time.Minute}
	pullAttempts = 8
)

// fields is what a pull selects, per object.
func (s *Salesforce) fields() []string {
	common := []string{"Id", "Email", "FirstName", "LastName", "Title", "Phone", "HasOptedOutOfEmail", "DoNotCall",
		"CreatedDate", "LastModifiedDate"}
	if s.object == "Lead" {
		return append(common, "Country", "State", "Company")
	}
	return append(common, "MailingCountry", "MailingState", "AccountId")
}

type queryPage struct {
	Done           bool             `json:"done"`
	NextRecordsURL string           `json:"nextRecordsUrl"`
	Records        []map[string]any `json:"records"`
}

// Pull runs one SOQL query and follows nextRecordsUrl to its end.
func (s *Salesforce) Pull(ctx context.Context, emit func(context.Context, connect.Batch) error) error {
	soql := "SELECT " + strings.Join(s.fields(), ", ") + " FROM " + s.object
	path := s.path("/query?" + url.Values{"q": {soql}}.Encode())
	for page := 1; ; page++ {
		var qp queryPage
		err := connect.Retry(ctx, s.env.Clock, pullBackoff, pullAttempts, func(ctx context.Context) error {
			qp = queryPage{}
			return s.do(ctx, http.MethodGet, path, nil, nil, &qp)
		})
		if err != nil {
			return fmt.Errorf("salesforce %s: read %ss, page %d: %w", s.cfg.Name, s.object, page, err)
		}
		if err := emit(ctx, s.batchOf(qp.Records)); err != nil {
			return err
		}
		if qp.Done || qp.NextRecordsURL == "" {
			return nil
		}
		if !strings.HasPrefix(qp.NextRecordsURL, "/services/data/") {
			return fmt.Errorf("salesforce %s: page %d: unexpected nextRecordsUrl %q", s.cfg.Name, page, qp.NextRecordsURL)
		}
		path = qp.NextRecordsURL
	}
}

func str(rec map[string]any, k string) string {
	v, _ := rec[k].(string)
	return strings.TrimSpace(v)
}

// sfTime reads Salesforce's datetime ("2026-03-02T09:00:00.000+0000").
func sfTime(v string) time.Time {
	for _, layout := range []string{"2006-01-02T15:04:05.000-0700", time.RFC3339Nano} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// batchOf maps records, and their opt-outs to consent facts dated by the
// record's last change (the latest moment Salesforce says it held):
// HasOptedOutOfEmail → e-mail unsubscribed, DoNotCall → phone
// do-not-contact.
func (s *Salesforce) batchOf(recs []map[string]any) connect.Batch {
	var b connect.Batch
	for _, rec := range recs {
		r := foundation.Record{System: s.cfg.System, SystemID: str(rec, "Id"), Email: str(rec, "Email"),
			FirstName: str(rec, "FirstName"), LastName: str(rec, "LastName"), Title: str(rec, "Title"), Phone: str(rec, "Phone"),
			CreatedAt: sfTime(str(rec, "CreatedDate")), UpdatedAt: sfTime(str(rec, "LastModifiedDate"))}
		if s.object == "Lead" {
			r.Country, r.Region = str(rec, "Country"), str(rec, "State")
			if c := str(rec, "Company"); c != "" {
				r.Traits = foundation.Traits{"company": c}
			}
		} else {
			r.Country, r.Region, r.AccountID = str(rec, "MailingCountry"), str(rec, "MailingState"), str(rec, "AccountId")
		}
		b.Records = append(b.Records, r)
		fact := foundation.Consent{System: s.cfg.System, SystemID: r.SystemID, Email: foundation.NormalizeEmail(r.Email), At: r.UpdatedAt}
		if rec["HasOptedOutOfEmail"] == true {
			f := fact
			f.Channel, f.Status, f.Reason = foundation.ChannelEmail, foundation.StatusUnsubscribed, "Email Opt Out (HasOptedOutOfEmail) set in Salesforce"
			b.Consent = append(b.Consent, f)
		}
		if rec["DoNotCall"] == true {
			f := fact
			f.Channel, f.Status, f.Reason = foundation.ChannelPhone, foundation.StatusDoNotContact, "Do Not Call set in Salesforce"
			b.Consent = append(b.Consent, f)
		}
	}
	return b
}
