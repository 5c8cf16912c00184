package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/jixiao/jixiao/internal/report"
	"github.com/jixiao/jixiao/pipeline"
)

// The organisation page sets two years of a body side by side, series by
// series (a project, or the department's own reports): the figures, the
// indicator table, the problems stated and the findings, each row marked
// when the years differ.

type compareView struct {
	Years  []int // the body's years, for the choice
	A, B   int
	Series []compareSeries
}

type compareSeries struct {
	Project    string
	AURL, BURL string // "" for a year without a report
	Figures    []compareRow
	Indicators []compareRow
	Findings   []compareRow
	ProblemsA  []string
	ProblemsB  []string
}

type compareRow struct {
	Label   string
	A, B    string
	Changed bool
}

func row(label, a, b string) compareRow { return compareRow{label, a, b, a != b} }

// compareYears reads the years to compare (a, b; the last two by default)
// and the reports of each.
func (s *Server) compareYears(r *http.Request, reports []pipeline.ReportSummary) (*compareView, error) {
	cv := &compareView{}
	for _, rep := range reports {
		if rep.Year > 0 && !slices.Contains(cv.Years, rep.Year) {
			cv.Years = append(cv.Years, rep.Year)
		}
	}
	slices.Sort(cv.Years)
	if len(cv.Years) < 2 {
		return nil, nil
	}
	cv.A, cv.B = cv.Years[len(cv.Years)-2], cv.Years[len(cv.Years)-1]
	q := r.URL.Query()
	if y, err := strconv.Atoi(q.Get("a")); err == nil && slices.Contains(cv.Years, y) {
		cv.A = y
	}
	if y, err := strconv.Atoi(q.Get("b")); err == nil && slices.Contains(cv.Years, y) {
		cv.B = y
	}
	byProject := map[string][2]*pipeline.ReportSummary{}
	var projects []string
	for i := range reports {
		rep := &reports[i]
		side := -1
		switch rep.Year {
		case cv.A:
			side = 0
		case cv.B:
			side = 1
		}
		if side < 0 {
			continue
		}
		pair, seen := byProject[rep.Project]
		if !seen {
			projects = append(projects, rep.Project)
		}
		pair[side] = rep
		byProject[rep.Project] = pair
	}
	slices.Sort(projects)
	for _, p := range projects {
		pair := byProject[p]
		var exts [2]*pipeline.Extraction
		cs := compareSeries{Project: p}
		for side, sum := range pair {
			if sum == nil {
				continue
			}
			rep, err := s.store.Report(r.Context(), sum.ID)
			if err != nil {
				return nil, err
			}
			if rep != nil {
				exts[side] = rep.Extraction
				if side == 0 {
					cs.AURL = reportURL(sum.ID)
				} else {
					cs.BURL = reportURL(sum.ID)
				}
			}
		}
		cs.fill(exts)
		cv.Series = append(cv.Series, cs)
	}
	return cv, nil
}

// fill lays the two extractions side by side; either may be nil.
func (cs *compareSeries) fill(exts [2]*pipeline.Extraction) {
	var reps [2]*pipeline.Report
	for i, e := range exts {
		if e != nil {
			reps[i] = &e.Report
		}
	}
	get := func(f func(*pipeline.Report) string) (string, string) {
		out := [2]string{"无报告", "无报告"}
		for i, r := range reps {
			if r != nil {
				out[i] = f(r)
			}
		}
		return out[0], out[1]
	}
	for _, fig := range []struct {
		label string
		f     func(*pipeline.Report) string
	}{
		{"年初预算", func(r *pipeline.Report) string { return report.Amount(r.Budget.Planned) }},
		{"全年预算", func(r *pipeline.Report) string { return report.Amount(r.Budget.Adjusted) }},
		{"全年执行", func(r *pipeline.Report) string { return report.Amount(r.Budget.Executed) }},
		{"预算执行率", func(r *pipeline.Report) string { return report.Percent(r.Budget.ExecutionRate) }},
		{"自评得分", func(r *pipeline.Report) string { return report.Decimal(r.Score) }},
		{"等级", func(r *pipeline.Report) string { return report.OrDash(r.Grade) }},
		{"问题数", func(r *pipeline.Report) string { return strconv.Itoa(len(r.Problems)) }},
		{"指标数", func(r *pipeline.Report) string { return strconv.Itoa(len(r.Indicators)) }},
	} {
		a, b := get(fig.f)
		cs.Figures = append(cs.Figures, row(fig.label, a, b))
	}
	// Indicators by their name, in the order they first appear.
	var names []string
	values := map[string][2]string{}
	for i, r := range reps {
		if r == nil {
			continue
		}
		for _, in := range r.Indicators {
			name := indicatorName(in)
			v, seen := values[name]
			if !seen {
				names = append(names, name)
			}
			v[i] = in.Target + " → " + report.OrDash(in.Actual) + "（" + report.Decimal(in.Score) + "/" + report.Decimal(in.Weight) + " 分）"
			values[name] = v
		}
	}
	for _, n := range names {
		v := values[n]
		cs.Indicators = append(cs.Indicators, row(n, orNone(v[0]), orNone(v[1])))
	}
	// Findings by rule: how many each year.
	var rules []string
	counts := map[string][2]int{}
	for i, e := range exts {
		if e == nil {
			continue
		}
		for _, f := range e.Findings {
			c, seen := counts[f.Rule]
			if !seen {
				rules = append(rules, f.Rule)
			}
			c[i]++
			counts[f.Rule] = c
		}
	}
	slices.SortFunc(rules, func(a, b string) int { return strings.Compare(report.RuleName(a), report.RuleName(b)) })
	for _, rule := range rules {
		c := counts[rule]
		cs.Findings = append(cs.Findings, row(report.RuleName(rule), strconv.Itoa(c[0]), strconv.Itoa(c[1])))
	}
	if reps[0] != nil {
		cs.ProblemsA = reps[0].Problems
	}
	if reps[1] != nil {
		cs.ProblemsB = reps[1].Problems
	}
}

func indicatorName(in pipeline.Indicator) string {
	for _, n := range []string{in.Level3, in.Level2, in.Level1} {
		if strings.TrimSpace(n) != "" {
			return n
		}
	}
	return report.Dash
}

func orNone(s string) string {
	if s == "" {
		return "（无此指标）"
	}
	return s
}
