package storelogic

import (
	"github.com/jixiao/jixiao/internal/history"
	"github.com/jixiao/jixiao/pipeline"
)

// ProblemRow is one problem of one report as a store lists them for
// RecurringProblems: ordered by series, project, year, report and problem;
// a report stating no problem is one row with HasText false.
type ProblemRow struct {
	ReportID int64  `db:"report_id"`
	Org      string `db:"organization"`
	Project  string `db:"project"`
	Year     int    `db:"year"`
	Text     string `db:"text"`
	HasText  bool   `db:"has_text"`
}

// Recurring follows the problems of each organisation-and-project series
// of rows through the years (see history.Recurring).
func Recurring(rows []ProblemRow) []pipeline.RecurringProblem {
	out := []pipeline.RecurringProblem{}
	for i := 0; i < len(rows); {
		j := i
		var reports []history.YearProblems
		for ; j < len(rows) && rows[j].Org == rows[i].Org && rows[j].Project == rows[i].Project; j++ {
			r := rows[j]
			if len(reports) == 0 || reports[len(reports)-1].ReportID != r.ReportID {
				reports = append(reports, history.YearProblems{ReportID: r.ReportID, Year: r.Year})
			}
			if r.HasText {
				last := &reports[len(reports)-1]
				last.Problems = append(last.Problems, r.Text)
			}
		}
		out = append(out, history.Recurring(rows[i].Org, rows[i].Project, reports)...)
		i = j
	}
	return out
}
