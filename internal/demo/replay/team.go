package replay

import (
	"context"
	"errors"
	"fmt"

	"github.com/towerops/tower/internal/auth"
	"github.com/towerops/tower/internal/store"
)

// Member is one person of the simulated marketing-operations team.
type Member struct {
	Name  string
	Email string
	Role  store.Role
	Title string
}

// Team is the demo company's marketing-operations team. Everyone may
// approve (role approver or admin, as the default policies ask). The
// agents' owner, demo-ops, is not among them: the people who decide are
// never only the owner of the agent that asked, so segregation of duties
// holds wherever a policy requires it.
var Team = []Member{
	{Name: "maya.okafor", Email: "maya.okafor@tallyfield.io", Role: store.RoleApprover, Title: "Marketing operations lead"},
	{Name: "tom.reyes", Email: "tom.reyes@tallyfield.io", Role: store.RoleApprover, Title: "Lifecycle e-mail manager"},
	{Name: "sam.patel", Email: "sam.patel@tallyfield.io", Role: store.RoleApprover, Title: "Web and analytics manager"},
	{Name: "lena.fischer", Email: "lena.fischer@tallyfield.io", Role: store.RoleAdmin, Title: "Head of marketing operations"},
}

// EnsureTeam creates the team's users that do not exist yet (without a
// password: they never sign in; they are who the history says decided).
func EnsureTeam(ctx context.Context, st store.Store) error {
	for _, m := range Team {
		_, err := st.UserGet(ctx, &store.UserGetParams{Name: m.Name})
		if err == nil {
			continue
		}
		if !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("reading user %s: %w", m.Name, err)
		}
		if _, err := auth.CreateUser(ctx, st, "system", auth.NewUser{Name: m.Name, Email: m.Email, Role: m.Role}); err != nil {
			return fmt.Errorf("creating the demo team's user %s: %w", m.Name, err)
		}
	}
	return nil
}

// Habit is how the team treats one skill's proposals. Of the proposals
// that wait for a person, Never are left undecided until the approval
// chain times out; the rest are approved as proposed, edited then
// approved, or rejected in the ratio Approve : Edit : Reject. Of the
// proposals that executed, Undo are undone a day or two later (at most
// one per agent a day, so the circuit breaker's three undos a day are
// never reached by the history alone). Late is the share of decisions
// that come a day or two later instead of within hours. Deciders are the
// people who usually handle the skill.
type Habit struct {
	Approve, Edit, Reject float64
	Never                 float64
	Late                  float64
	Undo                  float64
	Deciders              []string
}

// Habits are the team's habits per skill:
//
//	skill            approve  edit  reject  never  late  undo   deciders
//	template-qa        0.70   0.18   0.12   0.06   0.15  0.04   tom, maya
//	link-audit         0.82   0.08   0.10   0.08   0.20  0.03   sam, maya
//	stale-consent      0.85   0.00   0.15   0.12   0.25  0.02   tom, lena
//	license-auditor    0.55   0.30   0.15   0.10   0.30  0.00   lena, maya
//	campaign-watch     0.80   0.00   0.20   0.05   0.10  0.05   sam, maya
//	experiment-analyst 0.85   0.00   0.15   0.10   0.20  0.02   tom, sam
//
// Template fixes are mostly taken, sometimes trimmed (the subject line
// left as written, or the manual task reassigned). Link fixes are routine.
// A consent tag has nothing to trim, so it is approved or rejected. Seat
// cuts are negotiated (a seat kept back for a hire) and are never undone
// (seats given back cannot be had again at the same price). A pause or a
// budget shift is taken or turned down, and decided quickly: a fading
// campaign costs money every day.
var Habits = map[string]Habit{
	"template-qa":     {Approve: 0.70, Edit: 0.18, Reject: 0.12, Never: 0.06, Late: 0.15, Undo: 0.04, Deciders: []string{"tom.reyes", "maya.okafor"}},
	"link-audit":      {Approve: 0.82, Edit: 0.08, Reject: 0.10, Never: 0.08, Late: 0.20, Undo: 0.03, Deciders: []string{"sam.patel", "maya.okafor"}},
	"stale-consent":   {Approve: 0.85, Edit: 0, Reject: 0.15, Never: 0.12, Late: 0.25, Undo: 0.02, Deciders: []string{"tom.reyes", "lena.fischer"}},
	"license-auditor": {Approve: 0.55, Edit: 0.30, Reject: 0.15, Never: 0.10, Late: 0.30, Undo: 0, Deciders: []string{"lena.fischer", "maya.okafor"}},
	"campaign-watch":  {Approve: 0.80, Edit: 0, Reject: 0.20, Never: 0.05, Late: 0.10, Undo: 0.05, Deciders: []string{"sam.patel", "maya.okafor"}},
	"experiment-analyst": {Approve: 0.85, Edit: 0, Reject: 0.15, Never: 0.10, Late: 0.20, Undo: 0.02,
		Deciders: []string{"tom.reyes", "sam.patel"}},
}

// defaultHabit is for a skill the table does not list.
var defaultHabit = Habit{Approve: 0.75, Edit: 0.05, Reject: 0.20, Never: 0.10, Late: 0.20, Undo: 0.02, Deciders: []string{"maya.okafor", "lena.fischer"}}

func habitOf(skill string) Habit {
	if h, ok := Habits[skill]; ok {
		return h
	}
	return defaultHabit
}

// rejectReasons are what the team says when it turns a proposal down.
var rejectReasons = map[string][]string{
	"template-qa": {
		"This template is being retired next week; not worth fixing.",
		"Legal signed off this wording as it is.",
		"The merge field is filled upstream by the CRM; the fallback is not needed.",
	},
	"link-audit": {
		"This campaign has ended; the link no longer gets traffic.",
		"The partner asked for their own tracking parameters on this link.",
		"Paid social tags this link in the ad platform; leave it as it is.",
	},
	"stale-consent": {
		"This contact is in an open opportunity; sales is talking to them.",
		"They attended our event last month (offline, not in the events).",
		"Customer contact on a live account; keep them on regular sends.",
	},
	"campaign-watch": {
		"The landing page is being fixed today; keep the campaign running.",
		"End-of-quarter push: we accept a lower rate for the volume.",
		"The drop is a tracking change on our side, not the campaign.",
	},
	"experiment-analyst": {
		"Brand asked to keep both versions running until the launch review.",
		"The test audience was too narrow; we will rerun it on the full list.",
	},
	"license-auditor": {
		"Those seats are reserved for the agency starting next quarter.",
		"Renewal is already negotiated; we cannot reduce seats before it.",
		"Finance wants to review this with the vendor first.",
	},
}

func reasonsOf(skill string) []string {
	if r, ok := rejectReasons[skill]; ok {
		return r
	}
	return []string{"Not now; the team will look at this again later."}
}
