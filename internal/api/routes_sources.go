package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/towerops/tower/internal/ingest/collect"
	"github.com/towerops/tower/internal/store"
)

// sourceOperations manage the websites and apps that send events to the
// collector (/v1/batch…), each with its write key. Write keys let anyone
// who holds one write into the workspace, so managing them is an admin's
// job, and a key is shown only once, when it is made.
func (s *Server) sourceOperations(api huma.API) {
	tags := []string{"Sources"}
	register(api, store.RoleAdmin, huma.Operation{OperationID: "list-sources", Method: http.MethodGet, Path: "/api/v1/sources",
		Summary: "List the websites and apps that send events (never their write keys)", Tags: tags}, s.sourcesList)
	register(api, store.RoleAdmin, huma.Operation{OperationID: "create-source", Method: http.MethodPost, Path: "/api/v1/sources",
		Summary: "Add a website or app that sends events; its write key is shown once", DefaultStatus: http.StatusCreated, Tags: tags}, s.sourcesCreate)
	register(api, store.RoleAdmin, huma.Operation{OperationID: "revoke-source", Method: http.MethodDelete, Path: "/api/v1/sources/{id}",
		Summary: "Stop a source's write key for good (its events stay)", Tags: tags}, s.sourcesRevoke)
}

type sourcesListInput struct {
	PageParams
	All bool `query:"all" doc:"Include revoked sources."`
}

func (s *Server) sourcesList(ctx context.Context, in *sourcesListInput) (*body[Page[collect.SourceInfo]], error) {
	offset, limit, err := in.offsetPage("sources")
	if err != nil {
		return nil, err
	}
	ss, err := s.Store.SourcesList(ctx, &store.SourcesListParams{Page: store.Page{Limit: limit + 1, Offset: offset}, IncludeRevoked: in.All})
	if err != nil {
		return nil, s.fail(ctx, "listing sources", err)
	}
	return reply(pageAt("sources", mapItems(ss, collect.SourceInfoOf), offset, limit))
}

type sourceCreateInput struct {
	Body struct {
		Name string `json:"name" doc:"1 to 64 letters, digits, dots, dashes or underscores, e.g. website or ios-app."`
	}
}

// createdSource is a new source with its write key, shown this once.
type createdSource struct {
	Source   collect.SourceInfo `json:"source"`
	WriteKey string             `json:"write_key" doc:"Send events with it as the HTTP Basic user name. Shown once; Tower keeps only its hash."`
	Note     string             `json:"note"`
}

func (s *Server) sourcesCreate(ctx context.Context, in *sourceCreateInput) (*body[createdSource], error) {
	key, src, err := collect.CreateSource(ctx, s.Store, PrincipalFrom(ctx).Actor(), in.Body.Name)
	if err != nil {
		return nil, s.fail(ctx, "creating a source", err)
	}
	return reply(createdSource{Source: collect.SourceInfoOf(src), WriteKey: key,
		Note: "copy the write key now: it is shown once and cannot be shown again"})
}

type sourceInput struct {
	ID string `path:"id" doc:"The source's id (src_…) or name."`
}

func (s *Server) sourcesRevoke(ctx context.Context, in *sourceInput) (*body[collect.SourceInfo], error) {
	src, err := collect.RevokeSource(ctx, s.Store, PrincipalFrom(ctx).Actor(), in.ID)
	if err != nil {
		return nil, s.fail(ctx, "revoking a source", err)
	}
	return reply(collect.SourceInfoOf(src))
}
