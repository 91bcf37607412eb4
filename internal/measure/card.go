package measure

import (
	"time"

	"github.com/towerops/tower/internal/proposal"
)

// By names how scorecards are grouped.
type By string

// Groupings.
const (
	ByAgent By = "agent"
	BySkill By = "skill"
	ByKind  By = "kind"  // per action kind: a proposal counts for each kind it has
	ByOwner By = "owner" // the agent's owner
	ByTeam  By = "team"  // the team of the agent's skill
	ByFleet By = "fleet" // one card for everything
)

// Groupings lists the valid groupings, for flags and forms.
var Groupings = []By{ByAgent, BySkill, ByKind, ByOwner, ByTeam, ByFleet}

// Trend names the buckets of a scorecard's trend.
type Trend string

// Trend buckets ("" for none).
const (
	TrendNone Trend = ""
	TrendDay  Trend = "day"
	TrendWeek Trend = "week" // weeks start on Monday (UTC)
)

// Card is the scorecard of one agent, skill, action kind, owner or team
// over [Since, Until). Proposals are counted by when they were made; an
// edited proposal counts once (the revision a person wrote carries the
// verdict).
type Card struct {
	By    By        `json:"by"`
	Key   string    `json:"key"` // the agent, skill, kind, owner or team; "" for the fleet
	Since time.Time `json:"since"`
	Until time.Time `json:"until"`

	// Proposals made in the period.
	Proposals int `json:"proposals"`
	// How they ended, so far. Accepted: a person approved it as the agent
	// proposed it. Edited: a person changed it (whatever the verdict on
	// the change). Rejected, Expired: as named. Denied: policy refused it.
	// Waiting: still before a person. Autonomous: executed without a
	// person (policy allowed it at the agent's autonomy).
	Accepted   int `json:"accepted"`
	Edited     int `json:"edited"`
	Rejected   int `json:"rejected"`
	Expired    int `json:"expired"`
	Denied     int `json:"denied"`
	Waiting    int `json:"waiting"`
	Autonomous int `json:"autonomous"`

	// AcceptRate is (accepted + edited and approved) over everything a
	// person decided; EditRate is edited over the same.
	AcceptRate float64 `json:"accept_rate"`
	EditRate   float64 `json:"edit_rate"`
	// AutonomousShare is autonomous over executed (including undone).
	AutonomousShare float64 `json:"autonomous_share"`

	// Handoffs between agents and people. ToPeople: proposals the agent
	// passed to a person for approval. ToAgent: proposals from runs a
	// person started (work a person handed to the agent). Promotions and
	// Demotions: action kinds handed to the agent to do on its own (earned
	// autonomy) or taken back.
	Handoffs Handoffs `json:"handoffs"`

	// Decided counts people's verdicts; DecisionP50 and DecisionP90 are
	// hours from proposal to verdict.
	Decided     int     `json:"decided"`
	DecisionP50 float64 `json:"decision_p50_hours"`
	DecisionP90 float64 `json:"decision_p90_hours"`

	// Executed counts proposals executed (including those undone since);
	// Undone and Failed as named. UndoRate is undone over executed;
	// ErrorRate is failed over executed plus failed.
	Executed  int     `json:"executed"`
	Undone    int     `json:"undone"`
	Failed    int     `json:"failed"`
	UndoRate  float64 `json:"undo_rate"`
	ErrorRate float64 `json:"error_rate"`

	// Expected is what the executed proposals were expected to be worth;
	// Realised what those measured so far turned out to be worth, and
	// ExpectedMeasured what the same measured proposals had promised, so
	// RealisedRatio (realised over promised, in dollars, or in hours when
	// no dollars were promised) compares like with like. Measured counts
	// the executed proposals measured; Pending those not measured yet.
	Expected         proposal.Value `json:"expected"`
	Realised         proposal.Value `json:"realised"`
	ExpectedMeasured proposal.Value `json:"expected_measured"`
	Measured         int            `json:"measured"`
	Pending          int            `json:"pending"`
	RealisedRatio    float64        `json:"realised_ratio"`

	// ReviewHours is the people's time spent deciding, at the report's
	// stated minutes per decision.
	ReviewHours float64 `json:"review_hours"`

	// Trend is the same card per day or week of the period, oldest first
	// (empty unless asked for); its cards have no trend of their own.
	Trend []Card `json:"trend,omitempty"`
}

// Handoffs count work passed between an agent and people.
type Handoffs struct {
	ToPeople   int `json:"to_people"`
	ToAgent    int `json:"to_agent"`
	Promotions int `json:"promotions"`
	Demotions  int `json:"demotions"`
}
