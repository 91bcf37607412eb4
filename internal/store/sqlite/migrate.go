package sqlite

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"time"

	"github.com/towerops/tower/internal/store"
	"github.com/towerops/tower/internal/store/migrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// dialect tells the shared runner how SQLite spells things. No lock is
// needed: migrations run on the write connection, whose transactions
// begin IMMEDIATE and so exclude every other writer, in or out of process.
var dialect = migrate.Dialect{
	Bind: func(int) string { return "?" },
	CreateTable: `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL)`,
	EncodeTime: func(t time.Time) any { return encTime(t) },
	DecodeTime: func(src any) (time.Time, error) {
		s, ok := src.(string)
		if !ok {
			return time.Time{}, fmt.Errorf("applied_at is %T, not text", src)
		}
		return time.Parse(time.RFC3339Nano, s)
	},
}

func migrations() fs.FS {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err) // the embed pattern guarantees the folder
	}
	return sub
}

// MigrateUp applies the embedded migrations not yet applied.
func (s *Store) MigrateUp(ctx context.Context) ([]store.Migration, error) {
	done, err := migrate.Up(ctx, s.write, migrations(), dialect)
	if err != nil {
		return done, fmt.Errorf("upgrade database %s: %w", s.path, err)
	}
	return done, nil
}

// MigrateStatus lists the embedded migrations and whether each is applied.
func (s *Store) MigrateStatus(ctx context.Context) ([]store.Migration, error) {
	st, err := migrate.Status(ctx, s.write, migrations(), dialect)
	if err != nil {
		return nil, fmt.Errorf("read migrations of %s: %w", s.path, err)
	}
	return st, nil
}
