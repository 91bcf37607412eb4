package ingest

import (
	"context"
	"fmt"

	"github.com/towerops/tower/internal/foundation"
	"github.com/towerops/tower/internal/store"
)

var licensesSpec = &csvSpec[foundation.License]{
	kind: KindLicenses,
	layout: layout{columns: []column{
		{"tool", true}, {"vendor", false}, {"category", false}, {"seats", true}, {"cost_per_seat_month", true},
		{"renewal_date", false}, {"owner_email", false},
	}},
	decode: func(r *row) foundation.License {
		return foundation.License{
			Tool: r.str("tool"), Vendor: r.str("vendor"), Category: r.str("category"), Seats: r.int("seats"),
			CostPerSeatMonth: r.decimal("cost_per_seat_month"), RenewalDate: r.date("renewal_date"),
			OwnerEmail: r.email("owner_email"),
		}
	},
	validate:  func(v *foundation.License) error { return v.Validate() },
	key:       func(d *dedupe, v *foundation.License) { d.add(v.Tool) },
	describe:  func(v *foundation.License) string { return fmt.Sprintf("tool %q", v.Tool) },
	keyColumn: "tool",
	write: func(ctx context.Context, q store.Queries, items []foundation.License) (*store.UpsertResult, error) {
		return q.LicensesUpsert(ctx, &store.LicensesUpsertParams{Licenses: items})
	},
}

var licenseUsageSpec = &csvSpec[foundation.LicenseUsage]{
	kind: KindLicenseUsage,
	layout: layout{columns: []column{
		{"tool", true}, {"user_email", true}, {"last_active_at", false}, {"actions_30d", false},
	}},
	decode: func(r *row) foundation.LicenseUsage {
		return foundation.LicenseUsage{
			Tool: r.str("tool"), UserEmail: r.email("user_email"), LastActiveAt: r.time("last_active_at"),
			Actions30d: r.int("actions_30d"),
		}
	},
	validate: func(v *foundation.LicenseUsage) error { return v.Validate() },
	key: func(d *dedupe, v *foundation.LicenseUsage) {
		d.add(v.Tool)
		d.add(v.UserEmail)
	},
	describe:  func(v *foundation.LicenseUsage) string { return fmt.Sprintf("user %s of tool %q", v.UserEmail, v.Tool) },
	keyColumn: "user_email",
	write: func(ctx context.Context, q store.Queries, items []foundation.LicenseUsage) (*store.UpsertResult, error) {
		return q.LicenseUsageUpsert(ctx, &store.LicenseUsageUpsertParams{Usage: items})
	},
}
