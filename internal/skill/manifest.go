package skill

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/towerops/tower/internal/proposal"
)

// Manifest declares what a skill is, when it runs, what it may propose and
// which parameters it takes.
type Manifest struct {
	Name        string // lower-case words joined by hyphens, e.g. "stale-consent"
	Team        string // the team that owns it: "marketing-ops", "growth", ...
	Description string
	Triggers    Triggers
	// Actions lists the action kinds the skill may propose; the runtime
	// refuses any other kind.
	Actions []proposal.Kind
	Params  []Param
	// Knowledge lists the knowledge layers the skill reads ("products",
	// "brand", "utm", ...); it gets no other.
	Knowledge []string
	// Scopes lists the scope kinds an agent of this skill may have besides
	// "all" (campaign, segment, region, accounts).
	Scopes []string
}

// CheckScope refuses a scope kind the skill does not understand, so an
// agent is never created that would silently look at nothing.
func (m Manifest) CheckScope(kind string, values []string) error {
	if kind == "" || kind == "all" {
		return nil
	}
	if !slices.Contains(m.Scopes, kind) {
		return fmt.Errorf("skill %s cannot be scoped by %s; it accepts: all %s", m.Name, kind, strings.Join(m.Scopes, " "))
	}
	if len(values) == 0 {
		return fmt.Errorf("scope %s needs at least one value", kind)
	}
	return nil
}

// Triggers say when a skill runs.
type Triggers struct {
	// Schedule is a five-field cron expression (minute hour day month
	// weekday, UTC); "" for none.
	Schedule string
	// Events are the signal kinds that trigger a run, e.g. "identify",
	// "track:Order Completed", "import:consent".
	Events []string
}

var namePattern = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// Validate checks a manifest is complete and consistent.
func (m Manifest) Validate() error {
	if !namePattern.MatchString(m.Name) {
		return fmt.Errorf("skill name %q: use lower-case words joined by hyphens", m.Name)
	}
	if m.Team == "" {
		return fmt.Errorf("skill %s: team is required", m.Name)
	}
	if len(m.Actions) == 0 {
		return fmt.Errorf("skill %s: declares no action kinds", m.Name)
	}
	for _, k := range m.Actions {
		if _, err := proposal.ParseKind(string(k)); err != nil {
			return fmt.Errorf("skill %s: %w", m.Name, err)
		}
	}
	if m.Triggers.Schedule != "" {
		if _, err := ParseSchedule(m.Triggers.Schedule); err != nil {
			return fmt.Errorf("skill %s: schedule: %w", m.Name, err)
		}
	}
	seen := map[string]bool{}
	for _, p := range m.Params {
		if seen[p.Name] {
			return fmt.Errorf("skill %s: parameter %s declared twice", m.Name, p.Name)
		}
		seen[p.Name] = true
		if err := p.check(p.Default); err != nil {
			return fmt.Errorf("skill %s: default of %s: %w", m.Name, p.Name, err)
		}
	}
	return nil
}

// Proposes reports whether the skill may propose actions of kind k.
func (m Manifest) Proposes(k proposal.Kind) bool { return slices.Contains(m.Actions, k) }
