package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/jixiao/jixiao/internal/storelogic"
	"github.com/jixiao/jixiao/pipeline"
)

// SaveReport stores a document of one report (see SaveReports).
func (s *Store) SaveReport(ctx context.Context, doc pipeline.Document, original []byte, ext *pipeline.Extraction) (int64, error) {
	return storelogic.SaveOne(ctx, s, doc, original, ext)
}

// SaveReports stores a read document, its original bytes and the
// extractions of its reports in one transaction, replacing the document's
// earlier reports.
func (s *Store) SaveReports(ctx context.Context, doc pipeline.Document, original []byte, exts []*pipeline.Extraction) ([]int64, error) {
	return s.SaveReportsJudged(ctx, doc, original, exts, nil)
}

// SaveReportsJudged is SaveReports that calls judge (when not nil) on each
// report inside the transaction, once the organisations' names are locked
// and before the extractions are written: the cross-year rules then see
// every earlier year any writer has saved, and no other can save one
// before this commits.
func (s *Store) SaveReportsJudged(ctx context.Context, doc pipeline.Document, original []byte, exts []*pipeline.Extraction,
	judge func(context.Context, *pipeline.Extraction) error) ([]int64, error) {
	if err := storelogic.CheckReports(exts); err != nil {
		return nil, fmt.Errorf("%s: save: %w", doc.Name, err)
	}
	doc.Status, doc.Error = pipeline.StatusIngested, ""
	if err := CheckSum(doc.SHA256, original); err != nil {
		return nil, fmt.Errorf("%s: keep original: %w", doc.Name, err)
	}
	orgs := make([]string, len(exts))
	for i, ext := range exts {
		orgs[i] = ext.Report.Organization
	}
	var ids []int64
	err := s.d.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.d.LockNames(ctx, tx, storelogic.LockNames(orgs...)); err != nil {
			return err
		}
		if judge != nil {
			for _, ext := range exts {
				if err := judge(ctx, ext); err != nil {
					return err
				}
			}
		}
		var err error
		ids, err = s.saveReports(ctx, tx, doc, original, exts)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%s: save: %w", doc.Name, err)
	}
	if err := s.d.Saved(ctx, len(exts)); err != nil {
		return ids, fmt.Errorf("%s: saved, but the full-text index failed: %w", doc.Name, err)
	}
	return ids, nil
}

// saveReports is SaveReports' transaction, the organisations' names locked
// (so that two writers filing reports into one series take turns, and the
// later years each save marks stale are all seen). The later years are
// marked once every report is written: a workbook holding two years of one
// series judged each without the other.
func (s *Store) saveReports(ctx context.Context, tx *sqlx.Tx, doc pipeline.Document, original []byte, exts []*pipeline.Extraction) ([]int64, error) {
	if err := s.d.KeepOriginal(ctx, tx, doc.SHA256, original); err != nil {
		return nil, fmt.Errorf("keep original: %w", err)
	}
	docID, err := upsertDocument(ctx, tx, doc)
	if err != nil {
		return nil, err
	}
	old, err := s.deleteReportsOf(ctx, tx, docID)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(exts))
	saved := make([]version, len(exts))
	for i, ext := range exts {
		at := storelogic.PlaceOf(ext)
		if saved[i], err = s.saveVersion(ctx, tx, docID, old[at], ext); err != nil {
			return nil, err
		}
		delete(old, at)
		ids[i] = saved[i].lineage
	}
	for _, gone := range old { // reports the document no longer holds
		if err := setLatest(ctx, tx, gone.Lineage); err != nil {
			return nil, err
		}
	}
	for _, v := range saved {
		if err := markLaterYearsStale(ctx, tx, v.series, v.id, v.year); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// version is a report version as saved: its id, its report's, and the
// series and year its later years are found by.
type version struct {
	id, lineage int64
	series      string
	year        int
}

// saveVersion writes one report of a document, in place of the version
// old (zero for none) it replaces.
func (s *Store) saveVersion(ctx context.Context, tx *sqlx.Tx, docID int64, old replaced, ext *pipeline.Extraction) (version, error) {
	blob, err := json.Marshal(ext)
	if err != nil {
		return version{}, err
	}
	org := ext.Report.Organization
	series, err := resolveOrg(ctx, tx, org)
	if err != nil {
		return version{}, err
	}
	lineage, err := lineageOf(ctx, tx, series, &ext.Report)
	if err != nil {
		return version{}, err
	}
	id, err := insertReport(ctx, tx, old.ID, docID, series, lineage, ext, string(blob))
	if err != nil {
		return version{}, err
	}
	if lineage == 0 {
		lineage = id
	}
	if err := refreshLatest(ctx, tx, lineage, id, old.Lineage); err != nil {
		return version{}, err
	}
	if err := s.insertRows(ctx, tx, id, &ext.Report); err != nil {
		return version{}, err
	}
	if err := s.insertFindings(ctx, tx, id, 0, ext.Findings); err != nil {
		return version{}, err
	}
	v := version{id: id, lineage: lineage, series: series, year: ext.Report.Year}
	return v, s.d.IndexReport(ctx, tx, id, org, ext.Report.Project, ext.Text)
}

// lineageOf is the id of the stored report the extraction is a version of:
// the same series, project, kind and year; 0 when there is none, or when
// the report cannot be told apart from another (no organisation or year,
// a project report without its project's name).
func lineageOf(ctx context.Context, tx *sqlx.Tx, series string, r *pipeline.Report) (int64, error) {
	if series == "" || r.Year <= 0 || r.Project == "" && r.Kind == pipeline.KindProject {
		return 0, nil
	}
	var lineage int64
	err := get(ctx, tx, &lineage, `SELECT coalesce(min(lineage), 0) FROM reports
		WHERE series_org = ? AND project = ? AND kind = ? AND year = ?`, series, r.Project, r.Kind, r.Year)
	return lineage, err
}

// refreshLatest files version id under report lineage, and sets the
// version that stands for it (and, when the version moved from another
// report, for that one).
func refreshLatest(ctx context.Context, tx *sqlx.Tx, lineage, id, oldLineage int64) error {
	if err := exec(ctx, tx, `UPDATE reports SET lineage = ? WHERE id = ?`, lineage, id); err != nil {
		return err
	}
	if err := setLatest(ctx, tx, lineage); err != nil || oldLineage == lineage {
		return err
	}
	return setLatest(ctx, tx, oldLineage)
}

// setLatest marks the version that stands for report lineage: the last
// saved, the one of the highest id.
func setLatest(ctx context.Context, tx *sqlx.Tx, lineage int64) error {
	if lineage == 0 {
		return nil
	}
	return exec(ctx, tx, `UPDATE reports SET latest = CASE WHEN id = (SELECT max(o.id) FROM reports o WHERE o.lineage = ?) THEN 1 ELSE 0 END
		WHERE lineage = ?`, lineage, lineage)
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

// DropFailedOriginals drops the original bytes of the failures recorded
// before before, one document per transaction; their rows stay. A failure
// read again since (its status no longer failed) keeps its bytes.
func (s *Store) DropFailedOriginals(ctx context.Context, before time.Time) (int, error) {
	const old = `SELECT sha256 FROM documents WHERE status = ? AND ingested_at < ?`
	var sums []string
	if err := sel(ctx, s.db, &sums, old, pipeline.StatusFailed, before.UTC().Format(time.RFC3339Nano)); err != nil {
		return 0, fmt.Errorf("drop failed originals: %w", err)
	}
	n := 0
	for _, sum := range sums {
		err := s.d.InTx(ctx, func(tx *sqlx.Tx) error {
			var still int
			if err := get(ctx, tx, &still, `SELECT count(*) FROM documents WHERE sha256 = ? AND status = ?`, sum, pipeline.StatusFailed); err != nil || still == 0 {
				return err
			}
			dropped, err := s.d.DropOriginal(ctx, tx, sum)
			if dropped {
				n++
			}
			return err
		})
		if err != nil {
			return n, fmt.Errorf("drop original of failed %s: %w", sum, err)
		}
	}
	return n, nil
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

// replaced is a version a re-extraction of its document replaces.
type replaced struct {
	ID      int64 `db:"id"`
	Lineage int64 `db:"lineage"`
	storelogic.Place
}

// deleteReportsOf deletes the versions of a document read again, and
// returns their ids by place, for the new extractions to keep (none for a
// new document).
func (s *Store) deleteReportsOf(ctx context.Context, tx *sqlx.Tx, docID int64) (map[storelogic.Place]replaced, error) {
	var old []replaced
	if err := sel(ctx, tx, &old, `SELECT id, lineage, sheet, form FROM reports WHERE document_id = ?`, docID); err != nil || len(old) == 0 {
		return nil, err // a new document, the usual case, has nothing to delete
	}
	if err := s.d.UnindexDocument(ctx, tx, docID); err != nil {
		return nil, err
	}
	byPlace := make(map[storelogic.Place]replaced, len(old))
	for _, o := range old {
		byPlace[o.Place] = o
	}
	return byPlace, exec(ctx, tx, `DELETE FROM reports WHERE document_id = ?`, docID)
}

// insertReport inserts a version: under id when it replaces one (so that
// a report's id never changes), else under a new id; lineage 0 makes it a
// report of its own, set by refreshLatest.
func insertReport(ctx context.Context, tx *sqlx.Tx, id, docID int64, series string, lineage int64, ext *pipeline.Extraction, blob string) (int64, error) {
	r := &ext.Report
	counts := countSeverities(ext.Findings)
	cols, marks := "", ""
	args := []any{docID, ext.Source.Sheet, ext.Source.Form, r.Organization, r.Project, r.Kind, r.Year,
		fen(r.Budget.Planned), fen(r.Budget.Adjusted), fen(r.Budget.Executed),
		decimalText(r.Budget.ExecutionRate), decimalText(r.Score), scoreUnits(r.Score), r.Grade,
		counts[pipeline.SeverityError], counts[pipeline.SeverityWarning], counts[pipeline.SeverityInfo],
		blob, ext.Text, positionsText(ext.Positions), series, lineage}
	if id != 0 {
		cols, marks = "id, ", "?, "
		args = append([]any{id}, args...)
	}
	err := get(ctx, tx, &id, `INSERT INTO reports (`+cols+`document_id, sheet, form, organization, project, kind, year,
		planned_fen, adjusted_fen, executed_fen, execution_rate, score, score_units, grade,
		errors, warnings, infos, extraction, text, positions, series_org, lineage)
		VALUES (`+marks+`?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, args...)
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
