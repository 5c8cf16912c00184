package sqlstore

import (
	"context"
	"database/sql"

	"github.com/jixiao/jixiao/internal/storelogic"
	"github.com/jixiao/jixiao/pipeline"
)

// Trend returns the year-by-year series of one organisation and project,
// oldest first; project "" is the organisation's department-wide reports.
// When a year has several reports the latest ingested one stands for it.
func (s *Store) Trend(ctx context.Context, organization, project string) ([]pipeline.TrendPoint, error) {
	type row struct {
		ID       int64          `db:"id"`
		Year     int            `db:"year"`
		Org      string         `db:"organization"`
		Project  string         `db:"project"`
		Planned  sql.NullInt64  `db:"planned_fen"`
		Adjusted sql.NullInt64  `db:"adjusted_fen"`
		Executed sql.NullInt64  `db:"executed_fen"`
		Rate     sql.NullString `db:"execution_rate"`
		Score    sql.NullString `db:"score"`
		Grade    string         `db:"grade"`
		Errors   int            `db:"errors"`
		Warnings int            `db:"warnings"`
		Infos    int            `db:"infos"`
	}
	series, err := s.SeriesOrganization(ctx, organization)
	if err != nil {
		return nil, err
	}
	var rows []row
	err = sel(ctx, s.db, &rows, `SELECT id, year, series_org AS organization, project, planned_fen, adjusted_fen, executed_fen,
		execution_rate, score, grade, errors, warnings, infos
		FROM reports r WHERE series_org = ? AND project = ? AND year > 0
		AND id = (SELECT max(id) FROM reports o WHERE o.series_org = r.series_org AND o.project = r.project AND o.year = r.year)
		ORDER BY year`, series, project)
	if err != nil {
		return nil, err
	}
	out := make([]pipeline.TrendPoint, 0, len(rows))
	for _, r := range rows {
		probs, err := s.problems(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, pipeline.TrendPoint{
			ReportID: r.ID, Year: r.Year, Organization: r.Org, Project: r.Project,
			Planned: amountOf(r.Planned), Adjusted: amountOf(r.Adjusted), Executed: amountOf(r.Executed),
			ExecutionRate: parseDecimal(r.Rate), Score: parseDecimal(r.Score), Grade: r.Grade,
			Problems: probs,
			Findings: map[string]int{
				pipeline.SeverityError: r.Errors, pipeline.SeverityWarning: r.Warnings, pipeline.SeverityInfo: r.Infos,
			},
		})
	}
	return out, nil
}

func (s *Store) problems(ctx context.Context, reportID int64) ([]string, error) {
	out := []string{}
	err := sel(ctx, s.db, &out, `SELECT text FROM problems WHERE report_id = ? ORDER BY seq`, reportID)
	return out, err
}

// Series is one organisation-and-project pair the store holds reports of.
type Series struct {
	Organization string `db:"organization" json:"organization"`
	Project      string `db:"project" json:"project"`
	Reports      int    `db:"reports" json:"reports"`
	FirstYear    int    `db:"first_year" json:"first_year"`
	LastYear     int    `db:"last_year" json:"last_year"`
}

// Series lists the organisation-and-project pairs; organization "" lists
// every organisation's.
func (s *Store) Series(ctx context.Context, organization string) ([]Series, error) {
	series, err := s.SeriesOrganization(ctx, organization)
	if err != nil {
		return nil, err
	}
	out := []Series{}
	err = sel(ctx, s.db, &out, `SELECT series_org AS organization, project, count(*) AS reports,
		min(year) AS first_year, max(year) AS last_year FROM reports
		WHERE year > 0 AND (? = '' OR series_org = ?)
		GROUP BY series_org, project ORDER BY series_org, project`, series, series)
	return out, err
}

// RecurringProblems lists problems stated again in a later year by the same
// organisation and project. Empty organization or project do not filter. As
// in Trend, the latest ingested report stands for its year.
func (s *Store) RecurringProblems(ctx context.Context, organization, project string) ([]pipeline.RecurringProblem, error) {
	series, err := s.SeriesOrganization(ctx, organization)
	if err != nil {
		return nil, err
	}
	var rows []storelogic.ProblemRow
	err = sel(ctx, s.db, &rows, `SELECT r.id AS report_id, r.series_org AS organization, r.project, r.year,
		coalesce(p.text, '') AS text, p.text IS NOT NULL AS has_text
		FROM reports r LEFT JOIN problems p ON p.report_id = r.id
		WHERE r.year > 0 AND (? = '' OR r.series_org = ?) AND (? = '' OR r.project = ?)
		AND r.id = (SELECT max(id) FROM reports o WHERE o.series_org = r.series_org AND o.project = r.project AND o.year = r.year)
		ORDER BY r.series_org, r.project, r.year, r.id, p.seq`, series, series, project, project)
	if err != nil {
		return nil, err
	}
	return storelogic.Recurring(rows), nil
}
