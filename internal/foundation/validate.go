package foundation

import (
	"fmt"
	"strings"
	"time"
)

// FieldError says which field of a value is wrong and why, in words a
// marketing-operations person can act on. Field uses the import column
// name ("system_id", "cost_per_seat_month") or, for events, the Segment
// key ("userId"), so the importer, the API and the console can point at
// the same thing the person typed.
type FieldError struct {
	Field  string
	Reason string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

func required(field, v string) error {
	if strings.TrimSpace(v) == "" {
		return &FieldError{field, "is empty; it is required"}
	}
	return nil
}

func nonNegative[N int | int64 | float64](field string, v N) error {
	if v < 0 {
		return &FieldError{field, fmt.Sprintf("is %v; it cannot be negative", v)}
	}
	return nil
}

// optionalEnum checks v is empty or one of allowed.
func optionalEnum[T ~string](field string, v T, allowed []T) error {
	if v == "" {
		return nil
	}
	return requiredEnum(field, v, allowed)
}

func requiredEnum[T ~string](field string, v T, allowed []T) error {
	if v == "" {
		return &FieldError{field, "is empty; it is required"}
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		if a == v {
			return nil
		}
		names[i] = string(a)
	}
	return &FieldError{field, fmt.Sprintf("%q is not one of %s", v, strings.Join(names, ", "))}
}

// first returns the first non-nil error, so a value reports its first
// problem in field order (the order of the import columns).
func first(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Validate reports the first problem with an owner. An owner's e-mail
// must be a real address because routing and notifications send to it.
func (o Owner) Validate() error {
	err := first(required("id", o.ID), required("name", o.Name), required("email", o.Email))
	if err == nil && !ValidEmailSyntax(o.Email) {
		err = &FieldError{"email", fmt.Sprintf("%q is not an e-mail address", o.Email)}
	}
	return first(err, optionalEnum("team", o.Team, Teams), nonNegative("capacity", o.Capacity))
}

// Validate reports the first problem with an account.
func (a Account) Validate() error {
	return first(required("id", a.ID), required("name", a.Name), nonNegative("employees", a.Employees))
}

// Validate reports the first problem with a product.
func (p Product) Validate() error {
	return first(required("id", p.ID), required("name", p.Name), nonNegative("list_price", p.ListPrice))
}

// Validate reports the first problem with a record. Its e-mail is not
// checked: a record keeps the address as its system holds it, and a
// malformed one is a finding for hygiene skills, not a reason to drop the
// record.
func (r Record) Validate() error {
	return first(required("system", r.System), required("system_id", r.SystemID))
}

// Validate reports the first problem with a consent fact. A fact must
// name its subject (a system id or an e-mail) and its time, because
// precedence between facts is decided by time (DOMAIN §1.1).
func (c Consent) Validate() error {
	err := required("system", c.System)
	if err == nil && strings.TrimSpace(c.SystemID) == "" && strings.TrimSpace(c.Email) == "" {
		err = &FieldError{"system_id", "system_id and email are both empty; a consent fact needs one of them"}
	}
	if err == nil && c.SystemID == "" && !ValidEmailSyntax(c.Email) {
		err = &FieldError{"email", fmt.Sprintf("%q is not an e-mail address", c.Email)}
	}
	err = first(err, requiredEnum("channel", c.Channel, Channels), requiredEnum("status", c.Status, ConsentStatuses))
	if err == nil && c.At.IsZero() {
		err = &FieldError{"at", "is empty; it is required (when the system recorded the fact)"}
	}
	return err
}

// Validate reports the first problem with a holding.
func (h Holding) Validate() error {
	return first(required("account_id", h.AccountID), required("product_id", h.ProductID),
		nonNegative("seats", h.Seats), nonNegative("mrr", h.MRR))
}

// Validate reports the first problem with a campaign.
func (c Campaign) Validate() error {
	err := first(required("id", c.ID), required("name", c.Name),
		requiredEnum("channel", c.Channel, CampaignChannels), optionalEnum("goal", c.Goal, Goals),
		nonNegative("budget", c.Budget))
	if err == nil && !c.StartDate.IsZero() && !c.EndDate.IsZero() && c.EndDate.Before(c.StartDate) {
		err = &FieldError{"end_date", fmt.Sprintf("%s is before start_date %s",
			c.EndDate.Format(time.DateOnly), c.StartDate.Format(time.DateOnly))}
	}
	return err
}

// Validate reports the first problem with a day of campaign metrics.
// Counts and money cannot be negative; Tower does not otherwise second-
// guess a platform's numbers (delivered above sends happens with resends).
func (d CampaignDay) Validate() error {
	err := required("campaign_id", d.CampaignID)
	if err == nil && d.Date.IsZero() {
		err = &FieldError{"date", "is empty; it is required"}
	}
	return first(err,
		nonNegative("sends", d.Sends), nonNegative("delivered", d.Delivered),
		nonNegative("opens", d.Opens), nonNegative("clicks", d.Clicks),
		nonNegative("conversions", d.Conversions), nonNegative("spend", d.Spend),
		nonNegative("revenue", d.Revenue), nonNegative("unsubscribes", d.Unsubscribes),
		nonNegative("hard_bounces", d.HardBounces), nonNegative("complaints", d.Complaints))
}

// Validate reports the first problem with a licence.
func (l License) Validate() error {
	return first(required("tool", l.Tool), nonNegative("seats", l.Seats),
		nonNegative("cost_per_seat_month", l.CostPerSeatMonth))
}

// Validate reports the first problem with a usage row.
func (u LicenseUsage) Validate() error {
	return first(required("tool", u.Tool), required("user_email", u.UserEmail),
		nonNegative("actions_30d", u.Actions30d))
}

// Validate reports the first problem with a template.
func (t Template) Validate() error {
	return first(required("id", t.ID), optionalEnum("esp", t.ESP, ESPs),
		requiredEnum("dialect", t.Dialect, Dialects))
}

// Validate applies the Segment spec's rules for a message: every message
// names who it is about (userId or anonymousId), a track names its event,
// a group its groupId, an alias the previousId it merges, and every
// message has the time it happened.
func (e Event) Validate() error {
	if err := requiredEnum("type", e.Type, EventTypes); err != nil {
		return err
	}
	if e.UserID == "" && e.AnonymousID == "" {
		return &FieldError{"userId", "userId and anonymousId are both missing; a message needs one of them"}
	}
	switch e.Type {
	case "track":
		if strings.TrimSpace(e.Event) == "" {
			return &FieldError{"event", "a track message needs an event name"}
		}
	case "group":
		if e.GroupID == "" {
			return &FieldError{"groupId", "a group message needs a groupId"}
		}
	case "alias":
		if e.PreviousID == "" {
			return &FieldError{"previousId", "an alias message needs a previousId"}
		}
	}
	if e.Timestamp.IsZero() {
		return &FieldError{"timestamp", "is missing; a message needs the time it happened"}
	}
	return nil
}
