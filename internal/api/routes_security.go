package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/auth"
	"github.com/towerops/tower/internal/store"
)

// securityOperations are users, tokens, the audit log and "who am I".
//
// Reading and verifying the log differ on purpose: its contents (who did
// what to which proposal) are for architects and admins, but whether the
// log is intact reveals nothing but entry numbers, and anyone who works
// with Tower may check it.
func (s *Server) securityOperations(api huma.API) {
	register(api, store.RoleViewer, huma.Operation{OperationID: "get-me", Method: http.MethodGet, Path: "/api/v1/me",
		Summary: "Who the token acts for", Tags: []string{"Users"}}, s.me)
	tags := []string{"Users"}
	register(api, store.RoleAdmin, huma.Operation{OperationID: "list-users", Method: http.MethodGet, Path: "/api/v1/users",
		Summary: "List users", Tags: tags}, s.usersList)
	register(api, store.RoleAdmin, huma.Operation{OperationID: "create-user", Method: http.MethodPost, Path: "/api/v1/users",
		Summary: "Create a user", DefaultStatus: http.StatusCreated, Tags: tags}, s.usersCreate)
	register(api, store.RoleAdmin, huma.Operation{OperationID: "disable-user", Method: http.MethodPost, Path: "/api/v1/users/{name}/disable",
		Summary: "Disable a user and every token acting for them", Tags: tags}, s.usersDisable)
	tags = []string{"Tokens"}
	register(api, store.RoleAdmin, huma.Operation{OperationID: "list-tokens", Method: http.MethodGet, Path: "/api/v1/tokens",
		Summary: "List API tokens (never their secrets)", Tags: tags}, s.tokensList)
	register(api, store.RoleAdmin, huma.Operation{OperationID: "create-token", Method: http.MethodPost, Path: "/api/v1/tokens",
		Summary: "Create an API token; its secret is shown once", DefaultStatus: http.StatusCreated, Tags: tags}, s.tokensCreate)
	register(api, store.RoleAdmin, huma.Operation{OperationID: "revoke-token", Method: http.MethodDelete, Path: "/api/v1/tokens/{id}",
		Summary: "Revoke an API token", DefaultStatus: http.StatusNoContent, Tags: tags}, s.tokensRevoke)
	tags = []string{"Audit"}
	register(api, store.RoleArchitect, huma.Operation{OperationID: "list-audit", Method: http.MethodGet, Path: "/api/v1/audit",
		Summary: "Read the audit log, oldest first", Tags: tags}, s.auditList)
	register(api, store.RoleViewer, huma.Operation{OperationID: "verify-audit", Method: http.MethodGet, Path: "/api/v1/audit/verify",
		Summary: "Check that nobody changed or removed audit log entries", Tags: tags}, s.auditVerify)
}

// whoami is the caller of a request.
type whoami struct {
	User  auth.UserInfo  `json:"user"`
	Token auth.TokenInfo `json:"token"`
	Role  store.Role     `json:"role" doc:"What the token may do: the lower of its own role and its user's."`
}

func (s *Server) me(ctx context.Context, _ *struct{}) (*body[whoami], error) {
	p := PrincipalFrom(ctx)
	return reply(whoami{User: auth.UserInfoOf(p.User), Token: auth.TokenInfoOf(p.Token), Role: p.Role})
}

func (s *Server) usersList(ctx context.Context, in *PageParams) (*body[Page[auth.UserInfo]], error) {
	offset, limit, err := in.offsetPage("users")
	if err != nil {
		return nil, err
	}
	us, err := s.Store.UsersList(ctx, &store.UsersListParams{Page: store.Page{Limit: limit + 1, Offset: offset}})
	if err != nil {
		return nil, s.fail(ctx, "listing users", err)
	}
	return reply(pageAt("users", mapItems(us, auth.UserInfoOf), offset, limit))
}

type userCreateInput struct {
	Body struct {
		Name     string `json:"name" doc:"How the user signs in, e.g. ana."`
		Email    string `json:"email,omitempty"`
		Role     string `json:"role" enum:"admin,architect,approver,marketer,viewer"`
		Password string `json:"password,omitempty" doc:"For signing in to the console; leave out for API-only users."`
	}
}

func (s *Server) usersCreate(ctx context.Context, in *userCreateInput) (*body[auth.UserInfo], error) {
	u, err := auth.CreateUser(ctx, s.Store, PrincipalFrom(ctx).Actor(),
		auth.NewUser{Name: in.Body.Name, Email: in.Body.Email, Role: store.Role(in.Body.Role), Password: in.Body.Password})
	if err != nil {
		return nil, s.fail(ctx, "creating a user", err)
	}
	return reply(auth.UserInfoOf(*u))
}

type userInput struct {
	Name string `path:"name" doc:"The user's name."`
}

func (s *Server) usersDisable(ctx context.Context, in *userInput) (*body[auth.UserInfo], error) {
	if err := auth.DisableUser(ctx, s.Store, PrincipalFrom(ctx).Actor(), in.Name); err != nil {
		return nil, s.fail(ctx, "disabling a user", err)
	}
	u, err := s.Store.UserGet(ctx, &store.UserGetParams{Name: in.Name})
	if err != nil {
		return nil, s.fail(ctx, "reading the user", err)
	}
	return reply(auth.UserInfoOf(*u))
}

type tokensListInput struct {
	PageParams
	User string `query:"user" doc:"Only tokens acting for this user."`
}

func (s *Server) tokensList(ctx context.Context, in *tokensListInput) (*body[Page[auth.TokenInfo]], error) {
	offset, limit, err := in.offsetPage("tokens")
	if err != nil {
		return nil, err
	}
	ts, err := s.Store.TokensList(ctx, &store.TokensListParams{Page: store.Page{Limit: limit + 1, Offset: offset}, User: in.User})
	if err != nil {
		return nil, s.fail(ctx, "listing tokens", err)
	}
	return reply(pageAt("tokens", mapItems(ts, auth.TokenInfoOf), offset, limit))
}

type tokenCreateInput struct {
	Body struct {
		User string `json:"user,omitempty" doc:"The user it acts for; the caller when left out."`
		Name string `json:"name,omitempty" doc:"What it is for, e.g. laptop or zapier."`
		Role string `json:"role,omitempty" enum:"admin,architect,approver,marketer,viewer" doc:"At most the user's role; the user's when left out."`
		TTL  string `json:"ttl,omitempty" doc:"How long it lasts, e.g. 90d or 12h; never expires when left out."`
	}
}

// createdToken is a new token with its secret, shown this once.
type createdToken struct {
	Secret string         `json:"secret" doc:"Send as 'Authorization: Bearer SECRET'. Shown once; Tower keeps only its hash."`
	Token  auth.TokenInfo `json:"token"`
	Note   string         `json:"note"`
}

func (s *Server) tokensCreate(ctx context.Context, in *tokenCreateInput) (*body[createdToken], error) {
	p := PrincipalFrom(ctx)
	user := in.Body.User
	if user == "" {
		user = p.User.Name
	}
	ttl, err := auth.ParseTTL(in.Body.TTL)
	if err != nil {
		return nil, invalid("body.ttl", err.Error())
	}
	secret, tok, err := auth.CreateToken(ctx, s.Store, p.Actor(),
		auth.NewToken{User: user, Name: in.Body.Name, Role: store.Role(in.Body.Role), TTL: ttl})
	if errors.Is(err, store.ErrNotFound) {
		return nil, invalid("body.user", "no user named "+strconv.Quote(user))
	}
	if err != nil {
		return nil, s.fail(ctx, "creating a token", err)
	}
	return reply(createdToken{Secret: secret, Token: auth.TokenInfoOf(tok), Note: "the secret is shown once and cannot be shown again"})
}

type tokenInput struct {
	ID string `path:"id" doc:"The token's id, tok_…"`
}

func (s *Server) tokensRevoke(ctx context.Context, in *tokenInput) (*struct{}, error) {
	err := auth.RevokeToken(ctx, s.Store, PrincipalFrom(ctx).Actor(), in.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, apiErr(http.StatusNotFound, "no token with id "+strconv.Quote(in.ID))
	}
	if err != nil {
		return nil, s.fail(ctx, "revoking a token", err)
	}
	return nil, nil
}

type auditListInput struct {
	PageParams
	After int64     `query:"after" minimum:"0" doc:"Start after this entry number (for reading only what is new)."`
	Since time.Time `query:"since" doc:"Only entries at or after this time, e.g. 2026-07-01T00:00:00Z."`
}

// auditList pages by entry number (keyset): the log only grows, so a
// cursor stays valid however much is appended meanwhile.
func (s *Server) auditList(ctx context.Context, in *auditListInput) (*body[Page[audit.ExportLine]], error) {
	c, err := decodeCursor("audit", in.Cursor)
	if err != nil {
		return nil, err
	}
	after := max(in.After, c.Seq)
	limit := in.limit()
	es, err := s.Store.AuditList(ctx, &store.AuditListParams{AfterSeq: after, Since: in.Since, Limit: limit + 1})
	if err != nil {
		return nil, s.fail(ctx, "reading the audit log", err)
	}
	out := Page[audit.ExportLine]{Items: mapItems(es, audit.LineOf)}
	if len(es) > limit {
		out.Items = out.Items[:limit]
		out.NextCursor = cursor{List: "audit", Seq: es[limit-1].Seq}.encode()
	}
	return reply(out)
}

func (s *Server) auditVerify(ctx context.Context, _ *struct{}) (*body[*audit.VerifyReport], error) {
	rep, err := audit.Verify(ctx, s.Store)
	if err != nil {
		return nil, s.fail(ctx, "verifying the audit log", err)
	}
	return reply(rep)
}
