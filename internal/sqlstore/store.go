// Package sqlstore is the SQL both database stores run (internal/sqlite
// and internal/postgres): the same tables, the same reads and writes, over
// sqlx with "?" placeholders rebound to each driver's. What differs between
// the two databases (how a write transaction runs, where originals are
// kept, the full-text index, locks between several writers) is behind
// Dialect; what a store decides (series names, recurring problems) is in
// internal/storelogic.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/jixiao/jixiao/internal/storelogic"
)

// Dialect is what one database does its own way.
type Dialect interface {
	// InTx runs fn in one write transaction and commits it.
	InTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error
	// NextIDs returns n unused ids of table for rows inserted in tx.
	NextIDs(ctx context.Context, tx *sqlx.Tx, table string, n int) ([]int64, error)
	// LockNames keeps other writers from filing reports under these
	// organisation names until tx ends (see storelogic.LockNames); a
	// database with one writer at a time has nothing to do.
	LockNames(ctx context.Context, tx *sqlx.Tx, names []string) error
	// KeepOriginal keeps the original bytes of a document in tx (or the
	// place they are written to), unless kept already.
	KeepOriginal(ctx context.Context, tx *sqlx.Tx, sum string, data []byte) error
	// DropOriginal removes the original bytes of a document in tx (or,
	// kept outside the database, destroys them), saying whether it had
	// them.
	DropOriginal(ctx context.Context, tx *sqlx.Tx, sum string) (bool, error)
	// IndexReport adds a report saved in tx to the full-text index (or
	// lists it for a later batch); UnindexDocument takes out the reports
	// of a document about to be replaced.
	IndexReport(ctx context.Context, tx *sqlx.Tx, id int64, fields ...string) error
	UnindexDocument(ctx context.Context, tx *sqlx.Tx, docID int64) error
	// Saved is called after each committed save, with the number of
	// reports it saved (a batching index counts them).
	Saved(ctx context.Context, reports int) error
	// MatchReports is the condition on reports r that holds for the reports
	// matching words, with its arguments; it may first bring the index up
	// to date.
	MatchReports(ctx context.Context, words []storelogic.Word) (cond string, args []any, err error)
	// SearchReports is the query of Search: the reports matching words,
	// best first, at most limit, as the columns of ReportText.
	SearchReports(ctx context.Context, words []storelogic.Word, limit int) (query string, args []any, err error)
	// ClaimClause ends a SELECT of rows that one transaction at a time may
	// take ("" where writers take turns anyway).
	ClaimClause() string
}

// Store is the stored data of a database store; the database packages wrap
// it with their Open, Close, Original and Search.
type Store struct {
	db *sqlx.DB
	d  Dialect
}

// New wraps an opened, migrated database.
func New(db *sqlx.DB, d Dialect) *Store { return &Store{db: db, d: d} }

// DB exposes the handle for tests and maintenance commands.
func (s *Store) DB() *sqlx.DB { return s.db }

// get, sel and exec run a query written with "?" placeholders on a
// database or in a transaction.
func get(ctx context.Context, e sqlx.ExtContext, dest any, q string, args ...any) error {
	return sqlx.GetContext(ctx, e, dest, e.Rebind(q), args...)
}

func sel(ctx context.Context, e sqlx.ExtContext, dest any, q string, args ...any) error {
	return sqlx.SelectContext(ctx, e, dest, e.Rebind(q), args...)
}

func exec(ctx context.Context, e sqlx.ExtContext, q string, args ...any) error {
	_, err := e.ExecContext(ctx, e.Rebind(q), args...)
	return err
}

// Migrate applies on conn, in order and each in its own transaction, the
// migrations NNN_name.sql of dir in files newer than the database's schema
// version. check, when not nil, runs in each migration's transaction
// before it commits, and fails it with its error.
func Migrate(ctx context.Context, conn *sqlx.Conn, files fs.FS, dir string, check func(context.Context, *sqlx.Tx) error) error {
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return err
	}
	names, err := fs.Glob(files, dir+"/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		base := path.Base(name)
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: name must start with its number", base)
		}
		body, err := fs.ReadFile(files, name)
		if err != nil {
			return err
		}
		if err := applyMigration(ctx, conn, v, base, string(body), check); err != nil {
			return fmt.Errorf("migration %s: %w", base, err)
		}
	}
	return nil
}

func applyMigration(ctx context.Context, conn *sqlx.Conn, version int, base, body string, check func(context.Context, *sqlx.Tx) error) error {
	tx, err := conn.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := get(ctx, tx, &n, "SELECT count(*) FROM schema_migrations WHERE version = ?", version); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, body); err != nil {
		return err
	}
	if check != nil {
		if err := check(ctx, tx); err != nil {
			return err
		}
	}
	if err := exec(ctx, tx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
		version, base, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return err
	}
	return tx.Commit()
}

// noRows tells a missing row from a failed read.
func noRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
