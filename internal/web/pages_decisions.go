package web

import (
	"net/http"

	"github.com/towerops/tower/internal/store"
)

// decisionPages are the inbox, the proposal list and page, the decisions
// made on them (approve, reject with reason, edit, bulk), undo, the kill
// switch and the live-update stream.
//
// Reading is open to every role (a viewer sees why nothing waits for
// them); deciding needs the approver role, as in the API, and the
// lifecycle checks on top that the person is one the proposal's approval
// request names.
func (s *Server) decisionPages() []page {
	return []page{
		{Pattern: "GET /{$}", Role: store.RoleViewer, Handler: s.inboxPage},
		{Pattern: "POST /inbox/bulk", Role: store.RoleApprover, Handler: s.bulkDecide},
		{Pattern: "GET /proposals", Role: store.RoleViewer, Handler: s.proposalsPage},
		{Pattern: "GET /proposals/{id}", Role: store.RoleViewer, Handler: s.proposalPage},
		{Pattern: "POST /proposals/{id}/approve", Role: store.RoleApprover, Handler: s.decide(true)},
		{Pattern: "POST /proposals/{id}/reject", Role: store.RoleApprover, Handler: s.decide(false)},
		{Pattern: "POST /proposals/{id}/edit", Role: store.RoleApprover, Handler: s.edit},
		{Pattern: "POST /proposals/{id}/undo", Role: store.RoleApprover, Handler: s.undo},
		{Pattern: "POST /execution/pause", Role: store.RoleApprover, Handler: s.pauseExecution},
		{Pattern: "POST /execution/resume", Role: store.RoleArchitect, Handler: s.resumeExecution},
		{Pattern: "GET /events", Role: store.RoleViewer, Handler: s.events},
	}
}

// user is the signed-in person's name (a page behind requireSession
// always has one).
func user(r *http.Request) string {
	return sessionFrom(r.Context()).Principal.User.Name
}

// role is the signed-in person's effective role.
func role(r *http.Request) store.Role {
	return sessionFrom(r.Context()).Principal.Role
}
