package governance

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/towerops/tower/internal/auth"
	"github.com/towerops/tower/internal/proposal"
	"github.com/towerops/tower/internal/store"
)

// ErrNotEligible is returned (wrapped, with who may approve) when a person
// tries to decide on a proposal they may not approve.
var ErrNotEligible = errors.New("not someone who may approve it")

// ErrAlreadyApproved is returned (wrapped) when a person approves twice.
var ErrAlreadyApproved = errors.New("already approved by this person")

// Approver is who acts on a request: the person, and the person they
// stand in for when they act as a delegate.
type Approver struct {
	User       string
	OnBehalfOf string // "" when User acts in their own right
}

// LegacyRequest is the request of a pending proposal written before
// approval requests existed: one approver of role approver or higher.
func LegacyRequest(p *proposal.Proposal, now time.Time) store.ApprovalRequest {
	r := RequestFor(p, store.Agent{}, ApprovalPlan{}, "", now)
	r.DueAt = p.ExpiresAt
	return r
}

// levels are the chain levels in force: 0..r.Level. Escalation widens who
// may approve, never narrows it: the first approvers keep their say.
func levels(r *store.ApprovalRequest) []store.ApprovalLevel {
	if len(r.Chain) == 0 {
		return []store.ApprovalLevel{{Roles: []string{DefaultApprovalRole}}}
	}
	return r.Chain[:min(r.Level, len(r.Chain)-1)+1]
}

// resolver answers eligibility questions, remembering the users and
// delegations it read (an inbox asks them for every open request).
type resolver struct {
	q     store.Queries
	now   time.Time
	roles map[string]userRight
	dels  []store.Delegation
	read  bool // dels read
}

type userRight struct {
	role    store.Role
	enabled bool
}

func newResolver(q store.Queries, now time.Time) *resolver {
	return &resolver{q: q, now: now, roles: map[string]userRight{}}
}

// roleOf reads a user's role. A name that is not a registered Tower user
// is someone with direct access to the database — the local command line
// (tower run as the OS user) — and counts as admin: whoever can open the
// database can change it anyway, and the audit log still names them.
// Disabled users may not approve at all.
func (rs *resolver) roleOf(ctx context.Context, name string) (userRight, error) {
	if u, ok := rs.roles[name]; ok {
		return u, nil
	}
	u, err := rs.q.UserGet(ctx, &store.UserGetParams{Name: name})
	var right userRight
	switch {
	case errors.Is(err, store.ErrNotFound):
		right = userRight{role: store.RoleAdmin, enabled: true}
	case err != nil:
		return userRight{}, err
	default:
		right = userRight{role: u.Role, enabled: !u.Disabled}
	}
	rs.roles[name] = right
	return right, nil
}

// inOwnRight reports whether name may approve at the levels in force, by
// name or by role.
func (rs *resolver) inOwnRight(ctx context.Context, r *store.ApprovalRequest, name string) (bool, error) {
	u, err := rs.roleOf(ctx, name)
	if err != nil || !u.enabled {
		return false, err
	}
	for _, l := range levels(r) {
		if slices.Contains(l.Users, name) {
			return true, nil
		}
		for _, need := range l.Roles {
			if known(store.Role(need)) && auth.Allows(u.role, store.Role(need)) {
				return true, nil
			}
		}
	}
	return false, nil
}

// Eligible says in what right user may act on the request now: in their
// own (by role or by name), or as the delegate of someone who may (a
// delegation in force at now; the approval then records OnBehalfOf). It
// returns ErrNotEligible (wrapped, saying who may approve) otherwise.
func Eligible(ctx context.Context, q store.Queries, r *store.ApprovalRequest, user string, now time.Time) (Approver, error) {
	return newResolver(q, now).eligible(ctx, r, user)
}

func (rs *resolver) eligible(ctx context.Context, r *store.ApprovalRequest, user string) (Approver, error) {
	ok, err := rs.inOwnRight(ctx, r, user)
	if err != nil {
		return Approver{}, err
	}
	if ok {
		return Approver{User: user}, nil
	}
	u, err := rs.roleOf(ctx, user)
	if err != nil {
		return Approver{}, err
	}
	if !u.enabled {
		return Approver{}, fmt.Errorf("%s's account is disabled, so %s is %w of proposal %s", user, user, ErrNotEligible, r.ProposalID)
	}
	if !rs.read {
		if rs.dels, err = rs.q.DelegationsList(ctx, &store.DelegationsListParams{At: rs.now}); err != nil {
			return Approver{}, err
		}
		rs.read = true
	}
	for _, d := range rs.dels {
		if d.To != user {
			continue
		}
		ok, err := rs.inOwnRight(ctx, r, d.From)
		if err != nil {
			return Approver{}, err
		}
		if ok {
			return Approver{User: user, OnBehalfOf: d.From}, nil
		}
	}
	return Approver{}, fmt.Errorf("%s is %w of proposal %s: %s", user, ErrNotEligible, r.ProposalID, WhoMayApprove(r))
}

// WhoMayApprove says in plain words who may approve the request now.
func WhoMayApprove(r *store.ApprovalRequest) string {
	var roles, users []string
	for _, l := range levels(r) {
		for _, x := range l.Roles {
			if !slices.Contains(roles, x) {
				roles = append(roles, x)
			}
		}
		for _, x := range l.Users {
			if !slices.Contains(users, x) {
				users = append(users, x)
			}
		}
	}
	var who []string
	if len(roles) > 0 {
		who = append(who, "anyone with the role "+strings.Join(roles, " or ")+" (or a higher one)")
	}
	if len(users) > 0 {
		who = append(who, strings.Join(users, ", "))
	}
	return "it may be approved by " + strings.Join(who, ", or by ") + ", or by their delegates"
}

// Tally is how far a request's approvals have come.
type Tally struct {
	Approvers int // distinct people who approved
	Required  int
	SoD       bool
	// Independent: at least one approver is neither the agent's owner nor
	// the requester (what SoD asks for).
	Independent bool
	Met         bool
}

// TallyOf counts approvals against the request. A person counts once,
// whether they approved in their own right or for someone they stand in
// for: an approval counts only when neither its approver nor the person
// it was given for has been counted already.
func TallyOf(r *store.ApprovalRequest, approvals []proposal.Approval) Tally {
	t := Tally{Required: max(r.Required, 1), SoD: r.SoD}
	counted := map[string]bool{}
	interested := func(name string) bool {
		return name != "" && (name == r.Owner || name == strings.TrimPrefix(r.Requester, "user:"))
	}
	for _, a := range approvals {
		if a.Verdict != "approved" || counted[a.By] || (a.OnBehalfOf != "" && counted[a.OnBehalfOf]) {
			continue
		}
		counted[a.By] = true
		if a.OnBehalfOf != "" {
			counted[a.OnBehalfOf] = true
		}
		t.Approvers++
		if !interested(a.By) && !interested(a.OnBehalfOf) {
			t.Independent = true
		}
	}
	t.Met = t.Approvers >= t.Required && (!t.SoD || t.Independent)
	return t
}

// Missing says what the request still waits for ("" when met).
func (t Tally) Missing(r *store.ApprovalRequest) string {
	if t.Met {
		return ""
	}
	var parts []string
	if n := t.Required - t.Approvers; n > 0 {
		parts = append(parts, fmt.Sprintf("%d more approver(s)", n))
	}
	if t.SoD && !t.Independent {
		var names []string
		if r.Owner != "" {
			names = append(names, r.Owner)
		}
		if req := strings.TrimPrefix(r.Requester, "user:"); req != "" && !strings.Contains(req, ":") && req != r.Owner {
			names = append(names, req)
		}
		parts = append(parts, fmt.Sprintf("an approval by someone other than %s (segregation of duties)", orSomeone(strings.Join(names, " or "))))
	}
	return strings.Join(parts, " and ")
}

func orSomeone(s string) string {
	if s == "" {
		return "the agent's owner or the requester"
	}
	return "the agent's owner or the requester (" + s + ")"
}

// Progress is the sentence people read after an approval: how many have
// approved, and what is still missing.
func (t Tally) Progress(r *store.ApprovalRequest) string {
	if t.Met {
		return fmt.Sprintf("approved by %d of %d required", t.Approvers, t.Required)
	}
	return fmt.Sprintf("%d of %d approval(s) so far; still waiting for %s", t.Approvers, t.Required, t.Missing(r))
}

// HasApproved reports whether user already approved (in any right).
func HasApproved(approvals []proposal.Approval, user string) bool {
	return slices.ContainsFunc(approvals, func(a proposal.Approval) bool { return a.Verdict == "approved" && a.By == user })
}
