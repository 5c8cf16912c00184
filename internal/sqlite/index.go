package sqlite

import (
	"context"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"
)

// indexBatch is how many saved reports wait for the full-text index before
// a save indexes them. FTS5 writes one segment per transaction: a segment
// per report made indexing the dearest part of a save (≈1 ms of CPU and
// most of the pages written), and a batch shares its term pages among its
// reports. A search indexes what is still waiting first, so no query ever
// misses a saved report.
const indexBatch = 256

// savedForIndex counts a report just saved and indexes the waiting ones
// when a batch is full.
func (s *Store) savedForIndex(ctx context.Context) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.unindexed++
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
			return indexRows(ctx, tx, rows, s.segmented)
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
func indexRows(ctx context.Context, tx *sqlx.Tx, rows []pendingRow, segment func(string) string) error {
	if len(rows) == 0 {
		return nil
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		if _, err := tx.ExecContext(ctx, `INSERT INTO report_fts (rowid, organization, project, body) VALUES (?, ?, ?, ?)`,
			r.ID, segment(r.Org), segment(r.Project), segment(r.Text)); err != nil {
			return err
		}
		ids[i] = fmt.Sprint(r.ID)
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM fts_pending WHERE report_id IN (`+strings.Join(ids, ", ")+`)`)
	return err
}
