package sqlstore

import (
	"context"
	"database/sql"

	"github.com/jixiao/jixiao/pipeline"
)

// ReportRow is one report with its headline figures, for exports.
type ReportRow struct {
	ID            int64
	Name          string
	SHA256        string
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
	IngestedAt    string
}

// ReportRows calls fn for every stored report, ordered by organisation,
// project and year, without holding them all in memory.
func (s *Store) ReportRows(ctx context.Context, fn func(ReportRow) error) error {
	rows, err := s.db.QueryxContext(ctx, s.db.Rebind(`SELECT r.id, d.name, d.sha256, r.organization, r.project, r.kind, r.year,
		r.planned_fen, r.adjusted_fen, r.executed_fen, r.execution_rate, r.score, r.grade,
		(SELECT count(*) FROM problems p WHERE p.report_id = r.id), r.errors, r.warnings, r.infos, d.ingested_at
		FROM reports r JOIN documents d ON d.id = r.document_id
		ORDER BY r.series_org, r.project, r.year, r.id`))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r ReportRow
		var planned, adjusted, executed sql.NullInt64
		var rate, score sql.NullString
		if err := rows.Scan(&r.ID, &r.Name, &r.SHA256, &r.Organization, &r.Project, &r.Kind, &r.Year,
			&planned, &adjusted, &executed, &rate, &score, &r.Grade, &r.Problems, &r.Errors, &r.Warnings, &r.Infos,
			&r.IngestedAt); err != nil {
			return err
		}
		r.Planned, r.Adjusted, r.Executed = amountOf(planned), amountOf(adjusted), amountOf(executed)
		r.ExecutionRate, r.Score = parseDecimal(rate), parseDecimal(score)
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// FindingRow is one finding of a stored report with its first evidence.
type FindingRow struct {
	ReportID     int64
	Name         string
	Organization string
	Project      string
	Year         int
	Rule         string
	Severity     string
	Message      string
	Quote        string
	Line         int
	Page         int
}

// FindingRows calls fn for every stored finding, by report then order found.
func (s *Store) FindingRows(ctx context.Context, fn func(FindingRow) error) error {
	rows, err := s.db.QueryxContext(ctx, s.db.Rebind(`SELECT r.id, d.name, r.organization, r.project, r.year,
		f.rule, f.severity, f.message, coalesce(e.quote, ''), coalesce(e.line, 0), coalesce(e.page, 0)
		FROM findings f JOIN reports r ON r.id = f.report_id JOIN documents d ON d.id = r.document_id
		LEFT JOIN evidence e ON e.finding_id = f.id AND e.seq = 0
		ORDER BY r.series_org, r.project, r.year, r.id, f.seq`))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var f FindingRow
		if err := rows.Scan(&f.ReportID, &f.Name, &f.Organization, &f.Project, &f.Year, &f.Rule, &f.Severity,
			&f.Message, &f.Quote, &f.Line, &f.Page); err != nil {
			return err
		}
		if err := fn(f); err != nil {
			return err
		}
	}
	return rows.Err()
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
