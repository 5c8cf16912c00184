package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/jixiao/jixiao/pipeline"
)

// ReportRow is one report with its headline figures, for exports.
type ReportRow struct {
	ID            int64
	Name          string
	SHA256        string
	Sheet         string // the report's place in a workbook of several
	Form          int
	Organization  string
	Project       string
	Kind          string
	Year          int
	Planned       *pipeline.Amount
	Adjusted      *pipeline.Amount
	Executed      *pipeline.Amount
	ExecutionRate *pipeline.Decimal
	Score         *pipeline.Decimal
	Grade         string
	Problems      int
	Errors        int
	Warnings      int
	Infos         int
	IngestedAt    time.Time
	Versions      int
	// The review: status (pipeline.ReviewPending when none), who set it,
	// when (zero when never) and the comment.
	Status        string
	Reviewer      string
	ReviewedAt    time.Time
	ReviewComment string
}

// ReportRows calls fn for every stored report, ordered by organisation,
// project and year, without holding them all in memory.
func (s *Store) ReportRows(ctx context.Context, fn func(ReportRow) error) error {
	rows, err := s.db.QueryxContext(ctx, s.db.Rebind(`SELECT r.lineage, d.name, d.sha256, r.sheet, r.form, r.organization, r.project, r.kind, r.year,
		r.planned_fen, r.adjusted_fen, r.executed_fen, r.execution_rate, r.score, r.grade,
		(SELECT count(*) FROM problems p WHERE p.report_id = r.id), r.errors, r.warnings, r.infos, d.ingested_at,
		`+versionsExpr+`, coalesce(st.status, 'pending'), coalesce(st.reviewer, ''), coalesce(st.updated_at, ''), coalesce(st.comment, '')
		FROM reports r JOIN documents d ON d.id = r.document_id LEFT JOIN review_states st ON st.report_id = r.lineage
		WHERE r.latest = 1
		ORDER BY r.series_org, r.project, r.year, r.id`))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r ReportRow
		var planned, adjusted, executed sql.NullInt64
		var rate, score sql.NullString
		var ingested, reviewed string
		if err := rows.Scan(&r.ID, &r.Name, &r.SHA256, &r.Sheet, &r.Form, &r.Organization, &r.Project, &r.Kind, &r.Year,
			&planned, &adjusted, &executed, &rate, &score, &r.Grade, &r.Problems, &r.Errors, &r.Warnings, &r.Infos,
			&ingested, &r.Versions, &r.Status, &r.Reviewer, &reviewed, &r.ReviewComment); err != nil {
			return err
		}
		r.IngestedAt, r.ReviewedAt = parseTime(ingested), parseTime(reviewed)
		r.Planned, r.Adjusted, r.Executed = amountOf(planned), amountOf(adjusted), amountOf(executed)
		r.ExecutionRate, r.Score = parseDecimal(rate), parseDecimal(score)
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// FindingRow is one finding of a stored report (its latest version) with
// its evidence, and the reviewer's mark of it (nil when none).
type FindingRow struct {
	ReportID     int64
	Name         string
	Organization string
	Project      string
	Year         int
	pipeline.Finding
	Mark *pipeline.Mark
}

// FindingRows calls fn for every finding of every report's latest
// version, by report then most serious first, each with its mark.
func (s *Store) FindingRows(ctx context.Context, fn func(FindingRow) error) error {
	marks, err := s.allMarks(ctx)
	if err != nil {
		return err
	}
	rows, err := s.db.QueryxContext(ctx, s.db.Rebind(`SELECT f.id, r.lineage, d.name, r.organization, r.project, r.year,
		f.rule, f.severity, f.message, coalesce(e.quote, ''), coalesce(e.line, 0), coalesce(e.page, 0), e.seq IS NOT NULL
		FROM findings f JOIN reports r ON r.id = f.report_id JOIN documents d ON d.id = r.document_id
		LEFT JOIN evidence e ON e.finding_id = f.id WHERE r.latest = 1
		ORDER BY r.series_org, r.project, r.year, r.id,
			CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 WHEN 'info' THEN 2 ELSE 3 END, f.seq, e.seq`))
	if err != nil {
		return err
	}
	defer rows.Close()
	// A finding's rows (one per quote) come together: it is handed on when
	// the next finding starts.
	var cur *FindingRow
	var curID int64
	flush := func() error {
		if cur == nil {
			return nil
		}
		if m, ok := marks[cur.ReportID][pipeline.FindingKey(cur.Finding)]; ok {
			cur.Mark = &m
		}
		return fn(*cur)
	}
	for rows.Next() {
		var f FindingRow
		var id int64
		var e pipeline.Evidence
		var hasEvidence bool
		if err := rows.Scan(&id, &f.ReportID, &f.Name, &f.Organization, &f.Project, &f.Year, &f.Rule, &f.Severity,
			&f.Message, &e.Quote, &e.Line, &e.Page, &hasEvidence); err != nil {
			return err
		}
		if cur == nil || id != curID {
			if err := flush(); err != nil {
				return err
			}
			f.Evidence = []pipeline.Evidence{}
			cur, curID = &f, id
		}
		if hasEvidence {
			cur.Evidence = append(cur.Evidence, e)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return flush()
}

// allMarks is every mark, by report and finding key: a store holds far
// fewer marks than findings.
func (s *Store) allMarks(ctx context.Context) (map[int64]map[string]pipeline.Mark, error) {
	var rows []markRow
	if err := sel(ctx, s.db, &rows, `SELECT `+markColumns+` FROM finding_marks m`); err != nil {
		return nil, err
	}
	out := map[int64]map[string]pipeline.Mark{}
	for _, r := range rows {
		if out[r.ReportID] == nil {
			out[r.ReportID] = map[string]pipeline.Mark{}
		}
		out[r.ReportID][r.Key] = r.mark()
	}
	return out, nil
}

// Failures returns the documents that could not be read, oldest first.
func (s *Store) Failures(ctx context.Context) ([]pipeline.Document, error) {
	docs, err := s.Documents(ctx)
	if err != nil {
		return nil, err
	}
	out := []pipeline.Document{}
	for _, d := range docs {
		if d.Status == pipeline.StatusFailed {
			out = append(out, d)
		}
	}
	return out, nil
}
