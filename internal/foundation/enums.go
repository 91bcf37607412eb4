package foundation

import (
	"fmt"
	"strings"
)

// Team is the part of the company an owner belongs to.
type Team string

const (
	TeamSales     Team = "sales"
	TeamCS        Team = "cs"
	TeamMarketing Team = "marketing"
	TeamOps       Team = "ops"
)

// Teams lists the valid teams in display order.
var Teams = []Team{TeamSales, TeamCS, TeamMarketing, TeamOps}

// Channel is a way of contacting a person that consent applies to.
type Channel string

const (
	ChannelEmail Channel = "email"
	ChannelSMS   Channel = "sms"
	ChannelPhone Channel = "phone"
)

// Channels lists the valid consent channels.
var Channels = []Channel{ChannelEmail, ChannelSMS, ChannelPhone}

// ConsentStatus is the state one system holds for one record on one channel.
type ConsentStatus string

const (
	StatusSubscribed   ConsentStatus = "subscribed"
	StatusUnsubscribed ConsentStatus = "unsubscribed"
	StatusHardBounce   ConsentStatus = "hard_bounce"
	StatusSoftBounce   ConsentStatus = "soft_bounce"
	StatusComplaint    ConsentStatus = "complaint"
	StatusDoNotContact ConsentStatus = "do_not_contact"
)

// ConsentStatuses lists the valid statuses, most restrictive first (the
// "most restrictive wins" order of DOMAIN §1.1).
var ConsentStatuses = []ConsentStatus{
	StatusComplaint, StatusUnsubscribed, StatusDoNotContact,
	StatusHardBounce, StatusSoftBounce, StatusSubscribed,
}

// Rank returns the status's place in the precedence order: 1 is the most
// restrictive (complaint), 6 the least (subscribed), 0 an unknown status.
func (s ConsentStatus) Rank() int {
	for i, v := range ConsentStatuses {
		if v == s {
			return i + 1
		}
	}
	return 0
}

// Sendable reports whether a record in this status may receive marketing.
func (s ConsentStatus) Sendable() bool { return s == StatusSubscribed }

// CampaignChannel is where a campaign runs.
type CampaignChannel string

// CampaignChannels lists the valid campaign channels.
var CampaignChannels = []CampaignChannel{
	"email", "paid_search", "paid_social", "webinar", "display", "direct_mail", "sales_sequence",
}

// Goal is what a campaign is optimised for.
type Goal string

// Goals lists the valid campaign goals.
var Goals = []Goal{"clicks", "conversions", "revenue", "signups"}

// ESP is the e-mail platform a template is written for.
type ESP string

// ESPs lists the platforms Tower knows template dialects for.
var ESPs = []ESP{"braze", "iterable", "hubspot", "marketo", "sfmc", "mailchimp", "generic"}

// Dialect is the template language.
type Dialect string

// Dialects lists the template languages Tower can render.
var Dialects = []Dialect{"liquid", "handlebars"}

// EventType is a Segment-spec message type.
type EventType string

// EventTypes lists the Segment message types Tower accepts.
var EventTypes = []EventType{"identify", "track", "page", "screen", "group", "alias"}

// ParseEnum matches s (trimmed, case-insensitive) against the allowed
// values and returns the canonical one, or an error naming what is allowed.
// The importer and the API use it so "Email" and "email " are accepted and
// "e-mail" is refused with the list of choices.
func ParseEnum[T ~string](s string, allowed []T) (T, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	for _, a := range allowed {
		if string(a) == v {
			return a, nil
		}
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = string(a)
	}
	return "", fmt.Errorf("%q is not one of %s", s, strings.Join(names, ", "))
}
