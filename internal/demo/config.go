package demo

import "time"

// Config says how big a company to generate and from which seed. The zero
// value is the default demo: seed 1, 50,000 people, 5,000 accounts, today
// being 1 November 2026.
type Config struct {
	// Seed picks the company. Default 1. The same seed and sizes give
	// byte-identical output.
	Seed int64
	// People is how many humans the company knows (each appears in one to
	// three systems, so people.csv has about 2.2 rows per human).
	// Default 50,000. Planted facts scale with it but never drop below a
	// handful, so a 3,000-person demo still holds every kind of fact.
	People int
	// Accounts is how many companies those people work at. Default 5,000.
	Accounts int
	// Now is the demo's "today": events cover the six months before it and
	// licence idleness is measured against it. Default 2026-11-01 UTC;
	// other values are truncated to midnight UTC.
	// It is never the wall clock, so output stays reproducible.
	Now time.Time
	// Progress, when set, is called as each step starts and finishes, with
	// done/total counted in steps.
	Progress func(step string, done, total int)
}

// DefaultNow is the demo's "today" when Config.Now is zero.
var DefaultNow = time.Date(2026, time.November, 1, 0, 0, 0, 0, time.UTC)

// withDefaults returns cfg with every zero field set to its default.
func (cfg Config) withDefaults() Config {
	if cfg.Seed == 0 {
		cfg.Seed = 1
	}
	if cfg.People <= 0 {
		cfg.People = 50000
	}
	if cfg.Accounts <= 0 {
		cfg.Accounts = 5000
	}
	if cfg.Now.IsZero() {
		cfg.Now = DefaultNow
	}
	cfg.Now = cfg.Now.UTC().Truncate(24 * time.Hour)
	return cfg
}

// windowDays is how far back events and campaign metrics reach.
const windowDays = 184
