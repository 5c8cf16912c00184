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

// copiedView is the passages one report shares with one earlier report of
// the body: a card per pair of reports, not per passage.
type copiedView struct {
	Year, EarlierYear int
	URL, EarlierURL   string
	Project           string
	Chars             int // all passages together
	Passages          []copiedPassage
}

type copiedPassage struct {
	URL, Quote string
	Chars      int
}

type orgData struct {
	Organization string
	Single       bool // one project asked for
	Series       []seriesView
	Copied       []copiedView
	Reports      []pipeline.ReportSummary
	Compare      *compareView
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
		s.orgNotFound(w, r, org)
		return
	}
	if d.Compare, err = s.compareYears(r, d.Reports); err != nil {
		s.internal(w, r, err)
		return
	}
	s.render(w, http.StatusOK, "org", pageData{Title: org, Nav: "orgs", Data: d})
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

// orgNotFound answers a name the store holds no report of: the one body
// it stands for (a part of its name, an abbreviation), or the bodies it
// could mean, or 404.
func (s *Server) orgNotFound(w http.ResponseWriter, r *http.Request, org string) {
	found, err := s.matchOrgs(r.Context(), org)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	switch {
	case len(found) == 0:
		s.renderError(w, http.StatusNotFound, "没有单位“"+org+"”的报告")
	case found[0].Name == org: // the body is there, the project asked for is not
		s.renderError(w, http.StatusNotFound, "单位“"+org+"”没有项目“"+r.URL.Query().Get("project")+"”的报告")
	case len(found) == 1:
		q := r.URL.Query()
		q.Set("name", found[0].Name)
		http.Redirect(w, r, "/org?"+q.Encode(), http.StatusSeeOther)
	default:
		s.render(w, http.StatusOK, "orgs", pageData{Title: "单位", Nav: "orgs",
			Data: orgsData{Query: org, Orgs: found, Suggestions: true}})
	}
}

// copiedPassages gathers the copied passages of the reports (their latest
// versions), one card per report and the earlier report it copies from.
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
		byEarlier := map[int64]int{} // earlier report → index in out
		for _, f := range rep.Extraction.Findings {
			if f.Rule != ruleCopiedPassage {
				continue
			}
			earlier := f.Values["earlier_report_id"].Int
			year := f.Values["earlier_year"].Int
			chars := f.Values["chars"].Int
			i, ok := byEarlier[earlier]
			if !ok {
				i = len(out)
				byEarlier[earlier] = i
				out = append(out, copiedView{Year: sum.Year, EarlierYear: int(year), URL: reportURL(sum.ID),
					EarlierURL: reportURL(earlier), Project: sum.Project})
			}
			p := copiedPassage{URL: reportURL(sum.ID) + "#" + keyAnchor(pipeline.FindingKey(f)), Chars: int(chars)}
			if len(f.Evidence) > 0 {
				p.Quote = f.Evidence[0].Quote
			}
			out[i].Passages = append(out[i].Passages, p)
			out[i].Chars += int(chars)
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
