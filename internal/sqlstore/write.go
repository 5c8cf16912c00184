package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/jixiao/jixiao/internal/storelogic"
	"github.com/jixiao/jixiao/pipeline"
)

// SaveReport stores a read document, its original bytes and its extraction
// in one transaction, replacing an earlier extraction of the same document.
func (s *Store) SaveReport(ctx context.Context, doc pipeline.Document, original []byte, ext *pipeline.Extraction) (int64, error) {
	return s.SaveReportJudged(ctx, doc, original, ext, nil)
}

// SaveReportJudged is SaveReport that calls judge (when not nil) inside the
// transaction, once the organisation's names are locked and before the
// extraction is written: the cross-year rules then see every earlier year
// any writer has saved, and no other can save one before this commits.
func (s *Store) SaveReportJudged(ctx context.Context, doc pipeline.Document, original []byte, ext *pipeline.Extraction,
	judge func(context.Context, *pipeline.Extraction) error) (int64, error) {
	if ext == nil {
		return 0, errors.New("save report: nil extraction")
	}
	doc.Status, doc.Error = pipeline.StatusIngested, ""
	if err := CheckSum(doc.SHA256, original); err != nil {
		return 0, fmt.Errorf("%s: keep original: %w", doc.Name, err)
	}
	var reportID int64
	err := s.d.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.d.LockNames(ctx, tx, storelogic.LockNames(ext.Report.Organization)); err != nil {
			return err
		}
		if judge != nil {
			if err := judge(ctx, ext); err != nil {
				return err
			}
		}
		var err error
		reportID, err = s.saveReport(ctx, tx, doc, original, ext)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("%s: save: %w", doc.Name, err)
	}
	if err := s.d.Saved(ctx); err != nil {
		return reportID, fmt.Errorf("%s: saved, but the full-text index failed: %w", doc.Name, err)
	}
	return reportID, nil
}

// saveReport is SaveReport's transaction, the organisation's names locked
// (so that two writers filing reports into one series take turns, and the
// later years each save marks stale are all seen).
func (s *Store) saveReport(ctx context.Context, tx *sqlx.Tx, doc pipeline.Document, original []byte, ext *pipeline.Extraction) (int64, error) {
	blob, err := json.Marshal(ext)
	if err != nil {
		return 0, err
	}
	org := ext.Report.Organization
	if err := s.d.KeepOriginal(ctx, tx, doc.SHA256, original); err != nil {
		return 0, fmt.Errorf("keep original: %w", err)
	}
	docID, err := upsertDocument(ctx, tx, doc)
	if err != nil {
		return 0, err
	}
	if err := s.deleteReportOf(ctx, tx, docID); err != nil {
		return 0, err
	}
	series, err := resolveOrg(ctx, tx, org)
	if err != nil {
		return 0, err
	}
	id, err := insertReport(ctx, tx, docID, series, ext, string(blob))
	if err != nil {
		return 0, err
	}
	if err := markLaterYearsStale(ctx, tx, series, id, ext.Report.Year); err != nil {
		return 0, err
	}
	if err := s.insertRows(ctx, tx, id, &ext.Report); err != nil {
		return 0, err
	}
	if err := s.insertFindings(ctx, tx, id, 0, ext.Findings); err != nil {
		return 0, err
	}
	return id, s.d.IndexReport(ctx, tx, id, org, ext.Report.Project, ext.Text)
}

// SaveFailure records a document that could not be read, with its original
// bytes and the reason. A failure never replaces a stored report.
func (s *Store) SaveFailure(ctx context.Context, doc pipeline.Document, original []byte, reason string) error {
	doc.Status, doc.Error = pipeline.StatusFailed, reason
	if err := CheckSum(doc.SHA256, original); err != nil {
		return fmt.Errorf("%s: keep original: %w", doc.Name, err)
	}
	err := s.d.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.d.KeepOriginal(ctx, tx, doc.SHA256, original); err != nil {
			return fmt.Errorf("keep original: %w", err)
		}
		var n int
		if err := get(ctx, tx, &n, `SELECT count(*) FROM reports JOIN documents d ON d.id = document_id WHERE d.sha256 = ?`, doc.SHA256); err != nil {
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
	err := get(ctx, tx, &id, `INSERT INTO documents (sha256, name, format, pages, size, extractor, extractor_version, status, error, ingested_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (sha256) DO UPDATE SET name = excluded.name, format = excluded.format, pages = excluded.pages,
			size = excluded.size, extractor = excluded.extractor, extractor_version = excluded.extractor_version,
			status = excluded.status, error = excluded.error, ingested_at = excluded.ingested_at
		RETURNING id`,
		d.SHA256, d.Name, d.Format, d.Pages, d.Size, d.Extractor, d.ExtractorVersion, d.Status, d.Error,
		d.IngestedAt.UTC().Format(time.RFC3339Nano))
	return id, err
}

func (s *Store) deleteReportOf(ctx context.Context, tx *sqlx.Tx, docID int64) error {
	var ids []int64
	if err := sel(ctx, tx, &ids, `SELECT id FROM reports WHERE document_id = ?`, docID); err != nil || len(ids) == 0 {
		return err // a new document, the usual case, has nothing to delete
	}
	if err := s.d.UnindexDocument(ctx, tx, docID); err != nil {
		return err
	}
	return exec(ctx, tx, `DELETE FROM reports WHERE document_id = ?`, docID)
}

func insertReport(ctx context.Context, tx *sqlx.Tx, docID int64, series string, ext *pipeline.Extraction, blob string) (int64, error) {
	r := &ext.Report
	counts := countSeverities(ext.Findings)
	var id int64
	err := get(ctx, tx, &id, `INSERT INTO reports (document_id, organization, project, kind, year,
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
func (s *Store) insertRows(ctx context.Context, tx *sqlx.Tx, id int64, r *pipeline.Report) error {
	items := newBulk("line_items", "report_id", "seq", "purpose", "fen", "quote", "page", "line", "pos")
	for i, li := range r.LineItems {
		e := li.Evidence
		items.add(id, i, li.Purpose, li.Amount.Fen, e.Quote, e.Page, e.Line, e.Offset)
	}
	breakdownIDs, err := s.d.NextIDs(ctx, tx, "breakdowns", len(r.Breakdowns))
	if err != nil {
		return err
	}
	breakdowns := newBulk("breakdowns", "id", "report_id", "seq", "total_fen", "total_quote", "quote", "page", "line", "pos")
	parts := newBulk("breakdown_items", "breakdown_id", "seq", "label", "fen", "item_quote", "quote", "page", "line", "pos")
	for i, b := range r.Breakdowns {
		e := b.Evidence
		bid := breakdownIDs[i]
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
// first at seq. The ids are taken beforehand so evidence rows can name
// their finding in the same multi-row insert.
func (s *Store) insertFindings(ctx context.Context, tx *sqlx.Tx, id int64, seq int, fs []pipeline.Finding) error {
	if len(fs) == 0 {
		return nil
	}
	ids, err := s.d.NextIDs(ctx, tx, "findings", len(fs))
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
		findings.add(ids[i], id, seq+i, f.Rule, f.Severity, f.Message, string(vals))
		for j, e := range f.Evidence {
			evidence.add(ids[i], j, e.Quote, e.Page, e.Line, e.Offset)
		}
	}
	if err := findings.exec(ctx, tx); err != nil {
		return err
	}
	return evidence.exec(ctx, tx)
}

// NextIDsAfterMax is NextIDs for a database with one writer at a time: the
// ids after the table's largest, valid inside a write transaction.
func NextIDsAfterMax(ctx context.Context, tx *sqlx.Tx, table string, n int) ([]int64, error) {
	if n == 0 {
		return nil, nil
	}
	var first int64
	if err := get(ctx, tx, &first, `SELECT coalesce(max(id), 0) + 1 FROM `+table); err != nil {
		return nil, err
	}
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = first + int64(i)
	}
	return ids, nil
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
		if err := exec(ctx, tx, q, b.args[start*n:(start+count)*n]...); err != nil {
			return fmt.Errorf("%s: %w", b.table, err)
		}
	}
	return nil
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
