package demo

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// csvFile writes one bundle CSV: a header and rows of strings.
func csvFile(dir, name string, header []string, rows func(emit func(...string))) (err error) {
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		return fmt.Errorf("create %s: %w", name, err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("close %s: %w", name, cerr)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<16)
	cw := csv.NewWriter(bw)
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	var werr error
	rows(func(v ...string) {
		if werr == nil {
			werr = cw.Write(v)
		}
	})
	cw.Flush()
	if werr == nil {
		werr = cw.Error()
	}
	if werr == nil {
		werr = bw.Flush()
	}
	if werr != nil {
		return fmt.Errorf("write %s: %w", name, werr)
	}
	return nil
}

func itoa(n int) string     { return strconv.Itoa(n) }
func i64(n int64) string    { return strconv.FormatInt(n, 10) }
func ftoa(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// writeBundle writes every file of the bundle except truth.json.
func writeBundle(dir string, w *world) error {
	if err := os.MkdirAll(filepath.Join(dir, "templates"), 0o755); err != nil {
		return fmt.Errorf("create bundle folder: %w", err)
	}
	steps := []func() error{
		func() error {
			return csvFile(dir, "owners.csv", []string{"id", "name", "email", "team", "region", "capacity"}, func(emit func(...string)) {
				for _, o := range w.owners {
					emit(o.id, o.name, o.email, o.team, o.region, itoa(o.capacity))
				}
			})
		},
		func() error {
			return csvFile(dir, "accounts.csv", []string{"id", "name", "domain", "industry", "employees", "region", "tier", "owner_id", "lifecycle_stage", "country"}, func(emit func(...string)) {
				for _, a := range w.accounts {
					emit(a.id, a.name, a.domain, a.industry, itoa(a.employees), a.region, a.tier, a.ownerID, a.stage, a.country)
				}
			})
		},
		func() error {
			return csvFile(dir, "products.csv", []string{"id", "name", "family", "list_price"}, func(emit func(...string)) {
				for _, p := range w.products {
					emit(p.id, p.name, p.family, ftoa(p.price))
				}
			})
		},
		func() error {
			return csvFile(dir, "people.csv", []string{"system", "system_id", "email", "first_name", "last_name", "title", "phone",
				"account_id", "country", "region", "created_at", "updated_at", "lead_score", "persona", "utm_source", "plan", "trial_days_left", "lifecycle_stage"}, func(emit func(...string)) {
				for _, r := range w.records {
					emit(systemNames[r.system], r.id, r.email, r.first, r.last, r.title, r.phone, r.accountID, r.country, r.region,
						stamp(r.created), stamp(r.updated), r.leadScore, r.persona, r.utmSource, r.plan, r.trialDaysLeft, r.stage)
				}
			})
		},
		func() error {
			return csvFile(dir, "consent.csv", []string{"system", "system_id", "email", "channel", "status", "reason", "at"}, func(emit func(...string)) {
				for _, c := range w.consent {
					emit(systemNames[c.system], c.systemID, c.email, c.channel, c.status, c.reason, stamp(c.at))
				}
			})
		},
		func() error {
			return csvFile(dir, "holdings.csv", []string{"account_id", "product_id", "since", "seats", "mrr", "person_email"}, func(emit func(...string)) {
				for _, h := range w.holdings {
					emit(h.accountID, h.productID, date(h.since), itoa(h.seats), ftoa(h.mrr), h.personEmail)
				}
			})
		},
		func() error {
			return csvFile(dir, "campaigns.csv", []string{"id", "name", "channel", "owner_id", "start_date", "end_date", "budget", "goal", "segment", "utm_campaign", "landing_url"}, func(emit func(...string)) {
				for _, c := range w.campaigns {
					emit(c.id, c.name, c.channel, c.ownerID, date(c.start), date(c.end), ftoa(c.budget), c.goal, c.segment, c.slug, c.landingURL)
				}
			})
		},
		func() error {
			return csvFile(dir, "campaign_days.csv", []string{"campaign_id", "date", "variant", "sends", "delivered", "opens", "clicks",
				"conversions", "spend", "revenue", "unsubscribes", "hard_bounces", "complaints"}, func(emit func(...string)) {
				for _, d := range w.days {
					emit(d.campaignID, date(d.date), d.variant, i64(d.sends), i64(d.delivered), i64(d.opens), i64(d.clicks),
						i64(d.convs), ftoa(d.spend), ftoa(d.revenue), i64(d.unsubs), i64(d.hardBounces), i64(d.complaints))
				}
			})
		},
		func() error {
			return csvFile(dir, "licenses.csv", []string{"tool", "vendor", "category", "seats", "cost_per_seat_month", "renewal_date", "owner_email"}, func(emit func(...string)) {
				for _, l := range w.licenses {
					emit(l.tool, l.vendor, l.category, itoa(l.seats), ftoa(l.cost), date(l.renewal), l.ownerEmail)
				}
			})
		},
		func() error {
			return csvFile(dir, "license_usage.csv", []string{"tool", "user_email", "last_active_at", "actions_30d"}, func(emit func(...string)) {
				for _, u := range w.usage {
					last := ""
					if !u.lastActive.IsZero() {
						last = stamp(u.lastActive)
					}
					emit(u.tool, u.email, last, itoa(u.actions))
				}
			})
		},
		func() error { return writeEvents(dir, w.events) },
		func() error {
			for _, t := range w.templates {
				if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(t.path)), t.body, 0o644); err != nil {
					return fmt.Errorf("write %s: %w", t.path, err)
				}
			}
			return nil
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

func writeEvents(dir string, events []event) (err error) {
	f, err := os.Create(filepath.Join(dir, "events.ndjson"))
	if err != nil {
		return fmt.Errorf("create events.ndjson: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("close events.ndjson: %w", cerr)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	for _, e := range events {
		bw.Write(e.line)
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write events.ndjson: %w", err)
	}
	return nil
}
