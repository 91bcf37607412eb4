package demo

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// Generate writes the demo bundle for cfg into dir (created if missing)
// and returns the truth it also writes to dir/truth.json. The same cfg
// always produces the same bytes.
func Generate(ctx context.Context, dir string, cfg Config) (*Truth, error) {
	cfg = cfg.withDefaults()
	w := &world{cfg: cfg, now: cfg.Now, start: cfg.Now.AddDate(0, 0, -windowDays)}
	steps := []struct {
		name string
		run  func()
	}{
		{"company", func() {
			r := newRand(cfg.Seed, streamCompany)
			w.owners = genOwners()
			w.accounts = genAccounts(r, cfg.Accounts, w.owners)
			w.products = genProducts()
		}},
		{"people", func() {
			r := newRand(cfg.Seed, streamPeople)
			w.humans, w.people = genHumans(r, cfg.People, w.now, w.accounts)
			w.crmNext, w.mapNext = assignSystems(r, w.humans, w.now)
			w.holdings = genHoldings(r, w.accounts, supportContacts(w), w.now)
		}},
		{"planted people facts", func() {
			r := newRand(cfg.Seed, streamPlants)
			plantDuplicates(r, w)
			plantConsent(r, w)
			w.records = append(humanRecords(w.humans, w.accounts), w.dups...)
			sortRecords(w.records)
		}},
		{"consent", func() { genConsent(newRand(cfg.Seed, streamConsent), w) }},
		{"campaigns", func() { genCampaigns(newRand(cfg.Seed, streamCampaigns), w) }},
		{"events", func() {
			genEvents(newRand(cfg.Seed, streamEvents), w)
			plantHygiene(newRand(cfg.Seed, streamHygiene), w)
		}},
		{"growth plants", func() {
			plantCrossSell(newRand(cfg.Seed, streamCrossSell), w)
			plantRouting(newRand(cfg.Seed, streamRouting), w)
		}},
		{"licences", func() { genLicenses(newRand(cfg.Seed, streamLicenses), w) }},
		{"templates", func() { genTemplates(w) }},
	}
	total := len(steps) + 1
	for i, s := range steps {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("demo generation stopped before %s: %w", s.name, err)
		}
		progress(cfg, s.name, i, total)
		s.run()
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("demo generation stopped before writing: %w", err)
	}
	progress(cfg, "write", len(steps), total)
	if err := writeBundle(dir, w); err != nil {
		return nil, err
	}
	t := w.truth()
	if err := writeTruth(filepath.Join(dir, "truth.json"), t); err != nil {
		return nil, err
	}
	progress(cfg, "done", total, total)
	return t, nil
}

func progress(cfg Config, step string, done, total int) {
	if cfg.Progress != nil {
		cfg.Progress(step, done, total)
	}
}

// supportContacts names, per account index, one person who holds the
// account's support contract: its first human with a CRM record.
func supportContacts(w *world) map[int]string {
	out := map[int]string{}
	for _, h := range w.humans {
		if h.account >= 0 && h.in[sysCRM] && !h.role {
			if _, ok := out[h.account]; !ok {
				out[h.account] = h.email
			}
		}
	}
	return out
}

// sortRecords orders people.csv by system, then creation, then id.
func sortRecords(rs []*record) {
	slices.SortStableFunc(rs, func(a, b *record) int {
		if a.system != b.system {
			return a.system - b.system
		}
		if c := a.created.Compare(b.created); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
}

// truth assembles truth.json from the world.
func (w *world) truth() *Truth {
	n := w.noise
	n.ExtraColumns = []string{"lead_score", "persona", "utm_source", "plan", "trial_days_left", "lifecycle_stage"}
	n.RoleAddresses = []string{}
	for _, h := range w.humans {
		switch {
		case h.role:
			n.RoleAddresses = append(n.RoleAddresses, h.email)
		case h.personal:
			n.PersonalAddresses++
		}
	}
	slices.Sort(n.RoleAddresses)
	for _, r := range w.records {
		if r.email != strings.ToLower(r.email) {
			n.MixedCaseRecords++
		}
	}
	facts := w.sortedFacts()
	counts := map[string]int{}
	for _, f := range facts {
		counts[f.Kind]++
	}
	return &Truth{
		Version: 1, Seed: w.cfg.Seed, Company: "Tallyfield (" + companyDomain + ")",
		Now: date(w.now), WindowStart: date(w.start),
		Counts: Counts{
			Owners: len(w.owners), Accounts: len(w.accounts), Products: len(w.products), Humans: len(w.humans),
			PeopleRows: len(w.records), Consent: len(w.consent), Holdings: len(w.holdings),
			Campaigns: len(w.campaigns), CampaignDays: len(w.days), Events: len(w.events),
			Licenses: len(w.licenses), LicenseUsage: len(w.usage), Templates: len(w.templates),
		},
		Noise:      n,
		FactCounts: counts,
		Facts:      facts,
	}
}
