package sqlite

import (
	"context"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/jixiao/jixiao/internal/storelogic"
)

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
			var rows []pendingRow
			if err := tx.SelectContext(ctx, &rows, `SELECT r.id, r.organization, r.project, r.text
				FROM fts_pending p JOIN reports r ON r.id = p.report_id ORDER BY p.report_id LIMIT ?`, indexBatch); err != nil {
				return err
			}
			n = len(rows)
			return indexRows(ctx, tx, rows)
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

// indexRows adds rows to the index and takes them off the waiting list.
func indexRows(ctx context.Context, tx *sqlx.Tx, rows []pendingRow) error {
	if len(rows) == 0 {
		return nil
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		if _, err := tx.ExecContext(ctx, `INSERT INTO report_fts (rowid, organization, project, body) VALUES (?, ?, ?, ?)`,
			r.ID, storelogic.Segment(r.Org), storelogic.Segment(r.Project), storelogic.Segment(r.Text)); err != nil {
			return err
		}
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

// UnindexDocument takes the reports of a document out of the index; only
// an indexed report has rows there to delete (a waiting one leaves the
// list with its report).
func (s *Store) UnindexDocument(ctx context.Context, tx *sqlx.Tx, docID int64) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM report_fts WHERE rowid IN (SELECT id FROM reports
		WHERE document_id = ? AND id NOT IN (SELECT report_id FROM fts_pending))`, docID)
	return err
}

// MatchReports indexes the waiting reports, then matches in the index.
func (s *Store) MatchReports(ctx context.Context, words []storelogic.Word) (string, []any, error) {
	if err := s.IndexPending(ctx); err != nil {
		return "", nil, err
	}
	return "r.id IN (SELECT rowid FROM report_fts WHERE report_fts MATCH ?)", []any{matchExpr(words)}, nil
}

// SearchReports ranks the matches by FTS5's bm25, then newest year.
func (s *Store) SearchReports(ctx context.Context, words []storelogic.Word, limit int) (string, []any, error) {
	if err := s.IndexPending(ctx); err != nil {
		return "", nil, err
	}
	return `SELECT r.lineage AS id, d.name, r.organization, r.project, r.year, r.text
		FROM report_fts f JOIN reports r ON r.id = f.rowid JOIN documents d ON d.id = r.document_id
		WHERE report_fts MATCH ? AND r.latest = 1 ORDER BY bm25(report_fts), r.year DESC, r.id LIMIT ?`, []any{matchExpr(words), limit}, nil
}

// matchExpr turns query words into an FTS5 expression: every word must
// appear, each as a phrase of its tokens (so "采购程序" matches that string,
// not its characters scattered). A lone Chinese character matches as a
// prefix of the bigrams. Quotes in the input cannot inject syntax: each
// token is quoted with its quotes doubled.
func matchExpr(words []storelogic.Word) string {
	parts := make([]string, len(words))
	for i, w := range words {
		q := make([]string, len(w.Tokens))
		for j, t := range w.Tokens {
			q[j] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
		}
		if w.Prefix() {
			parts[i] = q[0] + "*"
			continue
		}
		parts[i] = strings.Join(q, " + ")
	}
	return strings.Join(parts, " AND ")
}
