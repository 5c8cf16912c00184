package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/jixiao/jixiao/internal/storelogic"
	"github.com/jixiao/jixiao/pipeline"
)

// What reviewers record is kept by report (the lineage, the id every
// version of a report shares) and, for marks, by finding key: never by the
// row of a version or a finding, which a re-extraction replaces.

// ErrNoReport is the error of a review write naming no stored report.
var ErrNoReport = storelogic.ErrNoReport

// reportOf is the report (lineage) an id names, taking the id twice: the
// report of the version with this id, else the id itself when it is a
// report whose first version is gone (a workbook read again without that
// form) while others remain; NULL when it names none.
const reportOf = `coalesce((SELECT lineage FROM reports WHERE id = ?), (SELECT min(lineage) FROM reports WHERE lineage = ?))`

// lineage is the report id of any version's id; 0 when none is stored.
func lineage(ctx context.Context, q sqlx.ExtContext, id int64) (int64, error) {
	var l int64
	err := get(ctx, q, &l, `SELECT coalesce(`+reportOf+`, 0)`, id, id)
	return l, err
}

func timeText(t time.Time) string {
	if t.IsZero() {
		t = time.Now()
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// SetMark records a mark on a finding, or removes it (Status "").
func (s *Store) SetMark(ctx context.Context, m pipeline.Mark) error {
	if err := storelogic.CheckMark(m); err != nil {
		return err
	}
	return s.d.InTx(ctx, func(tx *sqlx.Tx) error {
		id, err := lineage(ctx, tx, m.ReportID)
		if err != nil {
			return err
		}
		if id == 0 {
			return fmt.Errorf("%w: %d", ErrNoReport, m.ReportID)
		}
		if m.Status == "" {
			return exec(ctx, tx, `DELETE FROM finding_marks WHERE report_id = ? AND finding_key = ?`, id, m.Key)
		}
		return exec(ctx, tx, `INSERT INTO finding_marks (report_id, finding_key, rule, quote, status, comment, reviewer, marked_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (report_id, finding_key) DO UPDATE SET rule = excluded.rule, quote = excluded.quote,
				status = excluded.status, comment = excluded.comment, reviewer = excluded.reviewer, marked_at = excluded.marked_at`,
			id, m.Key, m.Rule, m.Quote, m.Status, m.Comment, m.Reviewer, timeText(m.At))
	})
}

type markRow struct {
	ReportID int64  `db:"report_id"`
	Key      string `db:"finding_key"`
	Rule     string `db:"rule"`
	Quote    string `db:"quote"`
	Status   string `db:"status"`
	Comment  string `db:"comment"`
	Reviewer string `db:"reviewer"`
	At       string `db:"marked_at"`
	Year     int    `db:"year"`
}

func (r markRow) mark() pipeline.Mark {
	return pipeline.Mark{ReportID: r.ReportID, Key: r.Key, Rule: r.Rule, Quote: r.Quote, Status: r.Status,
		Comment: r.Comment, Reviewer: r.Reviewer, At: parseTime(r.At)}
}

const markColumns = `m.report_id, m.finding_key, m.rule, m.quote, m.status, m.comment, m.reviewer, m.marked_at`

// Marks lists the marks of a report by finding key.
func (s *Store) Marks(ctx context.Context, reportID int64) ([]pipeline.Mark, error) {
	var rows []markRow
	if err := sel(ctx, s.db, &rows, `SELECT `+markColumns+` FROM finding_marks m
		WHERE m.report_id = `+reportOf+` ORDER BY m.finding_key`, reportID, reportID); err != nil {
		return nil, err
	}
	out := make([]pipeline.Mark, len(rows))
	for i, r := range rows {
		out[i] = r.mark()
	}
	return out, nil
}

// OfferedMarks lists the 误报 marks of the same body's earlier years on
// the findings the report raises again.
func (s *Store) OfferedMarks(ctx context.Context, reportID int64) ([]pipeline.OfferedMark, error) {
	rep, err := s.Report(ctx, reportID)
	if err != nil || rep == nil {
		return nil, err
	}
	r := rep.Extraction.Report
	series, err := s.SeriesOrganization(ctx, r.Organization)
	if err != nil || series == "" || r.Year <= 0 {
		return nil, err
	}
	var rows []markRow
	if err := sel(ctx, s.db, &rows, `SELECT `+markColumns+`, r.year FROM finding_marks m
		JOIN reports r ON r.lineage = m.report_id AND r.latest = 1
		WHERE r.series_org = ? AND r.year > 0 AND r.year < ? AND m.status = ?
		ORDER BY r.year DESC, m.marked_at DESC`, series, r.Year, pipeline.MarkFalseAlarm); err != nil {
		return nil, err
	}
	earlier := make([]pipeline.OfferedMark, len(rows))
	for i, row := range rows {
		earlier[i] = pipeline.OfferedMark{Mark: row.mark(), Year: row.Year}
	}
	return storelogic.Offered(rep.Extraction.Findings, earlier), nil
}

// SetReviewState records the status of a report.
func (s *Store) SetReviewState(ctx context.Context, st pipeline.ReviewState) error {
	if !pipeline.ValidReviewStatus(st.Status) {
		return fmt.Errorf("%w: %q", storelogic.ErrBadStatus, st.Status)
	}
	return s.d.InTx(ctx, func(tx *sqlx.Tx) error {
		id, err := lineage(ctx, tx, st.ReportID)
		if err != nil {
			return err
		}
		if id == 0 {
			return fmt.Errorf("%w: %d", ErrNoReport, st.ReportID)
		}
		return exec(ctx, tx, `INSERT INTO review_states (report_id, status, comment, reviewer, updated_at)
			VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (report_id) DO UPDATE SET status = excluded.status, comment = excluded.comment,
				reviewer = excluded.reviewer, updated_at = excluded.updated_at`,
			id, st.Status, st.Comment, st.Reviewer, timeText(st.At))
	})
}

// ReviewState is the status of a report, 待审 when none was recorded.
func (s *Store) ReviewState(ctx context.Context, reportID int64) (pipeline.ReviewState, error) {
	id, err := lineage(ctx, s.db, reportID)
	if err != nil {
		return pipeline.ReviewState{}, err
	}
	var row struct {
		Status   string `db:"status"`
		Comment  string `db:"comment"`
		Reviewer string `db:"reviewer"`
		At       string `db:"updated_at"`
	}
	err = get(ctx, s.db, &row, `SELECT status, comment, reviewer, updated_at FROM review_states WHERE report_id = ?`, id)
	if noRows(err) {
		return pipeline.ReviewState{ReportID: id, Status: pipeline.ReviewPending}, nil
	}
	if err != nil {
		return pipeline.ReviewState{}, err
	}
	return pipeline.ReviewState{ReportID: id, Status: row.Status, Comment: row.Comment, Reviewer: row.Reviewer, At: parseTime(row.At)}, nil
}

// Versions lists the versions of a report, oldest first.
func (s *Store) Versions(ctx context.Context, reportID int64) ([]pipeline.Version, error) {
	type row struct {
		documentRow
		figuresRow
		VersionID int64 `db:"version_id"`
		Lineage   int64 `db:"lineage"`
		Latest    int   `db:"latest"`
	}
	var rows []row
	if err := sel(ctx, s.db, &rows, `SELECT d.id, d.sha256, d.name, d.format, d.pages, d.size, d.extractor,
		d.extractor_version, d.status, d.error, d.ingested_at, r.id AS version_id, r.lineage, r.latest,
		r.planned_fen, r.adjusted_fen, r.executed_fen, r.execution_rate, r.score, r.grade, r.errors, r.warnings, r.infos
		FROM reports r JOIN documents d ON d.id = r.document_id
		WHERE r.lineage = `+reportOf+` ORDER BY r.id`, reportID, reportID); err != nil {
		return nil, err
	}
	out := make([]pipeline.Version, len(rows))
	for i, r := range rows {
		out[i] = pipeline.Version{ID: r.VersionID, ReportID: r.Lineage, Document: r.document(), Latest: r.Latest == 1,
			Planned: amountOf(r.Planned), Adjusted: amountOf(r.Adjusted), Executed: amountOf(r.Executed),
			ExecutionRate: parseDecimal(r.Rate), Score: parseDecimal(r.Score), Grade: r.Grade,
			Errors: r.Errors, Warnings: r.Warnings, Infos: r.Infos}
	}
	return out, nil
}
