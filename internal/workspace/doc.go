// Package workspace finds and describes a Tower workspace: a folder with a
// tower.toml, the knowledge, policies and agents a team keeps in git, and
// (by default) the SQLite database.
//
// Bootstrap settings live here, in TOML overridden by TOWER_* environment
// variables, as listmonk does: just enough to reach the database. Runtime
// settings that people change while Tower runs belong in the database.
package workspace
