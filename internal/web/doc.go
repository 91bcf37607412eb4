// Package web is Tower's console: the pages where people see what agents
// propose, decide, watch execution and check the audit log.
//
// It is server-rendered html/template with its assets embedded in the
// binary, so the console works without JavaScript for every core action
// (every change is a plain form POST) and adds a little hand-written JS
// for live updates over server-sent events.
//
// Signing in turns a password into a console session: an API token of the
// user's role kept in an HttpOnly cookie. A session is therefore revoked,
// expired, audited and role-checked exactly like any other token — signing
// out revokes it, disabling a user ends their sessions at once, and
// `tower tokens list` shows who is signed in. Every form carries a CSRF
// value derived from the session secret, so a page on another site cannot
// make a signed-in browser act.
package web
