package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/towerops/tower/internal/auth"
	"github.com/towerops/tower/internal/briefing"
	"github.com/towerops/tower/internal/store"
)

// briefingWindow is how far back a briefing looks: the last day.
const briefingWindow = 24 * time.Hour

// briefingOperations serve the daily briefing. Everyone may read their
// own; reading someone else's (to see what an approver is facing) is an
// architect's job, checked in the handler because the role depends on the
// query.
func (s *Server) briefingOperations(api huma.API) {
	register(api, store.RoleViewer, huma.Operation{OperationID: "get-briefing", Method: http.MethodGet, Path: "/api/v1/briefing",
		Summary:     "My briefing for the last day: decisions waiting, what agents flagged and did",
		Description: "With ?for=USER, that user's briefing; that needs the architect role.", Tags: []string{"Briefing"}}, s.briefingGet)
}

type briefingInput struct {
	For string `query:"for" doc:"Whose briefing; the caller's when left out. Someone else's needs the architect role."`
}

func (s *Server) briefingGet(ctx context.Context, in *briefingInput) (*body[*briefing.Digest], error) {
	p := PrincipalFrom(ctx)
	user := p.User.Name
	if in.For != "" && in.For != user {
		if !auth.Allows(p.Role, store.RoleArchitect) {
			return nil, apiErr(http.StatusForbidden, "reading someone else's briefing needs the architect role; the token acts as "+string(p.Role))
		}
		if _, err := s.Store.UserGet(ctx, &store.UserGetParams{Name: in.For}); err != nil {
			return nil, s.fail(ctx, "reading the user", err)
		}
		user = in.For
	}
	d, err := briefing.Build(ctx, s.Store, user, time.Now().UTC(), briefingWindow)
	if err != nil {
		return nil, s.fail(ctx, "building the briefing", err)
	}
	return reply(d)
}
