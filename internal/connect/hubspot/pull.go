package hubspot

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

// pulledProperties are the contact properties a pull asks for.
var pulledProperties = []string{"email", "firstname", "lastname", "phone", "jobtitle", "country", "state",
	"company", "lifecyclestage", "hs_email_optout", "createdate", "lastmodifieddate"}

// Pulls wait out a rate limit or an outage: up to 8 tries per page, from
// 2 s up to a minute apart (longer when HubSpot says Retry-After).
var (
	pullBackoff  = connect.Backoff{Base: 2 * time.Second, Max: time.Minute}
	pullAttempts = 8
)

type object struct {
	ID         string             `json:"id"`
	Properties map[string]*string `json:"properties"`
	CreatedAt  time.Time          `json:"createdAt"`
	UpdatedAt  time.Time          `json:"updatedAt"`
	Archived   bool               `json:"archived"`
}

func (o object) prop(name string) string {
	if v := o.Properties[name]; v != nil {
		return strings.TrimSpace(*v)
	}
	return ""
}

type listPage struct {
	Results []object `json:"results"`
	Paging  struct {
		Next struct {
			After string `json:"after"`
		} `json:"next"`
	} `json:"paging"`
}

// Pull pages through every contact, 100 at a time.
func (h *HubSpot) Pull(ctx context.Context, emit func(context.Context, connect.Batch) error) error {
	after := ""
	for page := 1; ; page++ {
		q := url.Values{"limit": {fmt.Sprint(PageSize)}, "properties": {strings.Join(pulledProperties, ",")}, "archived": {"false"}}
		if after != "" {
			q.Set("after", after)
		}
		var lp listPage
		err := connect.Retry(ctx, h.env.Clock, pullBackoff, pullAttempts, func(ctx context.Context) error {
			lp = listPage{}
			_, err := h.do(ctx, http.MethodGet, "/crm/v3/objects/contacts?"+q.Encode(), nil, &lp)
			return err
		})
		if err != nil {
			return fmt.Errorf("hubspot %s: read contacts, page %d: %w", h.cfg.Name, page, err)
		}
		unsub, err := h.unsubscribed(ctx, lp.Results)
		if err != nil {
			return fmt.Errorf("hubspot %s: read subscription statuses, page %d: %w", h.cfg.Name, page, err)
		}
		if err := emit(ctx, h.batchOf(lp.Results, unsub)); err != nil {
			return err
		}
		next := lp.Paging.Next.After
		if next == "" || next == after {
			return nil
		}
		after = next
	}
}

// statusAnswer is a batch read of subscription statuses.
type statusAnswer struct {
	Results []struct {
		Subscriber string `json:"subscriberIdString"`
		Statuses   []struct {
			SubscriptionID int64     `json:"subscriptionId"`
			Status         string    `json:"status"`
			Channel        string    `json:"channel"`
			Timestamp      time.Time `json:"timestamp"`
		} `json:"statuses"`
	} `json:"results"`
}

// unsubscribed reads the page's addresses' subscription statuses and
// returns, by normalised address, when each unsubscribed from the
// marketing subscription type (the one an unsuppress subscribes to).
func (h *HubSpot) unsubscribed(ctx context.Context, objs []object) (map[string]time.Time, error) {
	var emails []string
	for _, o := range objs {
		if e := o.prop("email"); foundation.NormalizeEmail(e) != "" {
			emails = append(emails, e)
		}
	}
	if len(emails) == 0 {
		return nil, nil
	}
	var sub int64
	err := connect.Retry(ctx, h.env.Clock, pullBackoff, pullAttempts, func(ctx context.Context) error {
		var err error
		sub, err = h.marketingSubscription(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	var ans statusAnswer
	err = connect.Retry(ctx, h.env.Clock, pullBackoff, pullAttempts, func(ctx context.Context) error {
		ans = statusAnswer{}
		_, err := h.do(ctx, http.MethodPost, batchReadPath, map[string]any{"inputs": emails}, &ans)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := map[string]time.Time{}
	for _, r := range ans.Results {
		for _, st := range r.Statuses {
			if st.SubscriptionID == sub && st.Status == "UNSUBSCRIBED" && (st.Channel == "" || st.Channel == "EMAIL") {
				out[foundation.NormalizeEmail(r.Subscriber)] = st.Timestamp.UTC()
			}
		}
	}
	return out, nil
}

// batchOf maps contacts to records. An opt-out of all e-mail
// (hs_email_optout) becomes an unsubscribed consent fact dated by the
// contact's last change, the latest moment HubSpot says it held; an
// unsubscribe from the marketing subscription type becomes one dated by
// the status's own timestamp.
func (h *HubSpot) batchOf(objs []object, unsub map[string]time.Time) connect.Batch {
	var b connect.Batch
	for _, o := range objs {
		b.Records = append(b.Records, h.record(o))
		email := foundation.NormalizeEmail(o.prop("email"))
		fact := foundation.Consent{System: h.cfg.System, SystemID: o.ID, Email: email,
			Channel: foundation.ChannelEmail, Status: foundation.StatusUnsubscribed}
		if strings.EqualFold(o.prop("hs_email_optout"), "true") {
			fact.Reason, fact.At = "opted out of all email in HubSpot (hs_email_optout)", o.UpdatedAt.UTC()
			b.Consent = append(b.Consent, fact)
		} else if at, ok := unsub[email]; ok && email != "" {
			fact.Reason, fact.At = "unsubscribed from HubSpot's marketing email subscription", at
			b.Consent = append(b.Consent, fact)
		}
	}
	return b
}

func (h *HubSpot) record(o object) foundation.Record {
	r := foundation.Record{System: h.cfg.System, SystemID: o.ID, Email: o.prop("email"),
		FirstName: o.prop("firstname"), LastName: o.prop("lastname"), Title: o.prop("jobtitle"),
		Phone: o.prop("phone"), Country: o.prop("country"), Region: o.prop("state"),
		CreatedAt: o.CreatedAt.UTC(), UpdatedAt: o.UpdatedAt.UTC()}
	for prop, trait := range map[string]string{"company": "company", "lifecyclestage": "lifecycle_stage"} {
		if v := o.prop(prop); v != "" {
			if r.Traits == nil {
				r.Traits = foundation.Traits{}
			}
			r.Traits[trait] = v
		}
	}
	return r
}
