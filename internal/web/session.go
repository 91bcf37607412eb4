package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/towerops/tower/internal/auth"
	"github.com/towerops/tower/internal/store"
)

// sessionCookie holds the session's token secret.
const sessionCookie = "tower_session"

// SessionTTL is how long a console sign-in lasts.
const SessionTTL = 12 * time.Hour

// sessionTokenName names the tokens that back console sessions, so
// `tower tokens list` shows them for what they are.
const sessionTokenName = "console sign-in"

type sessionKey struct{}

// session is the signed-in caller of a console request.
type session struct {
	Principal *auth.Principal
	secret    string
}

// CSRF is the value every form of this session must send back: an HMAC
// of the session secret, so it needs no storage, changes with every
// sign-in and cannot be computed by another site.
func (se *session) CSRF() string {
	m := hmac.New(sha256.New, []byte(se.secret))
	m.Write([]byte("tower console csrf"))
	return hex.EncodeToString(m.Sum(nil))
}

// sessionFrom returns the session of a request that passed requireSession.
func sessionFrom(ctx context.Context) *session {
	se, _ := ctx.Value(sessionKey{}).(*session)
	return se
}

// currentSession reads the cookie and checks its token; nil when the
// browser is not signed in (or the session was revoked or expired).
func (s *Server) currentSession(r *http.Request) (*session, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil, nil
	}
	p, err := s.auth.Authenticate(r.Context(), c.Value)
	if err != nil {
		for _, e := range []error{auth.ErrBadToken, auth.ErrUnknownToken, auth.ErrRevokedToken,
			auth.ErrExpiredToken, auth.ErrUserDisabled} {
			if errors.Is(err, e) {
				return nil, nil
			}
		}
		return nil, err
	}
	return &session{Principal: p, secret: c.Value}, nil
}

// requireSession runs h only for a signed-in caller whose role allows
// need. Without a session a GET is sent to the sign-in page (and back
// afterwards); anything else gets 401. A POST must carry the session's
// CSRF value and come from this site.
func (s *Server) requireSession(need store.Role, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		se, err := s.currentSession(r)
		if err != nil {
			s.Logger.ErrorContext(r.Context(), "checking a console session failed", "err", err)
			s.fail(w, r, http.StatusInternalServerError, "Tower could not check your sign-in. Try again in a moment.")
			return
		}
		if se == nil {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.fail(w, r, http.StatusUnauthorized, "Your session has ended. Sign in again.")
			return
		}
		ctx := context.WithValue(r.Context(), sessionKey{}, se)
		r = r.WithContext(ctx)
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			if !sameOrigin(r) || !hmac.Equal([]byte(r.PostFormValue("csrf")), []byte(se.CSRF())) {
				s.fail(w, r, http.StatusForbidden, "This form has expired or did not come from Tower. Go back, reload the page and try again.")
				return
			}
		}
		if !auth.Allows(se.Principal.Role, need) {
			s.fail(w, r, http.StatusForbidden, "This needs the "+string(need)+" role; you are signed in as "+string(se.Principal.Role)+".")
			return
		}
		h(w, r)
	}
}

// sameOrigin refuses cross-site form posts where the browser says where
// they come from (Sec-Fetch-Site, else Origin); the CSRF value is the
// main defence, this is the second.
func sameOrigin(r *http.Request) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" {
		return site == "same-origin" || site == "none"
	}
	if o := r.Header.Get("Origin"); o != "" && o != "null" {
		u, err := url.Parse(o)
		return err == nil && strings.EqualFold(u.Host, r.Host)
	}
	return true
}

// setSessionCookie stores a new session secret in the browser.
func setSessionCookie(w http.ResponseWriter, r *http.Request, secret string, ttl time.Duration) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: secret, Path: "/", HttpOnly: true,
		Secure: overHTTPS(r), SameSite: http.SameSiteLaxMode, MaxAge: int(ttl.Seconds())})
}

// overHTTPS says whether the browser reached Tower over HTTPS, directly
// or through a reverse proxy that says so. Trusting the proxy's header
// here can only make the cookie stricter, never looser.
func overHTTPS(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// clearSessionCookie removes it.
func clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true,
		Secure: overHTTPS(r), SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// secureHeaders sets the headers every console answer carries: no
// framing (clickjacking), no MIME sniffing, no referrer leaking ids, and
// a content security policy that allows only Tower's own scripts and
// styles.
func (s *Server) secureHeaders(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")
		h(w, r)
	}
}
