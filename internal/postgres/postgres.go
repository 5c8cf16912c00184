// Package postgres is the shared store: pipeline.Store on PostgreSQL, for
// several intake workers and a web server on different machines. It runs
// the SQL of internal/sqlstore through sqlx and pgx's database/sql adapter
// (the same sqlx code as the SQLite store, with "$n" placeholders), and
// adds what PostgreSQL does its own way: ids from sequences, originals
// kept in the database, a tsvector of character bigrams for full-text
// search, advisory locks between writers, and claims on documents so that
// each is read by one worker. The schema is a sequence of numbered SQL
// migrations embedded in the binary.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
	"github.com/jmoiron/sqlx"

	"github.com/jixiao/jixiao/internal/sqlstore"
	"github.com/jixiao/jixiao/pipeline"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the PostgreSQL pipeline.Store. It is safe for concurrent use,
// and any number of Stores in any number of processes may share one
// database.
type Store struct {
	*sqlstore.Store
	db     *sqlx.DB
	claims *claims
	txs    chan struct{} // a slot per transaction running (see maxTx)
}

var (
	_ pipeline.Store   = (*Store)(nil)
	_ sqlstore.Dialect = (*Store)(nil)
)

// IsURL tells whether a --db value names a PostgreSQL database rather than
// a SQLite file.
func IsURL(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// maxConns bounds one process's connections, and maxTx its transactions
// at once: a transaction that judges a report reads through another
// connection while it holds its own, so fewer transactions than
// connections (and one for the claims) always leave each a connection to
// read on, however many workers (-j) the process runs.
const (
	maxConns = 16
	maxTx    = 7
)

// Open connects to the database at url (postgres://user:pass@host/db?…),
// applies pending migrations (one process at a time) and returns the store.
func Open(url string) (*Store, error) {
	db, err := sqlx.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("数据库 %s：%w", Redact(url), err)
	}
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s := &Store{db: db, claims: newClaims(db), txs: make(chan struct{}, maxTx)}
	s.Store = sqlstore.New(db, s)
	if err := s.migrate(context.Background()); err != nil {
		db.Close()
		return nil, fmt.Errorf("数据库 %s：%w", Redact(url), err)
	}
	return s, nil
}

// Redact drops the password from a URL shown to an operator.
func Redact(url string) string {
	at := strings.LastIndex(url, "@")
	scheme := strings.Index(url, "://")
	if at < 0 || scheme < 0 {
		return url
	}
	cred := url[scheme+3 : at]
	if i := strings.Index(cred, ":"); i >= 0 {
		return url[:scheme+3] + cred[:i] + ":***" + url[at:]
	}
	return url
}

// Close lets go of this Store's claims and closes its connections.
func (s *Store) Close() error {
	return errors.Join(s.claims.close(), s.db.Close())
}

// Advisory lock classes (the two-key form, apart from the claims' one-key
// form): migrations, and organisation names (see LockNames).
const (
	lockMigrate = 1
	lockName    = 2
)

// migrate applies the embedded migrations, holding a lock so that workers
// starting together do not apply them twice.
func (s *Store) migrate(ctx context.Context) error {
	conn, err := s.db.Connx(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1, 0)`, lockMigrate); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1, 0)`, lockMigrate)
	return sqlstore.Migrate(ctx, conn, migrations, "migrations", nil)
}

// txAttempts bounds the retries of a transaction PostgreSQL aborted to
// break a deadlock between writers; its work is redone from the start.
const txAttempts = 5

// InTx runs fn in one transaction, again when PostgreSQL aborted it for a
// deadlock or a serialisation failure.
func (s *Store) InTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	var err error
	for range txAttempts {
		if err = s.inTx(ctx, fn); !retryable(err) {
			return err
		}
	}
	return err
}

func (s *Store) inTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	select {
	case s.txs <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.txs }()
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001")
}

// NextIDs takes n ids from the table's sequence, which no other writer
// will be given.
func (s *Store) NextIDs(ctx context.Context, tx *sqlx.Tx, table string, n int) ([]int64, error) {
	if n == 0 {
		return nil, nil
	}
	var ids []int64
	err := tx.SelectContext(ctx, &ids, `SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)`, table, n)
	return ids, err
}

// LockNames takes a transaction lock per name, in key order so that two
// writers never wait for each other's.
func (s *Store) LockNames(ctx context.Context, tx *sqlx.Tx, names []string) error {
	keys := nameKeys(names)
	if len(keys) == 0 {
		return nil
	}
	calls := make([]string, len(keys))
	args := make([]any, len(keys))
	for i, k := range keys {
		calls[i] = fmt.Sprintf("pg_advisory_xact_lock(%d, $%d)", lockName, i+1)
		args[i] = k
	}
	_, err := tx.ExecContext(ctx, `SELECT `+strings.Join(calls, ", "), args...)
	return err
}

// ClaimClause takes a row no other transaction holds, skipping held ones;
// NO KEY UPDATE lets saves still mark the report stale meanwhile.
func (s *Store) ClaimClause() string { return " FOR NO KEY UPDATE SKIP LOCKED" }

// KeepOriginal keeps the bytes in the database, in the document's
// transaction, unless kept already.
func (s *Store) KeepOriginal(ctx context.Context, tx *sqlx.Tx, sum string, data []byte) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO originals (sha256, data) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING`, sum, data)
	return err
}

// DropOriginal deletes the bytes' row in tx; the space they took is the
// database's to reuse after VACUUM.
func (s *Store) DropOriginal(ctx context.Context, tx *sqlx.Tx, sum string) (bool, error) {
	res, err := tx.ExecContext(ctx, `DELETE FROM originals WHERE sha256 = $1`, sum)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// Original returns the bytes of a stored document, checked against its
// sha256.
func (s *Store) Original(ctx context.Context, sum string) ([]byte, error) {
	var data []byte
	err := s.db.GetContext(ctx, &data, `SELECT data FROM originals WHERE sha256 = $1`, sum)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("original of %s is not in the store", sum)
		}
		return nil, fmt.Errorf("original of %s: %w", sum, err)
	}
	if err := sqlstore.CheckSum(sum, data); err != nil {
		return nil, err
	}
	return data, nil
}

// SaveJudged saves a document's reports judged by judge inside the save's
// transaction, under the locks of their organisations' names (see
// ingest.JudgingSaver): with several workers, two years of one body saved
// at once are judged one after the other, each against the other when it
// is earlier. (SQLite has one writer and judges outside it, where judging
// runs in parallel.)
func (s *Store) SaveJudged(ctx context.Context, doc pipeline.Document, original []byte, exts []*pipeline.Extraction,
	judge func(context.Context, *pipeline.Extraction) error) ([]int64, error) {
	return s.SaveReportsJudged(ctx, doc, original, exts, judge)
}
