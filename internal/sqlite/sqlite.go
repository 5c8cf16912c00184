// Package sqlite is the embedded store: pipeline.Store on SQLite through
// sqlx and mattn/go-sqlite3. The schema is a sequence of numbered SQL
// migrations embedded in the binary; the original bytes of every document are
// kept content-addressed, in pack files in a directory beside the database
// file.
//
// The full-text index needs SQLite's FTS5, which mattn/go-sqlite3 compiles in
// only with the build tag sqlite_fts5 (the Makefile sets it in GOFLAGS).
package sqlite

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/mattn/go-sqlite3" // the "sqlite3" database/sql driver

	"github.com/jixiao/jixiao/pipeline"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the SQLite pipeline.Store. It is safe for concurrent use; writes
// from one process are serialised by a mutex (SQLite has one writer at a
// time anyway, and waiting on a Go mutex is cheaper than on busy retries),
// writes from other processes wait on the busy timeout.
type Store struct {
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
	// Tokens segments text for the full-text index and for queries.
	tokens func(string) []string
	// segmented is strings.Join(tokens(text), " "), cheaper for the
	// default segmenter (see segmentBigrams).
	segmented func(string) string
}

var _ pipeline.Store = (*Store)(nil)

// Options tune Open. The zero value is the default.
type Options struct {
	// Tokens segments text into words for the full-text index; nil uses
	// the default segmenter.
	Tokens func(string) []string
}

// Open opens (creating if needed) the database at path, applies pending
// migrations, and keeps original bytes in pack files in path + ".files".
func Open(path string, opts ...Options) (*Store, error) {
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	segmented := segmentBigrams
	if o.Tokens == nil {
		o.Tokens = defaultTokens
	} else {
		tokens := o.Tokens
		segmented = func(text string) string { return strings.Join(tokens(text), " ") }
	}
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
	db, err := sqlx.Open("sqlite3", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	db.SetMaxOpenConns(4)
	s := &Store{db: db, filesDir: path + ".files", tokens: o.Tokens, segmented: segmented}
	if err := s.checkFTS5(); err != nil {
		db.Close()
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	if err := s.migrate(); err != nil {
		db.Close()
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	return s, nil
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

// DB exposes the handle for tests and maintenance commands.
func (s *Store) DB() *sqlx.DB { return s.db }

func (s *Store) checkFTS5() error {
	var on int
	if err := s.db.Get(&on, "SELECT sqlite_compileoption_used('ENABLE_FTS5')"); err != nil {
		return err
	}
	if on == 0 {
		return errors.New("this binary's SQLite lacks FTS5: build with -tags sqlite_fts5 (make build does)")
	}
	return nil
}

// migrate applies, in order and each in its own transaction, the embedded
// migrations newer than the database's schema version.
func (s *Store) migrate() error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if _, err := s.db.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return err
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		base := filepath.Base(name)
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: name must start with its number", base)
		}
		if err := s.applyMigration(v, base, name); err != nil {
			return fmt.Errorf("migration %s: %w", base, err)
		}
	}
	return nil
}

func (s *Store) applyMigration(version int, base, name string) error {
	body, err := migrations.ReadFile(name)
	if err != nil {
		return err
	}
	tx, err := s.db.Beginx()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.Get(&n, "SELECT count(*) FROM schema_migrations WHERE version = ?", version); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.Exec(string(body)); err != nil {
		return err
	}
	if _, err := tx.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
		version, base, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return err
	}
	return tx.Commit()
}

// inTx runs fn in one write transaction.
func (s *Store) inTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	return s.inTxLocked(ctx, fn)
}

// inTxLocked is inTx for a caller that holds writeMu.
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
