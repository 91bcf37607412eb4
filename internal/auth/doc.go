// Package auth decides who is calling Tower and what they may do: users
// with a role, API tokens that act for a user with at most that user's
// role, and passwords.
//
// A token's secret is "tower_" followed by 32 random bytes in base64url;
// only its SHA-256 is stored, so a copy of the database lets nobody call
// the API. Comparing a hash that was looked up by that same hash leaks
// nothing about other secrets through timing, which is why tokens are
// found by hash rather than by an id prefix.
//
// Every change to users and tokens writes an audit entry in the same
// transaction as the change, so the audit log never misses one.
package auth
