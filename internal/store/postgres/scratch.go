package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	neturl "net/url"
	"regexp"

	"github.com/jackc/pgx/v5"

	"github.com/towerops/tower/internal/store"
)

var schemaPrefix = regexp.MustCompile(`^[a-z][a-z0-9_]{0,40}$`)

// ScratchSchema creates an empty schema named prefix_<random> on the
// PostgreSQL server at url, and returns a URL that works inside it (its
// search_path names the schema) and a function that drops it with
// everything in it. Tests and benchmarks use it to get a private database
// on a shared server, in parallel, without creating databases.
func ScratchSchema(ctx context.Context, url, prefix string) (string, func(context.Context) error, error) {
	if !schemaPrefix.MatchString(prefix) {
		return "", nil, fmt.Errorf("postgres: scratch schema prefix %q must be lower-case letters, digits and _", prefix)
	}
	u, err := neturl.Parse(url)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", nil, fmt.Errorf("postgres: want a postgres:// URL, got %s", store.Redact(url))
	}
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, fmt.Errorf("postgres: scratch schema name: %w", err)
	}
	schema := prefix + "_" + hex.EncodeToString(b[:])
	if err := adminExec(ctx, url, `CREATE SCHEMA `+schema); err != nil {
		return "", nil, fmt.Errorf("postgres: create schema %s on %s: %w", schema, store.Redact(url), err)
	}
	q := u.Query()
	q.Set("search_path", schema) // pgx passes unknown URL parameters to the server as settings
	u.RawQuery = q.Encode()
	drop := func(ctx context.Context) error {
		if err := adminExec(ctx, url, `DROP SCHEMA IF EXISTS `+schema+` CASCADE`); err != nil {
			return fmt.Errorf("postgres: drop schema %s: %w", schema, err)
		}
		return nil
	}
	return u.String(), drop, nil
}

// adminExec runs one statement on a short-lived connection of its own,
// outside any store.
func adminExec(ctx context.Context, url, sql string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return fmt.Errorf("cannot connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	_, err = conn.Exec(ctx, sql)
	return err
}
