package web

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/jixiao/jixiao/internal/storelogic"
	"github.com/jixiao/jixiao/pipeline"
)

// ruleCopiedPassage is the cross-year rule whose findings the organisation
// page gathers.
const ruleCopiedPassage = "history.copied_passage"

// maxOrgReports bounds the reports the organisation page reads in full (for
// the copied passages); an organisation has one report per project a year.
const maxOrgReports = 500

type seriesView struct {
	Key       string // unique within the page, for element ids
	Project   string
	Points    []pipeline.TrendPoint
	Charts    []chart
	Recurring []pipeline.RecurringProblem
}

type copiedView struct {
	Year    int
	URL     string
	Message string
	Quotes  []string
}

type orgData struct {
	Organization string
	Single       bool // one project asked for
	Series       []seriesView
	Copied       []copiedView
	Reports      []pipeline.ReportSummary
}

func (s *Server) handleOrg(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	org := strings.TrimSpace(q.Get("name"))
	if org == "" {
		s.renderError(w, http.StatusBadRequest, "请指定单位名称（参数 name）")
		return
	}
	d, err := s.orgData(r.Context(), org, q.Get("project"), q.Has("project"))
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if len(d.Reports) == 0 {
		s.renderError(w, http.StatusNotFound, "没有单位“"+org+"”的报告")
		return
	}
	s.render(w, http.StatusOK, "org", pageData{Title: org, Nav: "list", Data: d})
}

// orgData gathers an organisation's series (one per project, "" being the
// department-wide reports), each with its trend and recurring problems, and
// the copied passages found in its reports.
func (s *Server) orgData(ctx context.Context, org, project string, oneProject bool) (orgData, error) {
	d := orgData{Organization: org, Single: oneProject}
	f := pipeline.ReportFilter{Organization: org, Sort: "year", Limit: maxOrgReports}
	if oneProject {
		f.Project = project
	}
	reports, _, err := s.store.Reports(ctx, f)
	if err != nil {
		return d, err
	}
	if oneProject {
		// The store treats an empty project as no filter; keep only the
		// department-wide reports then.
		reports = filterProject(reports, project)
	}
	d.Reports = reports
	recurring, err := s.store.RecurringProblems(ctx, org, project)
	if err != nil {
		return d, err
	}
	for i, p := range projectsOf(reports) {
		points, err := s.store.Trend(ctx, org, p)
		if err != nil {
			return d, err
		}
		sv := seriesView{Key: strconv.Itoa(i + 1), Project: p, Points: points, Charts: trendCharts(points)}
		for _, rp := range recurring {
			if rp.Organization == org && rp.Project == p {
				sv.Recurring = append(sv.Recurring, rp)
			}
		}
		d.Series = append(d.Series, sv)
	}
	d.Copied, err = s.copiedPassages(ctx, reports)
	return d, err
}

func filterProject(reports []pipeline.ReportSummary, project string) []pipeline.ReportSummary {
	out := reports[:0:0]
	for _, r := range reports {
		if r.Project == project {
			out = append(out, r)
		}
	}
	return out
}

// projectsOf lists the distinct projects of the reports, the
// department-wide series ("") first, then by name.
func projectsOf(reports []pipeline.ReportSummary) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range reports {
		if !seen[r.Project] {
			seen[r.Project] = true
			out = append(out, r.Project)
		}
	}
	sort.Strings(out)
	return out
}

func (s *Server) copiedPassages(ctx context.Context, reports []pipeline.ReportSummary) ([]copiedView, error) {
	var out []copiedView
	for _, sum := range reports {
		rep, err := s.store.Report(ctx, sum.ID)
		if err != nil {
			return nil, err
		}
		if rep == nil || rep.Extraction == nil {
			continue
		}
		for i, f := range rep.Extraction.Findings {
			if f.Rule != ruleCopiedPassage {
				continue
			}
			cv := copiedView{Year: sum.Year, Message: f.Message,
				URL: "/reports/" + strconv.FormatInt(sum.ID, 10) + "#f-" + strconv.Itoa(i+1)}
			for _, e := range f.Evidence {
				cv.Quotes = append(cv.Quotes, e.Quote)
			}
			out = append(out, cv)
		}
	}
	return out, nil
}

type orgsData struct {
	Query       string
	Orgs        []pipeline.OrgSummary
	Suggestions bool // Orgs are what a name the store does not hold could mean
}

// handleOrgs lists the bodies the store holds, or those a word may mean.
func (s *Server) handleOrgs(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	orgs, err := s.matchOrgs(r.Context(), q)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.render(w, http.StatusOK, "orgs", pageData{Title: "单位", Nav: "orgs", Data: orgsData{Query: q, Orgs: orgs}})
}

// matchOrgs is every body, or those q may mean (storelogic.MatchOrgs).
func (s *Server) matchOrgs(ctx context.Context, q string) ([]pipeline.OrgSummary, error) {
	orgs, err := s.store.Organizations(ctx)
	if err != nil || q == "" {
		return orgs, err
	}
	return storelogic.MatchSummaries(orgs, q), nil
}

func (s *Server) apiOrgs(w http.ResponseWriter, r *http.Request) {
	orgs, err := s.matchOrgs(r.Context(), strings.TrimSpace(r.URL.Query().Get("q")))
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if orgs == nil {
		orgs = []pipeline.OrgSummary{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"organizations": orgs})
}
