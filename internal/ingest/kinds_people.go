package ingest

import (
	"context"
	"fmt"
	"time"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

// peopleSpec reads people.csv: one row per record per system. The e-mail
// is kept as the system holds it (the store links records by its
// normalised form), so a malformed address is data to clean, not a reason
// to drop the record.
var peopleSpec = &csvSpec[foundation.Record]{
	kind: KindPeople,
	layout: layout{traits: true, columns: []column{
		{"system", true}, {"system_id", true}, {"email", false}, {"first_name", false}, {"last_name", false},
		{"title", false}, {"phone", false}, {"account_id", false}, {"country", false}, {"region", false},
		{"created_at", false}, {"updated_at", false},
	}},
	decode: func(r *row) foundation.Record {
		return foundation.Record{
			System: r.str("system"), SystemID: r.str("system_id"), Email: r.str("email"),
			FirstName: r.str("first_name"), LastName: r.str("last_name"), Title: r.str("title"),
			Phone: r.str("phone"), AccountID: r.str("account_id"), Country: r.str("country"),
			Region: r.str("region"), Traits: r.traits(),
			CreatedAt: r.time("created_at"), UpdatedAt: r.time("updated_at"),
		}
	},
	validate: func(v *foundation.Record) error { return v.Validate() },
	key: func(d *dedupe, v *foundation.Record) {
		d.add(v.System)
		d.add(v.SystemID)
	},
	describe: func(v *foundation.Record) string {
		return fmt.Sprintf("system_id %q for system %q", v.SystemID, v.System)
	},
	keyColumn: "system_id",
	write: func(ctx context.Context, q store.Queries, items []foundation.Record) (*store.UpsertResult, error) {
		return q.RecordsUpsert(ctx, &store.RecordsUpsertParams{Records: items})
	},
}

// consentSpec reads consent.csv. Each row is one fact; its natural key
// includes the time, so the same system can say "subscribed" in March and
// "unsubscribed" in May and both are kept.
var consentSpec = &csvSpec[foundation.Consent]{
	kind: KindConsent,
	layout: layout{anyOf: []string{"system_id", "email"}, columns: []column{
		{"system", true}, {"system_id", false}, {"email", false}, {"channel", true}, {"status", true},
		{"reason", false}, {"at", true},
	}},
	decode: func(r *row) foundation.Consent {
		return foundation.Consent{
			System: r.str("system"), SystemID: r.str("system_id"), Email: r.email("email"),
			Channel: enum(r, "channel", foundation.Channels), Status: enum(r, "status", foundation.ConsentStatuses),
			Reason: r.str("reason"), At: r.time("at"),
		}
	},
	validate: func(v *foundation.Consent) error { return v.Validate() },
	key: func(d *dedupe, v *foundation.Consent) {
		d.add(v.System)
		d.add(v.SystemID)
		d.add(v.Email)
		d.add(string(v.Channel))
		d.add(string(v.Status))
		d.add(v.At.Format(time.RFC3339Nano))
	},
	describe: func(v *foundation.Consent) string {
		who := v.SystemID
		if who == "" {
			who = v.Email
		}
		return fmt.Sprintf("consent fact (%s %s %s %s at %s)", v.System, who, v.Channel, v.Status, v.At.Format(time.RFC3339))
	},
	keyColumn: "system",
	write: func(ctx context.Context, q store.Queries, items []foundation.Consent) (*store.UpsertResult, error) {
		return q.ConsentUpsert(ctx, &store.ConsentUpsertParams{Consents: items})
	},
}
