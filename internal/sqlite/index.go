package sqlite

import (
	"context"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/jixiao/jixiao/internal/storelogic"
)

// The full-text index has two forms (see migration 010): FTS5 when the
// binary's SQLite has it, a table of tokens when not, so that a binary
// built without the tag sqlite_fts5 (a plain go build or go install)
// makes and reads a store like any other. Both index the same tokens
// (storelogic.Bigrams) and find the same reports; FTS5 is smaller and
// ranks by bm25. This file keeps what the forms share: the waiting list
// (fts_pending), its batches, and the move of a store from one form to
// the other when a binary of the other build opens it.

// textIndex is one form of the full-text index.
type textIndex interface {
	// engine is the form's name in text_index.
	engine() string
	// create makes the form's index empty, in place of any it held.
	create(ctx context.Context, tx *sqlx.Tx) error
	// add indexes the rows.
	add(ctx context.Context, tx *sqlx.Tx, rows []pendingRow) error
	// remove takes a document's indexed reports out of the index.
	remove(ctx context.Context, tx *sqlx.Tx, docID int64) error
	// match is the condition on reports r holding every word.
	match(words []storelogic.Word) (string, []any)
	// search is Search's query: the latest versions matching, best first.
	search(words []storelogic.Word, limit int) (string, []any)
}

// hasFTS5 tells whether the binary's SQLite has FTS5.
func (s *Store) hasFTS5() (bool, error) {
	var on bool
	err := s.db.Get(&on, "SELECT sqlite_compileoption_used('ENABLE_FTS5')")
	return on, err
}

// chooseIndex is FTS5 when the binary has it, else the token table; noFTS5
// takes the token table whatever the build (the tests of both forms).
func (s *Store) chooseIndex(noFTS5 bool) (textIndex, error) {
	on, err := s.hasFTS5()
	if err != nil || !on || noFTS5 {
		return termIndex{}, err
	}
	return ftsIndex{}, nil
}

// useIndex makes ix the store's index. A store whose index is of the
// other form (or of none) is given an empty one of this form and every
// report waits for it; the batches index them, and a search indexes what
// still waits first, so no search misses a report. It looks again under
// the write lock, so processes opening a store at once move it once.
func (s *Store) useIndex(ctx context.Context, ix textIndex) error {
	s.index = ix
	if engine, err := recordedIndex(ctx, s.db); err != nil || engine == ix.engine() {
		return err
	}
	return s.InTx(ctx, func(tx *sqlx.Tx) error {
		if engine, err := recordedIndex(ctx, tx); err != nil || engine == ix.engine() {
			return err
		}
		if err := ix.create(ctx, tx); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM text_index`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO text_index (engine) VALUES (?)`, ix.engine()); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO fts_pending (report_id) SELECT id FROM reports`)
		return err
	})
}

// recordedIndex is the form of index the store holds, "" for none.
func recordedIndex(ctx context.Context, q sqlx.QueryerContext) (string, error) {
	var engine string
	err := sqlx.GetContext(ctx, q, &engine, `SELECT coalesce((SELECT engine FROM text_index), '')`)
	return engine, err
}

// indexBatch is how many saved reports wait for the full-text index before
// a save indexes them. FTS5 writes one segment per transaction: a segment
// per report made indexing the dearest part of a save (≈1 ms of CPU and
// most of the pages written), and a batch shares its term pages among its
// reports. A search indexes what is still waiting first, so no query ever
// misses a saved report.
const indexBatch = 256

// Saved counts the reports just saved and indexes the waiting ones
// when a batch is full.
func (s *Store) Saved(ctx context.Context, reports int) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.unindexed += reports
	if s.unindexed < indexBatch {
		return nil
	}
	return s.indexPendingLocked(ctx)
}

// IndexPending adds every saved report still waiting to the full-text
// index, whoever saved it. Searches call it and a batch import calls it
// when it ends; Close calls it when its Store saved reports, so a store at
// rest has nothing waiting.
func (s *Store) IndexPending(ctx context.Context) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	return s.indexPendingLocked(ctx)
}

// pendingRow is a report waiting for the index, with what it indexes.
type pendingRow struct {
	ID      int64  `db:"id"`
	Org     string `db:"organization"`
	Project string `db:"project"`
	Text    string `db:"text"`
}

// indexPendingLocked indexes the waiting reports, indexBatch at a time,
// each batch in one transaction that also takes them off fts_pending.
// The caller holds writeMu.
func (s *Store) indexPendingLocked(ctx context.Context) error {
	// Look before taking the write lock: a store at rest has nothing
	// waiting, and a read-only command should not wait on another
	// process's writes to find that out.
	if err := s.checkIndex(ctx, s.db); err != nil {
		return err
	}
	var waiting bool
	if err := s.db.GetContext(ctx, &waiting, `SELECT EXISTS (SELECT 1 FROM fts_pending)`); err != nil {
		return fmt.Errorf("full-text index: %w", err)
	}
	if !waiting {
		s.unindexed = 0
		return nil
	}
	for {
		var n int
		err := s.inTxLocked(ctx, func(tx *sqlx.Tx) error {
			if err := s.checkIndex(ctx, tx); err != nil {
				return err
			}
			var rows []pendingRow
			if err := tx.SelectContext(ctx, &rows, `SELECT r.id, r.organization, r.project, r.text
				FROM fts_pending p JOIN reports r ON r.id = p.report_id ORDER BY p.report_id LIMIT ?`, indexBatch); err != nil {
				return err
			}
			n = len(rows)
			return s.indexRows(ctx, tx, rows)
		})
		if err != nil {
			return fmt.Errorf("full-text index: %w", err)
		}
		if n < indexBatch {
			s.unindexed = 0
			return nil
		}
	}
}

// checkIndex refuses to use a form the store no longer has: a binary of
// the other build opened the store meanwhile and moved it, and this
// process's index misses every report the other saves. It is asked before
// every search (which indexes the waiting reports first) and in every
// batch's transaction.
func (s *Store) checkIndex(ctx context.Context, q sqlx.QueryerContext) error {
	engine, err := recordedIndex(ctx, q)
	if err != nil {
		return err
	}
	if engine != s.index.engine() {
		return fmt.Errorf("存储的全文索引已由另一种构建的 jixiao 改为 %q（本进程用 %q），请重新启动本进程", engine, s.index.engine())
	}
	return nil
}

// indexRows adds rows to the index and takes them off the waiting list.
func (s *Store) indexRows(ctx context.Context, tx *sqlx.Tx, rows []pendingRow) error {
	if len(rows) == 0 {
		return nil
	}
	if err := s.index.add(ctx, tx, rows); err != nil {
		return err
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = fmt.Sprint(r.ID)
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM fts_pending WHERE report_id IN (`+strings.Join(ids, ", ")+`)`)
	return err
}

// IndexReport lists a report saved in tx for the next batch of the index
// (see indexBatch).
func (s *Store) IndexReport(ctx context.Context, tx *sqlx.Tx, id int64, _ ...string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO fts_pending (report_id) VALUES (?)`, id)
	return err
}

// UnindexDocument takes the reports of a document out of the index.
func (s *Store) UnindexDocument(ctx context.Context, tx *sqlx.Tx, docID int64) error {
	return s.index.remove(ctx, tx, docID)
}

// MatchReports indexes the waiting reports, then matches in the index.
func (s *Store) MatchReports(ctx context.Context, words []storelogic.Word) (string, []any, error) {
	if err := s.IndexPending(ctx); err != nil {
		return "", nil, err
	}
	cond, args := s.index.match(words)
	return cond, args, nil
}

// SearchReports indexes the waiting reports, then ranks the matches.
func (s *Store) SearchReports(ctx context.Context, words []storelogic.Word, limit int) (string, []any, error) {
	if err := s.IndexPending(ctx); err != nil {
		return "", nil, err
	}
	q, args := s.index.search(words, limit)
	return q, args, nil
}
