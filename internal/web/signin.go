package web

import (
	"embed"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/towerops/tower/internal/auth"
	"github.com/towerops/tower/internal/store"
)

//go:embed assets
var assetFS embed.FS

// sessionPages are sign-in, sign-out and the embedded assets.
func (s *Server) sessionPages() []page {
	assets := http.FileServerFS(assetFS)
	return []page{
		{Pattern: "GET /signin", Public: true, Handler: s.signinForm},
		{Pattern: "POST /signin", Public: true, Handler: s.signin},
		{Pattern: "POST /signout", Role: store.RoleViewer, Handler: s.signout},
		{Pattern: "GET /assets/", Public: true, Handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cache-Control", "public, max-age=3600")
			assets.ServeHTTP(w, r)
		}},
	}
}

type signinData struct {
	User  string
	Next  string
	Error string
}

func (s *Server) signinForm(w http.ResponseWriter, r *http.Request) {
	if se, _ := s.currentSession(r); se != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "signin", "Sign in", signinData{Next: safeNext(r.URL.Query().Get("next"))})
}

// signin checks the password and starts a session. Every failure says
// the same thing (no hint whether the user exists), and repeated
// failures for a user or from an address are refused for a while.
func (s *Server) signin(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSpace(r.PostFormValue("user"))
	pw := r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	ip := clientIP(r)
	if wait := s.limiter.blocked(name, ip, time.Now()); wait > 0 {
		w.Header().Set("Retry-After", retryAfter(wait))
		s.render(w, r, http.StatusTooManyRequests, "signin", "Sign in", signinData{User: name, Next: next,
			Error: "Too many failed sign-ins. Wait " + wait.Round(time.Minute).String() + " and try again, or ask an admin to reset your password."})
		return
	}
	u, err := s.Store.UserGet(r.Context(), &store.UserGetParams{Name: name})
	ok := false
	switch {
	case err == nil && !u.Disabled:
		ok = auth.CheckPassword(u.PasswordHash, pw) == nil
	case err != nil && !errors.Is(err, store.ErrNotFound):
		s.Logger.ErrorContext(r.Context(), "reading a user to sign in failed", "err", err)
		s.fail(w, r, http.StatusInternalServerError, "Tower could not check your sign-in. Try again in a moment.")
		return
	}
	if !ok {
		s.limiter.failed(name, ip, time.Now())
		s.render(w, r, http.StatusUnauthorized, "signin", "Sign in", signinData{User: name, Next: next,
			Error: "That user name and password do not match."})
		return
	}
	s.limiter.succeeded(name)
	secret, _, err := auth.CreateToken(r.Context(), s.Store, "user:"+u.Name, auth.NewToken{User: u.Name, Name: sessionTokenName, TTL: SessionTTL})
	if err != nil {
		s.Logger.ErrorContext(r.Context(), "starting a console session failed", "err", err)
		s.fail(w, r, http.StatusInternalServerError, "Tower could not start your session. Try again in a moment.")
		return
	}
	setSessionCookie(w, r, secret, SessionTTL)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// signout revokes the session's token, so the cookie is worthless even if
// it was copied.
func (s *Server) signout(w http.ResponseWriter, r *http.Request) {
	se := sessionFrom(r.Context())
	if err := auth.RevokeToken(r.Context(), s.Store, se.Principal.Actor(), se.Principal.Token.ID); err != nil {
		s.Logger.ErrorContext(r.Context(), "ending a console session failed", "err", err)
	}
	clearSessionCookie(w, r)
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

// safeNext keeps a redirect target on this site: only a local path.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if next == "" || err != nil || u.IsAbs() || u.Host != "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, `\`) {
		return "/"
	}
	return next
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func retryAfter(d time.Duration) string {
	secs := int(d.Seconds()) + 1
	return strconv.Itoa(secs)
}

// signinLimiter counts failed sign-ins per user name and per address in
// a sliding window. Five failures for one name, or twenty from one
// address, within 15 minutes block further attempts until the oldest
// failure leaves the window. It lives in memory: a restart forgets it,
// which is acceptable for a brake on guessing, not an account lock.
type signinLimiter struct {
	mu     sync.Mutex
	byUser map[string][]time.Time
	byIP   map[string][]time.Time
}

const (
	signinWindow  = 15 * time.Minute
	signinPerUser = 5
	signinPerIP   = 20
)

func newSigninLimiter() *signinLimiter {
	return &signinLimiter{byUser: map[string][]time.Time{}, byIP: map[string][]time.Time{}}
}

func (l *signinLimiter) blocked(user, ip string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	wait := time.Duration(0)
	for _, c := range []struct {
		list  []time.Time
		limit int
	}{{prune(l.byUser[strings.ToLower(user)], now), signinPerUser}, {prune(l.byIP[ip], now), signinPerIP}} {
		if len(c.list) >= c.limit {
			if w := c.list[len(c.list)-c.limit].Add(signinWindow).Sub(now); w > wait {
				wait = w
			}
		}
	}
	return wait
}

func (l *signinLimiter) failed(user, ip string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	u := strings.ToLower(user)
	l.byUser[u] = append(prune(l.byUser[u], now), now)
	l.byIP[ip] = append(prune(l.byIP[ip], now), now)
}

func (l *signinLimiter) succeeded(user string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.byUser, strings.ToLower(user))
}

func prune(ts []time.Time, now time.Time) []time.Time {
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= signinWindow {
		i++
	}
	return ts[i:]
}
