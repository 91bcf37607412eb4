package hubspotfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// definitions are the fake portal's subscription types: HubSpot's default
// marketing one, an internal one-to-one type, and a custom newsletter.
var definitions = []map[string]any{
	{"id": "1001", "name": "Marketing Information", "description": "Marketing offers and updates.", "purpose": "Marketing",
		"communicationMethod": "Email", "isActive": true, "isDefault": true, "isInternal": false},
	{"id": "1002", "name": "One to One", "description": "One to one emails.", "purpose": "Sales",
		"communicationMethod": "Email", "isActive": true, "isDefault": true, "isInternal": true},
	{"id": "1003", "name": "Product newsletter", "description": "Monthly product news.", "purpose": "Marketing",
		"communicationMethod": "Email", "isActive": true, "isDefault": false, "isInternal": false},
}

func knownSubscription(id int64) bool {
	for _, d := range definitions {
		if d["id"] == fmt.Sprint(id) {
			return true
		}
	}
	return false
}

// definitions is GET /communication-preferences/v4/definitions.
func (f *Fake) definitions(w http.ResponseWriter, r *http.Request) {
	now := f.clock.Now()
	writeJSON(w, http.StatusOK, map[string]any{"status": "COMPLETE", "results": definitions, "startedAt": stamp(now), "completedAt": stamp(now)})
}

func (f *Fake) channel(w http.ResponseWriter, ch string) bool {
	if ch != "EMAIL" {
		writeError(w, http.StatusBadRequest, "VALIDATION_ERROR", fmt.Sprintf("channel must be one of EMAIL, SMS, WHATSAPP; got %q", ch))
		return false
	}
	return true
}

func prefError(email, msg string) map[string]any {
	return map[string]any{"status": "error", "category": "VALIDATION_ERROR", "message": msg,
		"context": map[string]any{"subscriberIdString": []string{email}}}
}

// unsubscribeAll is POST
// /communication-preferences/v4/statuses/batch/unsubscribe-all?channel=EMAIL
// with {"inputs": [address, …]}: each address opts out of all e-mail.
func (f *Fake) unsubscribeAll(w http.ResponseWriter, r *http.Request) {
	if !f.channel(w, r.URL.Query().Get("channel")) {
		return
	}
	var body struct {
		Inputs []string `json:"inputs"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeError(w, http.StatusBadRequest, "VALIDATION_ERROR", "Invalid input JSON: "+err.Error())
		return
	}
	if len(body.Inputs) > BatchLimit {
		writeError(w, http.StatusBadRequest, "VALIDATION_ERROR", fmt.Sprintf("Batch input has %d items; the maximum is %d", len(body.Inputs), BatchLimit))
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.clock.Now()
	var results, errs []map[string]any
	for _, email := range body.Inputs {
		e := strings.ToLower(strings.TrimSpace(email))
		if !strings.Contains(e, "@") {
			errs = append(errs, prefError(email, fmt.Sprintf("%q is not a valid email address", email)))
			continue
		}
		if c := f.byEmail(e); c != nil && f.rejected[c.id] {
			errs = append(errs, prefError(email, fmt.Sprintf("Subscription status of %s cannot be changed: the contact is blocked", email)))
			continue
		}
		if !f.optOut[e] {
			f.optOut[e] = true
			f.touch(e, now)
			f.mutations++
		}
		results = append(results, map[string]any{"subscriberIdString": email, "statuses": f.statuses(e, now)})
	}
	writeBatch(w, results, errs, now)
}

// batchWrite is POST /communication-preferences/v4/statuses/batch/write.
// Subscribing an address lifts its opt-out of all e-mail, as v4 allows.
func (f *Fake) batchWrite(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Inputs []struct {
			Subscriber  string `json:"subscriberIdString"`
			Channel     string `json:"channel"`
			State       string `json:"statusState"`
			Sub         int64  `json:"subscriptionId"`
			LegalBasis  string `json:"legalBasis"`
			Explanation string `json:"legalBasisExplanation"`
		} `json:"inputs"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeError(w, http.StatusBadRequest, "VALIDATION_ERROR", "Invalid input JSON: "+err.Error())
		return
	}
	if len(body.Inputs) > BatchLimit {
		writeError(w, http.StatusBadRequest, "VALIDATION_ERROR", fmt.Sprintf("Batch input has %d items; the maximum is %d", len(body.Inputs), BatchLimit))
		return
	}
	for _, in := range body.Inputs {
		if !f.channel(w, in.Channel) {
			return
		}
		switch {
		case in.State != "SUBSCRIBED" && in.State != "UNSUBSCRIBED" && in.State != "NOT_SPECIFIED":
			writeError(w, http.StatusBadRequest, "VALIDATION_ERROR", fmt.Sprintf("statusState %q is not one of SUBSCRIBED, UNSUBSCRIBED, NOT_SPECIFIED", in.State))
			return
		case !knownSubscription(in.Sub):
			writeError(w, http.StatusBadRequest, "VALIDATION_ERROR", fmt.Sprintf("subscriptionId %d does not exist", in.Sub))
			return
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.clock.Now()
	var results, errs []map[string]any
	for _, in := range body.Inputs {
		e := strings.ToLower(strings.TrimSpace(in.Subscriber))
		if c := f.byEmail(e); c != nil && f.rejected[c.id] {
			errs = append(errs, prefError(in.Subscriber, fmt.Sprintf("Subscription status of %s cannot be changed: the contact is blocked", in.Subscriber)))
			continue
		}
		if f.subs[e] == nil {
			f.subs[e] = map[int64]string{}
		}
		changed := f.subs[e][in.Sub] != in.State
		f.subs[e][in.Sub] = in.State
		if in.State == "SUBSCRIBED" && f.optOut[e] {
			delete(f.optOut, e)
			changed = true
		}
		if changed {
			f.touch(e, now)
			f.mutations++
		}
		results = append(results, map[string]any{"subscriberIdString": in.Subscriber, "channel": "EMAIL", "subscriptionId": in.Sub,
			"status": in.State, "source": "Public API", "legalBasis": in.LegalBasis, "legalBasisExplanation": in.Explanation, "timestamp": stamp(now)})
	}
	writeBatch(w, results, errs, now)
}

// touch marks the address's contact modified. Callers hold f.mu.
func (f *Fake) touch(email string, now time.Time) {
	if c := f.byEmail(email); c != nil {
		c.updated = now
	}
}

// statuses lists an address's subscription statuses. Callers hold f.mu.
func (f *Fake) statuses(e string, now time.Time) []map[string]any {
	out := []map[string]any{}
	for id, st := range f.subs[e] {
		out = append(out, map[string]any{"subscriberIdString": e, "channel": "EMAIL", "subscriptionId": id, "status": st, "timestamp": stamp(now)})
	}
	return out
}

// batchRead is POST /communication-preferences/v4/statuses/batch/read?channel=EMAIL
// with {"inputs": [address, …]}: each address's subscription statuses.
func (f *Fake) batchRead(w http.ResponseWriter, r *http.Request) {
	if !f.channel(w, r.URL.Query().Get("channel")) {
		return
	}
	var body struct {
		Inputs []string `json:"inputs"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeError(w, http.StatusBadRequest, "VALIDATION_ERROR", "Invalid input JSON: "+err.Error())
		return
	}
	if len(body.Inputs) > BatchLimit {
		writeError(w, http.StatusBadRequest, "VALIDATION_ERROR", fmt.Sprintf("Batch input has %d items; the maximum is %d", len(body.Inputs), BatchLimit))
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.clock.Now()
	var results []map[string]any
	for _, email := range body.Inputs {
		results = append(results, map[string]any{"subscriberIdString": email, "statuses": f.statuses(strings.ToLower(email), now)})
	}
	writeBatch(w, results, nil, now)
}
