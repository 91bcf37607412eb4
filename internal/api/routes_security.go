package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/towerops/tower/internal/audit"
	"github.com/towerops/tower/internal/auth"
	"github.com/towerops/tower/internal/store"
)

// securityRoutes are users, tokens, the audit log and "who am I".
//
// Reading and verifying differ on purpose: the log's contents (who did
// what to which proposal) are for architects and admins, but whether the
// log is intact reveals nothing but entry numbers, and anyone who works
// with Tower may check it.
func (s *Server) securityRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/me", Role: store.RoleViewer, Summary: "Who the token acts for", Handler: s.me},
		{Method: "GET", Path: "/api/v1/users", Role: store.RoleAdmin, Summary: "List users", Handler: s.usersList},
		{Method: "POST", Path: "/api/v1/users", Role: store.RoleAdmin, Summary: "Create a user", Handler: s.usersCreate},
		{Method: "GET", Path: "/api/v1/tokens", Role: store.RoleAdmin, Summary: "List API tokens", Handler: s.tokensList},
		{Method: "POST", Path: "/api/v1/tokens", Role: store.RoleAdmin, Summary: "Create an API token", Handler: s.tokensCreate},
		{Method: "DELETE", Path: "/api/v1/tokens/{id}", Role: store.RoleAdmin, Summary: "Revoke an API token", Handler: s.tokensRevoke},
		{Method: "GET", Path: "/api/v1/audit", Role: store.RoleArchitect, Summary: "Read the audit log", Handler: s.auditList},
		{Method: "GET", Path: "/api/v1/audit/verify", Role: store.RoleViewer, Summary: "Verify the audit log's hash chain", Handler: s.auditVerify},
	}
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) {
	p := PrincipalFrom(r.Context())
	writeJSON(w, http.StatusOK, map[string]any{"user": auth.UserInfoOf(p.User), "token": auth.TokenInfoOf(p.Token), "role": p.Role})
}

func (s *Server) usersList(w http.ResponseWriter, r *http.Request) {
	page, ok := pageOf(w, r)
	if !ok {
		return
	}
	us, err := s.Store.UsersList(r.Context(), &store.UsersListParams{Page: page})
	if err != nil {
		s.internal(w, r, "listing users", err)
		return
	}
	out := make([]auth.UserInfo, len(us))
	for i, u := range us {
		out[i] = auth.UserInfoOf(u)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) usersCreate(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name, Email, Role, Password string
	}
	if !decode(w, r, &in) {
		return
	}
	u, err := auth.CreateUser(r.Context(), s.Store, PrincipalFrom(r.Context()).Actor(),
		auth.NewUser{Name: in.Name, Email: in.Email, Role: store.Role(in.Role), Password: in.Password})
	switch {
	case errors.Is(err, auth.ErrUserExists):
		writeError(w, http.StatusConflict, "conflict", err.Error())
	case errors.Is(err, auth.ErrBadUserName), errors.Is(err, auth.ErrUnknownRole), errors.Is(err, auth.ErrWeakPassword):
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
	case err != nil:
		s.internal(w, r, "creating a user", err)
	default:
		writeJSON(w, http.StatusCreated, auth.UserInfoOf(*u))
	}
}

func (s *Server) tokensList(w http.ResponseWriter, r *http.Request) {
	page, ok := pageOf(w, r)
	if !ok {
		return
	}
	ts, err := s.Store.TokensList(r.Context(), &store.TokensListParams{Page: page, User: r.URL.Query().Get("user")})
	if err != nil {
		s.internal(w, r, "listing tokens", err)
		return
	}
	out := make([]auth.TokenInfo, len(ts))
	for i, t := range ts {
		out[i] = auth.TokenInfoOf(t)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) tokensCreate(w http.ResponseWriter, r *http.Request) {
	var in struct {
		User, Name, Role string
		TTL              string `json:"ttl"` // "90d", "12h"; empty: never expires
	}
	if !decode(w, r, &in) {
		return
	}
	p := PrincipalFrom(r.Context())
	if in.User == "" {
		in.User = p.User.Name
	}
	ttl, err := auth.ParseTTL(in.TTL)
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
		return
	}
	secret, tok, err := auth.CreateToken(r.Context(), s.Store, p.Actor(),
		auth.NewToken{User: in.User, Name: in.Name, Role: store.Role(in.Role), TTL: ttl})
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeError(w, http.StatusBadRequest, "bad_request", "no user named "+strconv.Quote(in.User))
	case errors.Is(err, auth.ErrRoleTooHigh), errors.Is(err, auth.ErrUnknownRole), errors.Is(err, auth.ErrUserDisabled):
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
	case err != nil:
		s.internal(w, r, "creating a token", err)
	default:
		writeJSON(w, http.StatusCreated, map[string]any{"secret": secret, "token": auth.TokenInfoOf(tok),
			"note": "the secret is shown once and cannot be shown again"})
	}
}

func (s *Server) tokensRevoke(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	err := auth.RevokeToken(r.Context(), s.Store, PrincipalFrom(r.Context()).Actor(), id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeError(w, http.StatusNotFound, "not_found", "no token with id "+strconv.Quote(id))
	case err != nil:
		s.internal(w, r, "revoking a token", err)
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *Server) auditList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := &store.AuditListParams{}
	var err error
	if v := q.Get("after"); v != "" {
		if p.AfterSeq, err = strconv.ParseInt(v, 10, 64); err != nil {
			writeError(w, http.StatusBadRequest, "bad_request", "after must be an entry number")
			return
		}
	}
	if v := q.Get("since"); v != "" {
		if p.Since, err = time.Parse(time.RFC3339, v); err != nil {
			writeError(w, http.StatusBadRequest, "bad_request", "since must be a time such as 2026-07-01T00:00:00Z")
			return
		}
	}
	if v := q.Get("limit"); v != "" {
		if p.Limit, err = strconv.Atoi(v); err != nil || p.Limit < 0 || p.Limit > 1000 {
			writeError(w, http.StatusBadRequest, "bad_request", "limit must be between 1 and 1000")
			return
		}
	}
	es, err := s.Store.AuditList(r.Context(), p)
	if err != nil {
		s.internal(w, r, "reading the audit log", err)
		return
	}
	out := make([]audit.ExportLine, len(es))
	for i, e := range es {
		out[i] = audit.LineOf(e)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) auditVerify(w http.ResponseWriter, r *http.Request) {
	rep, err := audit.Verify(r.Context(), s.Store)
	if err != nil {
		s.internal(w, r, "verifying the audit log", err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

// internal logs err and answers 500 without details.
func (s *Server) internal(w http.ResponseWriter, r *http.Request, what string, err error) {
	s.Logger.ErrorContext(r.Context(), what+" failed", "err", err)
	writeError(w, http.StatusInternalServerError, "internal", what+" failed; see the server log")
}

// decode reads a JSON body into v, answering 400 itself when it cannot.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", "the body must be a JSON object: "+err.Error())
		return false
	}
	return true
}

// pageOf reads ?limit= and ?offset=.
func pageOf(w http.ResponseWriter, r *http.Request) (store.Page, bool) {
	var p store.Page
	for _, f := range []struct {
		name string
		dst  *int
	}{{"limit", &p.Limit}, {"offset", &p.Offset}} {
		if v := r.URL.Query().Get(f.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				writeError(w, http.StatusBadRequest, "bad_request", f.name+" must be a whole number")
				return p, false
			}
			*f.dst = n
		}
	}
	return p, true
}
