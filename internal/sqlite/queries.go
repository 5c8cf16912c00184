package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jixiao/jixiao/internal/history"
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
	err = s.db.SelectContext(ctx, &rows, `SELECT id, year, series_org AS organization, project, planned_fen, adjusted_fen, executed_fen,
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
	err := s.db.SelectContext(ctx, &out, `SELECT text FROM problems WHERE report_id = ? ORDER BY seq`, reportID)
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
	err = s.db.SelectContext(ctx, &out, `SELECT series_org AS organization, project, count(*) AS reports,
		min(year) AS first_year, max(year) AS last_year FROM reports
		WHERE year > 0 AND (? = '' OR series_org = ?)
		GROUP BY series_org, project ORDER BY series_org, project`, series, series)
	return out, err
}

// RecurringProblems lists problems stated again in a later year by the same
// organisation and project. Empty organization or project do not filter. As
// in Trend, the latest ingested report stands for its year.
func (s *Store) RecurringProblems(ctx context.Context, organization, project string) ([]pipeline.RecurringProblem, error) {
	type row struct {
		ReportID int64          `db:"report_id"`
		Org      string         `db:"organization"`
		Project  string         `db:"project"`
		Year     int            `db:"year"`
		Text     sql.NullString `db:"text"`
	}
	series, err := s.SeriesOrganization(ctx, organization)
	if err != nil {
		return nil, err
	}
	var rows []row
	err = s.db.SelectContext(ctx, &rows, `SELECT r.id AS report_id, r.series_org AS organization, r.project, r.year, p.text
		FROM reports r LEFT JOIN problems p ON p.report_id = r.id
		WHERE r.year > 0 AND (? = '' OR r.series_org = ?) AND (? = '' OR r.project = ?)
		AND r.id = (SELECT max(id) FROM reports o WHERE o.series_org = r.series_org AND o.project = r.project AND o.year = r.year)
		ORDER BY r.series_org, r.project, r.year, r.id, p.seq`, series, series, project, project)
	if err != nil {
		return nil, err
	}
	out := []pipeline.RecurringProblem{}
	for i := 0; i < len(rows); {
		j := i
		var reports []history.YearProblems
		for ; j < len(rows) && rows[j].Org == rows[i].Org && rows[j].Project == rows[i].Project; j++ {
			r := rows[j]
			if len(reports) == 0 || reports[len(reports)-1].ReportID != r.ReportID {
				reports = append(reports, history.YearProblems{ReportID: r.ReportID, Year: r.Year})
			}
			if r.Text.Valid {
				last := &reports[len(reports)-1]
				last.Problems = append(last.Problems, r.Text.String)
			}
		}
		out = append(out, history.Recurring(rows[i].Org, rows[i].Project, reports)...)
		i = j
	}
	return out, nil
}

// Search finds reports whose text holds every word of query (words are
// separated by spaces; each must appear as written), best matches first.
func (s *Store) Search(ctx context.Context, query string, limit int) ([]pipeline.SearchHit, error) {
	match := s.matchExpr(query)
	if match == "" {
		return []pipeline.SearchHit{}, nil
	}
	if limit <= 0 {
		limit = 20
	}
	if err := s.IndexPending(ctx); err != nil {
		return nil, err
	}
	var rows []reportText
	err := s.db.SelectContext(ctx, &rows, `SELECT r.id, d.name, r.organization, r.project, r.year, r.text
		FROM report_fts f JOIN reports r ON r.id = f.rowid JOIN documents d ON d.id = r.document_id
		WHERE report_fts MATCH ? ORDER BY bm25(report_fts), r.year DESC, r.id LIMIT ?`, match, limit)
	if err != nil {
		return nil, err
	}
	out := make([]pipeline.SearchHit, 0, len(rows))
	words := strings.Fields(query)
	for _, r := range rows {
		out = append(out, pipeline.SearchHit{
			ReportID: r.ID, Name: r.Name, Organization: r.Org, Project: r.Project, Year: r.Year,
			Snippet: snippet(r.Text, words),
		})
	}
	return out, nil
}

func defaultTokens(text string) []string { return bigrams(text) }

// matchExpr turns a user's query into an FTS5 expression: every word must
// appear, each as a phrase of its tokens (so "采购程序" matches that string,
// not its characters scattered). A lone Chinese character matches as a
// prefix of the bigrams. Quotes in the input cannot inject syntax: each
// token is quoted with its quotes doubled.
func (s *Store) matchExpr(query string) string {
	var parts []string
	for _, w := range strings.Fields(query) {
		toks := s.tokens(w)
		if len(toks) == 0 {
			continue
		}
		q := make([]string, len(toks))
		for i, t := range toks {
			q[i] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
		}
		if len(toks) == 1 && utf8.RuneCountInString(toks[0]) == 1 {
			parts = append(parts, q[0]+"*")
			continue
		}
		parts = append(parts, strings.Join(q, " + "))
	}
	return strings.Join(parts, " AND ")
}

// snippet is about 60 characters of text around the first query word found,
// the word marked 【】, line breaks shown as spaces.
func snippet(text string, words []string) string {
	at, word := -1, ""
	for _, w := range words {
		if i := strings.Index(text, w); i >= 0 && (at < 0 || i < at) {
			at, word = i, w
		}
	}
	if at < 0 {
		return clipRunes(text, 0, 60)
	}
	before := []rune(text[:at])
	start := max(0, len(before)-25)
	after := []rune(text[at+len(word):])
	end := min(len(after), 35)
	pre := string(before[start:])
	if start > 0 {
		pre = "…" + pre
	}
	post := string(after[:end])
	if end < len(after) {
		post += "…"
	}
	return flatten(pre + "【" + word + "】" + post)
}

func clipRunes(s string, from, n int) string {
	r := []rune(s)
	if from > len(r) {
		return ""
	}
	r = r[from:]
	if len(r) > n {
		return flatten(string(r[:n])) + "…"
	}
	return flatten(string(r))
}

func flatten(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, s)
}
