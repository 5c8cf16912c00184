package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/jixiao/jixiao/pipeline"
)

// documentRow is the documents table; ingested_at is RFC 3339 text.
type documentRow struct {
	pipeline.Document
	IngestedAt string `db:"ingested_at"`
}

func (r documentRow) document() pipeline.Document {
	d := r.Document
	d.IngestedAt, _ = time.Parse(time.RFC3339Nano, r.IngestedAt)
	return d
}

const documentColumns = `id, sha256, name, format, pages, size, extractor, extractor_version, status, error, ingested_at`

// Document returns the stored document with this sha256, or nil.
func (s *Store) Document(ctx context.Context, sum string) (*pipeline.Document, error) {
	var r documentRow
	err := s.db.GetContext(ctx, &r, `SELECT `+documentColumns+` FROM documents WHERE sha256 = ?`, sum)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	d := r.document()
	return &d, nil
}

// Documents returns every stored document, oldest first; --reprocess walks it.
func (s *Store) Documents(ctx context.Context) ([]pipeline.Document, error) {
	var rows []documentRow
	if err := s.db.SelectContext(ctx, &rows, `SELECT `+documentColumns+` FROM documents ORDER BY id`); err != nil {
		return nil, err
	}
	out := make([]pipeline.Document, len(rows))
	for i, r := range rows {
		out[i] = r.document()
	}
	return out, nil
}

// SaveReport stores a read document, its original bytes and its extraction
// in one transaction, replacing an earlier extraction of the same document.
func (s *Store) SaveReport(ctx context.Context, doc pipeline.Document, original []byte, ext *pipeline.Extraction) (int64, error) {
	if ext == nil {
		return 0, errors.New("save report: nil extraction")
	}
	doc.Status, doc.Error = pipeline.StatusIngested, ""
	if err := checkSum(doc.SHA256, original); err != nil {
		return 0, fmt.Errorf("%s: keep original: %w", doc.Name, err)
	}
	blob, err := json.Marshal(ext)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", doc.Name, err)
	}
	var reportID int64
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.keepOriginal(ctx, tx, doc.SHA256, original); err != nil {
			return fmt.Errorf("keep original: %w", err)
		}
		docID, err := upsertDocument(ctx, tx, doc)
		if err != nil {
			return err
		}
		if err := deleteReportOf(ctx, tx, docID); err != nil {
			return err
		}
		series, err := resolveOrg(ctx, tx, ext.Report.Organization)
		if err != nil {
			return err
		}
		reportID, err = insertReport(ctx, tx, docID, series, ext, string(blob))
		if err != nil {
			return err
		}
		if err := markLaterYearsStale(ctx, tx, series, reportID, ext.Report.Year); err != nil {
			return err
		}
		if err := insertRows(ctx, tx, reportID, &ext.Report); err != nil {
			return err
		}
		if err := insertFindings(ctx, tx, reportID, 0, ext.Findings); err != nil {
			return err
		}
		// The full-text index takes the report later, in a batch (see
		// indexPending).
		_, err = tx.ExecContext(ctx, `INSERT INTO fts_pending (report_id) VALUES (?)`, reportID)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("%s: save: %w", doc.Name, err)
	}
	if err := s.savedForIndex(ctx); err != nil {
		return reportID, fmt.Errorf("%s: saved, but the full-text index failed: %w", doc.Name, err)
	}
	return reportID, nil
}

// SaveFailure records a document that could not be read, with its original
// bytes and the reason. A failure never replaces a stored report.
func (s *Store) SaveFailure(ctx context.Context, doc pipeline.Document, original []byte, reason string) error {
	doc.Status, doc.Error = pipeline.StatusFailed, reason
	if err := checkSum(doc.SHA256, original); err != nil {
		return fmt.Errorf("%s: keep original: %w", doc.Name, err)
	}
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.keepOriginal(ctx, tx, doc.SHA256, original); err != nil {
			return fmt.Errorf("keep original: %w", err)
		}
		var n int
		if err := tx.GetContext(ctx, &n, `SELECT count(*) FROM reports JOIN documents d ON d.id = document_id WHERE d.sha256 = ?`, doc.SHA256); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		_, err := upsertDocument(ctx, tx, doc)
		return err
	})
	if err != nil {
		return fmt.Errorf("%s: save failure: %w", doc.Name, err)
	}
	return nil
}

func upsertDocument(ctx context.Context, tx *sqlx.Tx, d pipeline.Document) (int64, error) {
	if d.IngestedAt.IsZero() {
		d.IngestedAt = time.Now()
	}
	var id int64
	err := tx.GetContext(ctx, &id, `INSERT INTO documents (sha256, name, format, pages, size, extractor, extractor_version, status, error, ingested_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (sha256) DO UPDATE SET name = excluded.name, format = excluded.format, pages = excluded.pages,
			size = excluded.size, extractor = excluded.extractor, extractor_version = excluded.extractor_version,
			status = excluded.status, error = excluded.error, ingested_at = excluded.ingested_at
		RETURNING id`,
		d.SHA256, d.Name, d.Format, d.Pages, d.Size, d.Extractor, d.ExtractorVersion, d.Status, d.Error,
		d.IngestedAt.UTC().Format(time.RFC3339Nano))
	return id, err
}

func deleteReportOf(ctx context.Context, tx *sqlx.Tx, docID int64) error {
	var ids []int64
	if err := tx.SelectContext(ctx, &ids, `SELECT id FROM reports WHERE document_id = ?`, docID); err != nil || len(ids) == 0 {
		return err // a new document, the usual case, has nothing to delete
	}
	// Only an indexed report has rows in the index to delete.
	if _, err := tx.ExecContext(ctx, `DELETE FROM report_fts WHERE rowid IN (SELECT id FROM reports
		WHERE document_id = ? AND id NOT IN (SELECT report_id FROM fts_pending))`, docID); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM reports WHERE document_id = ?`, docID)
	return err
}

func insertReport(ctx context.Context, tx *sqlx.Tx, docID int64, series string, ext *pipeline.Extraction, blob string) (int64, error) {
	r := &ext.Report
	counts := countSeverities(ext.Findings)
	var id int64
	err := tx.GetContext(ctx, &id, `INSERT INTO reports (document_id, organization, project, kind, year,
		planned_fen, adjusted_fen, executed_fen, execution_rate, score, score_units, grade,
		errors, warnings, infos, extraction, text, series_org)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		docID, r.Organization, r.Project, r.Kind, r.Year,
		fen(r.Budget.Planned), fen(r.Budget.Adjusted), fen(r.Budget.Executed),
		decimalText(r.Budget.ExecutionRate), decimalText(r.Score), scoreUnits(r.Score), r.Grade,
		counts[pipeline.SeverityError], counts[pipeline.SeverityWarning], counts[pipeline.SeverityInfo],
		blob, ext.Text, series)
	return id, err
}

func countSeverities(fs []pipeline.Finding) map[string]int {
	m := map[string]int{}
	for _, f := range fs {
		m[f.Severity]++
	}
	return m
}

// insertRows writes the report's lists into their tables, one multi-row
// INSERT per table: a report has dozens of rows, and a statement per row
// made saving cost more than reading the report.
func insertRows(ctx context.Context, tx *sqlx.Tx, id int64, r *pipeline.Report) error {
	items := newBulk("line_items", "report_id", "seq", "purpose", "fen", "quote", "page", "line", "pos")
	for i, li := range r.LineItems {
		e := li.Evidence
		items.add(id, i, li.Purpose, li.Amount.Fen, e.Quote, e.Page, e.Line, e.Offset)
	}
	nextBreakdown, err := nextID(ctx, tx, "breakdowns")
	if err != nil {
		return err
	}
	breakdowns := newBulk("breakdowns", "id", "report_id", "seq", "total_fen", "total_quote", "quote", "page", "line", "pos")
	parts := newBulk("breakdown_items", "breakdown_id", "seq", "label", "fen", "item_quote", "quote", "page", "line", "pos")
	for i, b := range r.Breakdowns {
		e := b.Evidence
		bid := nextBreakdown + int64(i)
		breakdowns.add(bid, id, i, b.Total.Fen, b.TotalQuote, e.Quote, e.Page, e.Line, e.Offset)
		for j, it := range b.Items {
			e := it.Evidence
			parts.add(bid, j, it.Label, it.Amount.Fen, it.Quote, e.Quote, e.Page, e.Line, e.Offset)
		}
	}
	indicators := newBulk("indicators", "report_id", "seq", "level1", "level2", "level3", "target", "actual", "weight", "score",
		"deviation", "quote", "page", "line", "pos")
	for i, in := range r.Indicators {
		e := in.Evidence
		indicators.add(id, i, in.Level1, in.Level2, in.Level3, in.Target, in.Actual, decimalText(in.Weight), decimalText(in.Score),
			in.Deviation, e.Quote, e.Page, e.Line, e.Offset)
	}
	problems := newBulk("problems", "report_id", "seq", "text")
	for i, p := range r.Problems {
		problems.add(id, i, p)
	}
	suggestions := newBulk("suggestions", "report_id", "seq", "text")
	for i, p := range r.Suggestions {
		suggestions.add(id, i, p)
	}
	sections := newBulk("sections", "report_id", "seq", "number", "level", "title", "canonical", "line", "page", "pos")
	for i, sec := range r.Sections {
		sections.add(id, i, sec.Number, sec.Level, sec.Title, sec.Canonical, sec.Line, sec.Page, sec.Offset)
	}
	for _, b := range []*bulk{items, breakdowns, parts, indicators, problems, suggestions, sections} {
		if err := b.exec(ctx, tx); err != nil {
			return err
		}
	}
	return nil
}

// insertFindings appends findings and their evidence to a report, the
// first at seq. The ids are assigned here (the transaction holds the write
// lock) so evidence rows can name their finding in the same multi-row
// insert.
func insertFindings(ctx context.Context, tx *sqlx.Tx, id int64, seq int, fs []pipeline.Finding) error {
	if len(fs) == 0 {
		return nil
	}
	next, err := nextID(ctx, tx, "findings")
	if err != nil {
		return err
	}
	findings := newBulk("findings", "id", "report_id", "seq", "rule", "severity", "message", "vals")
	evidence := newBulk("evidence", "finding_id", "seq", "quote", "page", "line", "pos")
	for i, f := range fs {
		vals, err := json.Marshal(f.Values)
		if err != nil {
			return fmt.Errorf("finding %s: %w", f.Rule, err)
		}
		fid := next + int64(i)
		findings.add(fid, id, seq+i, f.Rule, f.Severity, f.Message, string(vals))
		for j, e := range f.Evidence {
			evidence.add(fid, j, e.Quote, e.Page, e.Line, e.Offset)
		}
	}
	if err := findings.exec(ctx, tx); err != nil {
		return err
	}
	return evidence.exec(ctx, tx)
}

// nextID is the first free id of a table; valid inside a write transaction.
func nextID(ctx context.Context, tx *sqlx.Tx, table string) (int64, error) {
	var id int64
	err := tx.GetContext(ctx, &id, `SELECT coalesce(max(id), 0) + 1 FROM `+table)
	return id, err
}

// bulk collects the rows of one multi-row INSERT.
type bulk struct {
	table string
	cols  []string
	args  []any
	rows  int
}

func newBulk(table string, cols ...string) *bulk { return &bulk{table: table, cols: cols} }

func (b *bulk) add(vals ...any) {
	b.args = append(b.args, vals...)
	b.rows++
}

// maxBulkRows keeps a statement under SQLite's limit of bound variables.
const maxBulkRows = 500

func (b *bulk) exec(ctx context.Context, tx *sqlx.Tx) error {
	n := len(b.cols)
	row := "(" + strings.Repeat("?, ", n-1) + "?)"
	for start := 0; start < b.rows; start += maxBulkRows {
		count := min(maxBulkRows, b.rows-start)
		q := "INSERT INTO " + b.table + " (" + strings.Join(b.cols, ", ") + ") VALUES " +
			strings.Repeat(row+", ", count-1) + row
		if _, err := tx.ExecContext(ctx, q, b.args[start*n:(start+count)*n]...); err != nil {
			return fmt.Errorf("%s: %w", b.table, err)
		}
	}
	return nil
}

// markLaterYearsStale records that the stored later years of the series
// were judged without report id, of year: their cross-year findings are
// stale until judged again (see StaleReports).
func markLaterYearsStale(ctx context.Context, tx *sqlx.Tx, series string, id int64, year int) error {
	if series == "" || year <= 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO history_stale (report_id)
		SELECT id FROM reports WHERE series_org = ? AND year > ? AND id != ?`, series, year, id)
	return err
}

// StaleReports lists the reports whose cross-year findings saves of
// earlier years made stale, and the last mark read, for ClearStale.
func (s *Store) StaleReports(ctx context.Context) (ids []int64, upTo int64, err error) {
	var rows []struct {
		ReportID int64 `db:"report_id"`
		Seq      int64 `db:"seq"`
	}
	if err := s.db.SelectContext(ctx, &rows, `SELECT report_id, max(seq) AS seq FROM history_stale GROUP BY report_id ORDER BY report_id`); err != nil {
		return nil, 0, err
	}
	for _, r := range rows {
		ids = append(ids, r.ReportID)
		upTo = max(upTo, r.Seq)
	}
	return ids, upTo, nil
}

// ClearStale removes the marks up to upTo, once the reports they name
// have been judged again; marks made since stay for the next judging.
func (s *Store) ClearStale(ctx context.Context, upTo int64) error {
	if upTo <= 0 {
		return nil
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM history_stale WHERE seq <= ?`, upTo)
		return err
	})
}

// ReplaceFindings replaces the findings of one report whose rule starts
// with rulePrefix ("history.") by fs, keeping the others, in one
// transaction; the extraction JSON and the severity counts follow. The
// cross-year rules use it when an earlier year arrives after a later one.
// A report no longer stored (replaced by a reprocessing) is left alone.
func (s *Store) ReplaceFindings(ctx context.Context, reportID int64, rulePrefix string, fs []pipeline.Finding) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		var blob string
		err := tx.GetContext(ctx, &blob, `SELECT extraction FROM reports WHERE id = ?`, reportID)
		if errors.Is(err, sql.ErrNoRows) {
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
		if _, err := tx.ExecContext(ctx, `DELETE FROM findings WHERE report_id = ? AND substr(rule, 1, ?) = ?`,
			reportID, len(rulePrefix), rulePrefix); err != nil {
			return err
		}
		var seq int
		if err := tx.GetContext(ctx, &seq, `SELECT coalesce(max(seq) + 1, 0) FROM findings WHERE report_id = ?`, reportID); err != nil {
			return err
		}
		if err := insertFindings(ctx, tx, reportID, seq, fs); err != nil {
			return err
		}
		out, err := json.Marshal(ext)
		if err != nil {
			return err
		}
		c := countSeverities(ext.Findings)
		_, err = tx.ExecContext(ctx, `UPDATE reports SET extraction = ?, errors = ?, warnings = ?, infos = ? WHERE id = ?`,
			string(out), c[pipeline.SeverityError], c[pipeline.SeverityWarning], c[pipeline.SeverityInfo], reportID)
		return err
	})
}

func fen(a *pipeline.Amount) any {
	if a == nil {
		return nil
	}
	return a.Fen
}

func decimalText(d *pipeline.Decimal) any {
	if d == nil {
		return nil
	}
	return d.String()
}

func scoreUnits(d *pipeline.Decimal) any {
	if d == nil {
		return nil
	}
	v, err := d.Scaled(2)
	if err != nil {
		return nil
	}
	return v
}
