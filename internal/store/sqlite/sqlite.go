package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/towerops/tower/internal/store"
)

func init() {
	store.Register("sqlite", func(ctx context.Context, u string) (store.Store, error) {
		path := strings.TrimPrefix(strings.TrimPrefix(u, "sqlite:"), "//")
		return Open(ctx, path)
	})
}

var _ store.Store = (*Store)(nil)

// Store is a Tower database in one SQLite file. It is safe for concurrent
// use by many goroutines.
type Store struct {
	queries
	path  string
	write *sql.DB
	read  *sql.DB
}

// ErrNoPath is returned by Open for an empty path.
var ErrNoPath = errors.New("no database file given: use sqlite:PATH, for example sqlite:tower.db")

// Open opens (creating if needed) the database file at path. It does not
// run migrations; call MigrateUp.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, ErrNoPath
	}
	write, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)
	// The write connection goes first: it creates the file and switches it
	// to WAL before any reader opens it.
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	read, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	readers := max(4, runtime.NumCPU())
	read.SetMaxOpenConns(readers)
	read.SetMaxIdleConns(readers)
	s := &Store{path: path, write: write, read: read}
	s.queries = queries{read: read, write: write}
	return s, nil
}

// dsn builds the modernc driver's connection string for path.
func dsn(path string, readOnly bool) string {
	v := url.Values{}
	v.Add("_pragma", "busy_timeout(10000)")
	v.Add("_pragma", "journal_mode(WAL)")
	v.Add("_pragma", "synchronous(NORMAL)")
	v.Add("_pragma", "foreign_keys(ON)")
	v.Add("_pragma", "temp_store(MEMORY)")
	if readOnly {
		v.Add("_pragma", "query_only(ON)")
		v.Add("_pragma", "cache_size(-16000)")
	} else {
		v.Add("_pragma", "cache_size(-262144)")
		v.Add("_pragma", "mmap_size(1073741824)")
		v.Add("_pragma", "journal_size_limit(67108864)")
		v.Set("_txlock", "immediate")
	}
	return path + "?" + v.Encode()
}

// DB returns the single-connection write pool; see the package doc for why
// River should be given this one.
func (s *Store) DB() *sql.DB { return s.write }

// Backend names the backend.
func (s *Store) Backend() string { return "sqlite" }

// Ping checks the database answers to readers (used by /readyz); it does
// not queue behind a long write.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.read.PingContext(ctx); err != nil {
		return fmt.Errorf("database %s does not answer: %w", s.path, err)
	}
	return nil
}

// Close closes both pools.
func (s *Store) Close() error {
	return errors.Join(s.read.Close(), s.write.Close())
}

// InTx runs fn in one write transaction; see store.Store.
func (s *Store) InTx(ctx context.Context, fn func(ctx context.Context, q store.Queries) error) (err error) {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
	}()
	q := &queries{read: tx, tx: tx}
	if err := fn(ctx, q); err != nil {
		_ = tx.Rollback()
		return err
	}
	if q.failed != nil {
		_ = tx.Rollback()
		return fmt.Errorf("%w, so nothing was saved: %w", ErrTxFailed, q.failed)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
