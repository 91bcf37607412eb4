package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/towerops/tower/internal/store"
)

// TestSignInSignOut signs in with a password, reaches a page behind the
// session, and signs out: the old cookie no longer opens anything, since
// signing out revoked the session's token.
func TestSignInSignOut(t *testing.T) {
	w := newWorld(t)
	anon := w.newBrowser()
	code, _, loc := anon.get("/proposals")
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/signin?next=") {
		t.Fatalf("a page without a session: %d → %q, want a redirect to /signin", code, loc)
	}
	code, body, _ := anon.post("/signin", url.Values{"user": {"approver"}, "password": {"wrong password!"}})
	if code != http.StatusUnauthorized || !strings.Contains(body, "do not match") {
		t.Fatalf("wrong password: %d", code)
	}
	b := w.signIn(store.RoleApprover)
	csrf := b.csrf()
	wrong := "0" + csrf[1:]
	if csrf[0] == '0' {
		wrong = "1" + csrf[1:]
	}
	if code, _, _ := b.post("/signout", url.Values{"csrf": {wrong}}); code != http.StatusForbidden {
		t.Fatalf("sign-out with a wrong CSRF value: %d, want 403", code)
	}
	if code, _, loc := b.post("/signout", url.Values{"csrf": {csrf}}); code != http.StatusSeeOther || loc != "/signin" {
		t.Fatalf("sign-out: %d → %q", code, loc)
	}
	u, _ := url.Parse(w.srv.URL)
	if len(b.client.Jar.Cookies(u)) != 0 {
		t.Fatalf("the session cookie is still there after signing out")
	}
}

// TestSignInRateLimit: after five wrong passwords for one user, even the
// right password is refused for a while, with Retry-After.
func TestSignInRateLimit(t *testing.T) {
	w := newWorld(t)
	b := w.newBrowser()
	for i := 0; i < signinPerUser; i++ {
		if code, _, _ := b.post("/signin", url.Values{"user": {"viewer"}, "password": {"not the password"}}); code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, code)
		}
	}
	code, body, _ := b.post("/signin", url.Values{"user": {"viewer"}, "password": {testPassword}})
	if code != http.StatusTooManyRequests || !strings.Contains(body, "Too many failed sign-ins") {
		t.Fatalf("after %d failures: %d, want 429", signinPerUser, code)
	}
	// Another user from the same address is not locked out by this one.
	w.signIn(store.RoleMarketer)
}

// TestSafeNext keeps redirects after sign-in on this site.
func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{"/proposals?x=1": "/proposals?x=1", "": "/", "https://evil.example/": "/",
		"//evil.example/": "/", `/\evil.example`: "/", "proposals": "/"} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSessionCookieFlags: the session cookie is HttpOnly and SameSite=Lax
// always, and Secure when the browser came over HTTPS through a proxy.
func TestSessionCookieFlags(t *testing.T) {
	w := newWorld(t)
	for _, proto := range []string{"", "https"} {
		form := url.Values{"user": {"viewer"}, "password": {testPassword}}
		req, _ := http.NewRequest(http.MethodPost, w.srv.URL+"/signin", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if proto != "" {
			req.Header.Set("X-Forwarded-Proto", proto)
		}
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		var c *http.Cookie
		for _, k := range resp.Cookies() {
			if k.Name == sessionCookie {
				c = k
			}
		}
		if c == nil {
			t.Fatalf("proto %q: no session cookie set", proto)
		}
		if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != (proto == "https") {
			t.Errorf("proto %q: cookie HttpOnly=%v SameSite=%v Secure=%v", proto, c.HttpOnly, c.SameSite, c.Secure)
		}
		if c.MaxAge != int(SessionTTL.Seconds()) {
			t.Errorf("proto %q: MaxAge %d, want %d", proto, c.MaxAge, int(SessionTTL.Seconds()))
		}
	}
}
