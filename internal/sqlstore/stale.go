package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/jixiao/jixiao/pipeline"
)

// Cross-year findings go stale when an earlier year of a series is saved
// after a later one was judged. The store keeps a mark per stale report in
// history_stale: a save marks the stored later years of its series in its
// own transaction, and ingest marks a report it finds was judged without an
// earlier year saved meanwhile. RejudgeStale hands the marked reports out to
// be judged again, one worker per report, and clears the marks it read; a
// worker killed half-way leaves them for the next.

// markLaterYearsStale records that the stored later years of the series
// were judged without report id, of year.
func markLaterYearsStale(ctx context.Context, tx *sqlx.Tx, series string, id int64, year int) error {
	if series == "" || year <= 0 {
		return nil
	}
	return exec(ctx, tx, `INSERT INTO history_stale (report_id)
		SELECT id FROM reports WHERE series_org = ? AND year > ? AND id != ? AND latest = 1`, series, year, id)
}

// MarkStale records that report id (its latest version) was judged
// without an earlier year of its series saved while it was being judged.
func (s *Store) MarkStale(ctx context.Context, id int64) error {
	return s.d.InTx(ctx, func(tx *sqlx.Tx) error {
		return exec(ctx, tx, `INSERT INTO history_stale (report_id)
			SELECT id FROM reports WHERE lineage = `+reportOf+` AND latest = 1`, id, id)
	})
}

// RejudgeStale takes the reports marked stale one at a time, each in a
// transaction that holds it against every other worker's, and judges it
// again: changed findings whose rule starts with rulePrefix are replaced,
// and the marks read are cleared, in that transaction. Marks made meanwhile
// stay for the next judging. It returns when no marked report is left that
// another worker is not judging. judge returns the fresh cross-year
// findings of a stored report and whether they differ from those stored.
func (s *Store) RejudgeStale(ctx context.Context, rulePrefix string, judge func(ctx context.Context, reportID int64) ([]pipeline.Finding, bool, error)) error {
	for {
		found := false
		err := s.d.InTx(ctx, func(tx *sqlx.Tx) error {
			var ids []int64
			if err := sel(ctx, tx, &ids, `SELECT id FROM reports WHERE id IN (SELECT report_id FROM history_stale)
				ORDER BY id LIMIT 1`+s.d.ClaimClause()); err != nil || len(ids) == 0 {
				return err
			}
			found = true
			return s.rejudge(ctx, tx, ids[0], rulePrefix, judge)
		})
		if err != nil || !found {
			return err
		}
	}
}

func (s *Store) rejudge(ctx context.Context, tx *sqlx.Tx, id int64, rulePrefix string, judge func(context.Context, int64) ([]pipeline.Finding, bool, error)) error {
	var upTo int64
	if err := get(ctx, tx, &upTo, `SELECT coalesce(max(seq), 0) FROM history_stale WHERE report_id = ?`, id); err != nil || upTo == 0 {
		return err // none left: judged by a worker that let the report go just before it was taken here
	}
	fresh, changed, err := judge(ctx, id)
	if err != nil {
		return err
	}
	if changed {
		if err := s.replaceFindings(ctx, tx, id, rulePrefix, fresh); err != nil {
			return err
		}
	}
	return exec(ctx, tx, `DELETE FROM history_stale WHERE report_id = ? AND seq <= ?`, id, upTo)
}

// StaleCount is the number of marks waiting; for tests and monitoring.
func (s *Store) StaleCount(ctx context.Context) (int, error) {
	var n int
	err := get(ctx, s.db, &n, `SELECT count(*) FROM history_stale`)
	return n, err
}

// replaceFindings replaces the findings of one report whose rule starts
// with rulePrefix ("history.") by fs, keeping the others; the extraction
// JSON and the severity counts follow. A report no longer stored (replaced
// by a reprocessing) is left alone.
func (s *Store) replaceFindings(ctx context.Context, tx *sqlx.Tx, reportID int64, rulePrefix string, fs []pipeline.Finding) error {
	var blob string
	err := get(ctx, tx, &blob, `SELECT extraction FROM reports WHERE id = ?`, reportID)
	if noRows(err) {
		return nil // replaced meanwhile (reprocessed under a new id): nothing left to update
	}
	if err != nil {
		return fmt.Errorf("report %d: %w", reportID, err)
	}
	ext := pipeline.NewExtraction()
	if err := json.Unmarshal([]byte(blob), ext); err != nil {
		return fmt.Errorf("report %d: %w", reportID, err)
	}
	kept := []pipeline.Finding{}
	for _, f := range ext.Findings {
		if !strings.HasPrefix(f.Rule, rulePrefix) {
			kept = append(kept, f)
		}
	}
	ext.Findings = append(kept, fs...)
	if err := exec(ctx, tx, `DELETE FROM findings WHERE report_id = ? AND substr(rule, 1, ?) = ?`,
		reportID, len(rulePrefix), rulePrefix); err != nil {
		return err
	}
	var seq int
	if err := get(ctx, tx, &seq, `SELECT coalesce(max(seq) + 1, 0) FROM findings WHERE report_id = ?`, reportID); err != nil {
		return err
	}
	if err := s.insertFindings(ctx, tx, reportID, seq, fs); err != nil {
		return err
	}
	out, err := json.Marshal(ext)
	if err != nil {
		return err
	}
	c := countSeverities(ext.Findings)
	return exec(ctx, tx, `UPDATE reports SET extraction = ?, errors = ?, warnings = ?, infos = ? WHERE id = ?`,
		string(out), c[pipeline.SeverityError], c[pipeline.SeverityWarning], c[pipeline.SeverityInfo], reportID)
}

// CheckSum fails unless data hashes to sum.
func CheckSum(sum string, data []byte) error {
	got := sha256.Sum256(data)
	if hex.EncodeToString(got[:]) != sum {
		return fmt.Errorf("original bytes do not match sha256 %s", sum)
	}
	return nil
}
