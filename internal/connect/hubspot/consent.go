package hubspot

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/towerops/tower/internal/connect"
	"github.com/towerops/tower/internal/foundation"
)

// HubSpot keeps e-mail consent by address in the communication-
// preferences API, not on the contact (hs_email_optout is read-only).
//
// A suppress opts the address out of all e-mail (v4 batch
// unsubscribe-all, channel EMAIL), whatever Tower's status: HubSpot has
// no separate state for a complaint, a hard bounce or do-not-contact, and
// opting out of all is the state that stops every marketing send.
//
// An unsuppress subscribes the address to the portal's marketing
// subscription type (v4 batch write, SUBSCRIBED, legal basis
// CONSENT_WITH_NOTICE with the change's reason as explanation). v4, unlike
// v3, lifts an opt-out of all when it subscribes an address; the other
// subscription types are left as they are, since the person opted in
// again, not into everything.
const (
	unsubscribeAllPath = "/communication-preferences/v4/statuses/batch/unsubscribe-all?channel=EMAIL"
	batchWritePath     = "/communication-preferences/v4/statuses/batch/write"
	batchReadPath      = "/communication-preferences/v4/statuses/batch/read?channel=EMAIL"
	definitionsPath    = "/communication-preferences/v4/definitions"
)

func (h *HubSpot) suppress(ctx context.Context, changes []connect.Change, idx []int, res []connect.Result) {
	cs, idx := h.addresses(ctx, changes, idx, res)
	h.batch(ctx, call{path: unsubscribeAllPath, what: "opt out of all email",
		input: func(ch connect.Change) any { return ch.Email },
		ident: func(ch connect.Change) string { return ch.Email }}, cs, idx, res)
}

func (h *HubSpot) unsuppress(ctx context.Context, changes []connect.Change, idx []int, res []connect.Result) {
	cs, idx := h.addresses(ctx, changes, idx, res)
	if len(idx) == 0 {
		return
	}
	sub, err := h.marketingSubscription(ctx)
	if err != nil {
		for _, i := range idx {
			res[i].Err = err
		}
		return
	}
	h.batch(ctx, call{path: batchWritePath, what: "subscribe to marketing email",
		input: func(ch connect.Change) any {
			why := ch.Reason
			if why == "" {
				why = "Opted in again (recorded by Tower)"
			}
			return map[string]any{"subscriberIdString": ch.Email, "channel": "EMAIL", "statusState": "SUBSCRIBED",
				"subscriptionId": sub, "legalBasis": "CONSENT_WITH_NOTICE", "legalBasisExplanation": why}
		},
		ident: func(ch connect.Change) string { return ch.Email }}, cs, idx, res)
}

// addresses returns the changes with every address filled in, reading the
// contact's address from HubSpot when Tower did not have it, and the
// indexes still to send.
func (h *HubSpot) addresses(ctx context.Context, changes []connect.Change, idx []int, res []connect.Result) ([]connect.Change, []int) {
	cs := slices.Clone(changes)
	var keep []int
	for _, i := range idx {
		if foundation.NormalizeEmail(cs[i].Email) == "" {
			if cs[i].SystemID == "" {
				res[i].Err = fmt.Errorf("hubspot: %s: the change names neither a contact nor an address", cs[i].Op)
				continue
			}
			var o object
			if _, err := h.do(ctx, http.MethodGet, "/crm/v3/objects/contacts/"+url.PathEscape(cs[i].SystemID)+"?properties=email", nil, &o); err != nil {
				res[i].Err = fmt.Errorf("hubspot: read the address of contact %s: %w", cs[i].SystemID, err)
				continue
			}
			if cs[i].Email = o.prop("email"); foundation.NormalizeEmail(cs[i].Email) == "" {
				res[i].Err = fmt.Errorf("hubspot: contact %s has no email address, and HubSpot keeps subscriptions by address", cs[i].SystemID)
				continue
			}
		}
		cs[i].Email = strings.TrimSpace(cs[i].Email)
		keep = append(keep, i)
	}
	return cs, keep
}

type definition struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Purpose    string `json:"purpose"`
	Method     string `json:"communicationMethod"`
	IsActive   bool   `json:"isActive"`
	IsDefault  bool   `json:"isDefault"`
	IsInternal bool   `json:"isInternal"`
}

// marketingSubscription finds (once) the subscription type an unsuppress
// subscribes to: the active e-mail type HubSpot created for marketing
// ("Marketing Information"), else the first active, non-internal
// marketing e-mail type.
func (h *HubSpot) marketingSubscription(ctx context.Context) (int64, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subscription != 0 {
		return h.subscription, nil
	}
	var ans struct {
		Results []definition `json:"results"`
	}
	if _, err := h.do(ctx, http.MethodGet, definitionsPath, nil, &ans); err != nil {
		return 0, fmt.Errorf("hubspot: read the portal's subscription types: %w", err)
	}
	id, err := pickSubscription(ans.Results)
	if err != nil {
		return 0, err
	}
	h.subscription = id
	return id, nil
}

func pickSubscription(defs []definition) (int64, error) {
	var best *definition
	for i, d := range defs {
		email := d.Method == "" || strings.EqualFold(d.Method, "email")
		if !d.IsActive || d.IsInternal || !email || !strings.EqualFold(d.Purpose, "marketing") {
			continue
		}
		if best == nil || (d.IsDefault && !best.IsDefault) {
			best = &defs[i]
		}
	}
	if best == nil {
		return 0, fmt.Errorf("hubspot: the portal has no active marketing email subscription type to subscribe the address to; create one in HubSpot (Settings → Marketing → Email → Subscriptions)")
	}
	id, err := strconv.ParseInt(best.ID, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("hubspot: subscription type %q has id %q, not a number", best.Name, best.ID)
	}
	return id, nil
}
