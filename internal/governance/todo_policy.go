package governance

import (
	"errors"
	"time"

	"github.com/towerops/tower/internal/proposal"
)

// This file holds the policy engine's signatures until it is written
// (policy loading, compiling, matching, the default pack, policy tests).

var errTodoPolicy = errors.New("governance: policies are not implemented yet")

// compiledRules is the compiled form of a pack's rules.
type compiledRules struct{}

// LoadPack reads every policies/*.yaml and *.toml file in dir, validates
// and compiles it. A missing dir gives the default pack.
func LoadPack(dir string) (*Pack, error) { return nil, errTodoPolicy }

// ParsePack parses files (name → content, names used in messages).
func ParsePack(files map[string][]byte) (*Pack, error) { return nil, errTodoPolicy }

// DefaultPackFiles are the files `tower init` writes into policies/.
func DefaultPackFiles() map[string][]byte { return nil }

// Compile type-checks and compiles every rule.
func (p *Pack) Compile() error { return errTodoPolicy }

// Calendar says whether t is in one of the pack's freeze windows.
func (p *Pack) Calendar(t time.Time) CalendarVars { return CalendarVars{} }

// DecideInput is everything the pure decision needs: the rule variables
// of each action (Vars[i] for action i, with Agent.Autonomy set to the
// level for that action's kind) and matches found outside the rules (caps).
type DecideInput struct {
	Vars  []Vars
	Extra []proposal.Match
	Now   time.Time
}

// Decide combines, for a whole proposal, the matching rules of every
// action, the autonomy level of every action and the extra matches into
// one decision: the strictest effect (deny > require_approval > allow),
// every matched rule id, the reasons and the inputs. Approvers are left
// for PlanFor.
func (p *Pack) Decide(in DecideInput) (proposal.Decision, error) {
	return proposal.Decision{}, errTodoPolicy
}
