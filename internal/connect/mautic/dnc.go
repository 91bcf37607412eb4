package mautic

import (
	"fmt"

	"github.com/towerops/tower/internal/foundation"
)

// Mautic's do-not-contact reasons (DoNotContact::IS_CONTACTABLE and so on).
const (
	ReasonContactable  = 0
	ReasonUnsubscribed = 1
	ReasonBounced      = 2
	ReasonManual       = 3
)

// StatusOf is the Tower consent status a do-not-contact reason means.
// A reason Tower does not know is read as manual do-not-contact: when in
// doubt, a contact is not sendable (DOMAIN §1.1, most restrictive wins).
func StatusOf(reason int) foundation.ConsentStatus {
	switch reason {
	case ReasonContactable:
		return foundation.StatusSubscribed
	case ReasonUnsubscribed:
		return foundation.StatusUnsubscribed
	case ReasonBounced:
		return foundation.StatusHardBounce
	default:
		return foundation.StatusDoNotContact
	}
}

// ReasonFor is the do-not-contact reason that carries status into Mautic.
// Mautic has no complaint reason, so a complaint is kept as an
// unsubscribe (both forbid marketing mail until a fresh opt-in). An empty
// status is Mautic's own default for an entry added without a reason:
// manual. Mautic has no time-boxed bounce, so a soft bounce is refused
// rather than turned into a permanent one.
func ReasonFor(status foundation.ConsentStatus) (int, error) {
	switch status {
	case foundation.StatusUnsubscribed, foundation.StatusComplaint:
		return ReasonUnsubscribed, nil
	case foundation.StatusHardBounce:
		return ReasonBounced, nil
	case foundation.StatusDoNotContact, "":
		return ReasonManual, nil
	case foundation.StatusSoftBounce:
		return 0, fmt.Errorf("status soft_bounce: Mautic has no temporary bounce (its reason 2 is permanent); " +
			"suppress with hard_bounce or do_not_contact if the address should stop receiving")
	}
	return 0, fmt.Errorf("status %q cannot be suppressed in Mautic (use unsubscribed, complaint, hard_bounce or do_not_contact)", status)
}

// channelOf is Tower's channel for a Mautic do-not-contact channel; ok is
// false for channels Tower does not track (web notifications and the like).
func channelOf(ch string) (foundation.Channel, bool) {
	switch ch {
	case "email":
		return foundation.ChannelEmail, true
	case "sms":
		return foundation.ChannelSMS, true
	}
	return "", false
}

// mauticChannel is Mautic's name for ch.
func mauticChannel(ch foundation.Channel) (string, error) {
	switch ch {
	case foundation.ChannelEmail, "":
		return "email", nil
	case foundation.ChannelSMS:
		return "sms", nil
	}
	return "", fmt.Errorf("channel %q: Mautic keeps do-not-contact for email and sms only", ch)
}
