// Package sqlite is the embedded store: pipeline.Store on SQLite through
// sqlx and mattn/go-sqlite3. The schema is a sequence of numbered SQL
// migrations embedded in the binary; the original bytes of every document are
// kept content-addressed, in pack files in a directory beside the database
// file.
//
// The full-text index is FTS5 when the binary's SQLite has it, which
// mattn/go-sqlite3 compiles in only with the build tag sqlite_fts5 (the
// Makefile sets it in GOFLAGS), and a table of tokens in a plain build
// (index.go).
package sqlite

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"

	"github.com/jmoiron/sqlx"
	_ "github.com/mattn/go-sqlite3" // the "sqlite3" database/sql driver

	"github.com/jixiao/jixiao/internal/sqlstore"
	"github.com/jixiao/jixiao/pipeline"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the SQLite pipeline.Store: the shared SQL of sqlstore, with
// SQLite's way of running write transactions, keeping originals and
// indexing text (its sqlstore.Dialect). It is safe for concurrent use;
// writes from one process are serialised by a mutex (SQLite has one writer
// at a time anyway, and waiting on a Go mutex is cheaper than on busy
// retries), writes from other processes wait on the busy timeout.
type Store struct {
	*sqlstore.Store
	db       *sqlx.DB
	filesDir string
	writeMu  sync.Mutex
	// writer is the connection every write transaction of this Store runs
	// on (under writeMu): SQLite drops a connection's page cache whenever
	// another connection has written, so writes taking turns on the pool's
	// connections each started cold and re-read the pages they change.
	writer *sqlx.Conn
	// pack is the file originals are appended to, also under writeMu
	// (and inside a write transaction).
	pack packFile
	// unindexed counts reports saved since the full-text index last took
	// the waiting ones (under writeMu).
	unindexed int
	// index is the form of the full-text index this binary keeps.
	index textIndex
}

var (
	_ pipeline.Store   = (*Store)(nil)
	_ sqlstore.Dialect = (*Store)(nil)
)

// Open opens (creating if needed) the database at path, applies pending
// migrations, and keeps original bytes in pack files in path + ".files".
func Open(path string) (*Store, error) { return open(path, false) }

// open is Open; noFTS5 keeps the full-text index without FTS5 whatever
// the build, which the tests of that form use.
func open(path string, noFTS5 bool) (*Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("store %s: %w", path, err)
		}
	}
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "30000")
	q.Set("_synchronous", "NORMAL")
	// BEGIN IMMEDIATE: a write transaction takes the write lock at its
	// start, so two writers never deadlock upgrading read locks.
	q.Set("_txlock", "immediate")
	// Every document runs the same dozen statements: keep them prepared.
	q.Set("_stmt_cache_size", "64")
	// KiB per connection, bounded whatever the store size. Saves rewrite
	// the last pages of each table, which fit many times over; reads of
	// earlier years' texts rarely hit a cache anyway. 8 MB cost ~10 MB of
	// peak RSS over four connections and no speed.
	q.Set("_cache_size", "-2000")
	dsn, err := fileURI(path, q)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	db, err := sqlx.Open("sqlite3", dsn)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	db.SetMaxOpenConns(4)
	s := &Store{db: db, filesDir: path + ".files"}
	s.Store = sqlstore.New(db, s)
	if err := s.setUp(noFTS5); err != nil {
		s.Close()
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	return s, nil
}

// setUp migrates the schema and takes the full-text index this binary
// keeps.
func (s *Store) setUp(noFTS5 bool) error {
	ix, err := s.chooseIndex(noFTS5)
	if err != nil {
		return err
	}
	if err := s.migrate(); err != nil {
		return err
	}
	return s.useIndex(context.Background(), ix)
}

// Close indexes the reports this Store saved that still wait for the
// full-text index, and closes the database. A Store that only read leaves
// the waiting list alone: a trend query should not take the write lock
// from an import running in another process.
func (s *Store) Close() error {
	s.writeMu.Lock()
	var indexErr error
	if s.unindexed > 0 {
		indexErr = s.indexPendingLocked(context.Background())
	}
	if s.writer != nil {
		s.writer.Close()
		s.writer = nil
	}
	s.closePack()
	s.writeMu.Unlock()
	return errors.Join(indexErr, s.db.Close())
}

// fileURI is the connection string naming exactly the file at path: a
// file: URI of the absolute path, escaped as a URL's path, so a ?, #, %
// or space in a name is part of the name (SQLite decodes the path, and
// mattn/go-sqlite3 reads its own options after the first ?), then the
// options.
func fileURI(path string, q url.Values) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: q.Encode()}).String(), nil
}

// migrate applies the embedded migrations newer than the database's
// schema version, with foreign keys off: a migration that rebuilds a table
// (009) drops the old one, and with them on that drop would delete every
// row referring to it (ON DELETE CASCADE). SQLite cannot switch them inside
// a transaction, so they are switched around the migrations, and each
// migration checks them before it commits, as SQLite's procedure for
// schema changes says.
func (s *Store) migrate() error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	ctx := context.Background()
	conn, err := s.db.Connx(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return err
	}
	err = sqlstore.Migrate(ctx, conn, migrations, "migrations", checkForeignKeys)
	// On again before the connection goes back to the pool; a failure
	// fails Open, which closes the pool.
	_, onErr := conn.ExecContext(ctx, `PRAGMA foreign_keys = ON`)
	return errors.Join(err, onErr)
}

// checkForeignKeys fails a migration that left a row referring to none.
func checkForeignKeys(ctx context.Context, tx *sqlx.Tx) error {
	var broken []struct {
		Table  string `db:"table"`
		RowID  *int64 `db:"rowid"`
		Parent string `db:"parent"`
		FKID   int    `db:"fkid"`
	}
	if err := tx.SelectContext(ctx, &broken, `PRAGMA foreign_key_check`); err != nil {
		return err
	}
	if len(broken) > 0 {
		return fmt.Errorf("%d rows refer to no row of their parent table (first: %s → %s)", len(broken), broken[0].Table, broken[0].Parent)
	}
	return nil
}

// InTx runs fn in one write transaction.
func (s *Store) InTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	return s.inTxLocked(ctx, fn)
}

// inTxLocked is InTx for a caller that holds writeMu.
func (s *Store) inTxLocked(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	if s.writer == nil {
		c, err := s.db.Connx(context.WithoutCancel(ctx))
		if err != nil {
			return err
		}
		s.writer = c
	}
	tx, err := s.writer.BeginTxx(ctx, nil)
	if err != nil {
		// A broken connection is not kept: the next write takes another.
		s.writer.Close()
		s.writer = nil
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// NextIDs: one writer at a time, so the ids after the largest are free.
func (s *Store) NextIDs(ctx context.Context, tx *sqlx.Tx, table string, n int) ([]int64, error) {
	return sqlstore.NextIDsAfterMax(ctx, tx, table, n)
}

// LockNames has nothing to do: SQLite has one writer at a time.
func (s *Store) LockNames(context.Context, *sqlx.Tx, []string) error { return nil }

// ClaimClause is empty: a write transaction holds the whole database.
func (s *Store) ClaimClause() string { return "" }
