// Package mautic connects Tower to a Mautic instance through its REST API.
//
// Mautic keeps consent as do-not-contact entries (lead_donotcontact), one
// per contact and channel, with a reason: 0 contactable, 1 unsubscribed,
// 2 bounced, 3 manual. A pull reads every contact (GET /api/contacts,
// ordered by id, page by page) into records and turns each entry into a
// consent fact; a push adds or removes entries (POST
// /api/contacts/{id}/dnc/{channel}/add|remove) and edits fields in one
// batch call (PATCH /api/contacts/batch/edit), whose per-contact status
// codes become per-change results.
//
// Mautic has no idempotency key: a change pushed twice is safe because
// both calls are idempotent on Mautic's side (adding an entry that is
// already there, removing one that is not, or setting a field to the value
// it holds changes nothing).
//
// Mautic's REST API cannot merge contacts, so merge is not offered; a
// merge sent anyway is refused with what to do instead (Mautic's own
// merge, on the contact's page).
//
// Configuration (connectors/NAME.toml):
//
//	kind      = "mautic"
//	url       = "https://mautic.example.com"  # your Mautic, no /api
//	user_env  = "MAUTIC_USER"                 # API user (HTTP basic auth)
//	token_env = "MAUTIC_PASSWORD"             # that user's password
//
// Basic auth must be switched on in Mautic (Configuration → API Settings).
package mautic
