package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/jixiao/jixiao/pipeline"
)

// apiError is the body of every API error: the HTTP status and a message.
type apiError struct {
	Status  int    `json:"status"`
	Message string `json:"error"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true) // a JSON body opened as a page still shows no markup
	enc.Encode(v)
}

func writeJSONError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, apiError{Status: status, Message: msg})
}

// apiRoutes are the API paths with the methods each takes, for telling a
// wrong method from a wrong path ("*" is one path segment).
var apiRoutes = []struct{ path, allow string }{
	{"/api/reports", "GET, POST"},
	{"/api/reports/*", "GET"},
	{"/api/reports/*/review", "GET"},
	{"/api/reports/*/versions", "GET"},
	{"/api/reports/*/marks", "POST"},
	{"/api/reports/*/status", "POST"},
	{"/api/orgs", "GET"},
	{"/api/trends", "GET"},
	{"/api/problems/recurring", "GET"},
}

func (s *Server) apiNotFound(w http.ResponseWriter, r *http.Request) {
	p := strings.Split(strings.TrimSuffix(r.URL.Path, "/"), "/")
	for _, route := range apiRoutes {
		want := strings.Split(route.path, "/")
		if len(want) != len(p) {
			continue
		}
		match := true
		for i := range want {
			match = match && (want[i] == p[i] || want[i] == "*" && p[i] != "")
		}
		if match {
			w.Header().Set("Allow", route.allow)
			writeJSONError(w, http.StatusMethodNotAllowed, "此接口不支持 "+r.Method+" 方法")
			return
		}
	}
	writeJSONError(w, http.StatusNotFound, "没有这个接口："+r.URL.Path)
}

type reportsResponse struct {
	Total   int                      `json:"total"`
	Limit   int                      `json:"limit"`
	Offset  int                      `json:"offset"`
	Reports []pipeline.ReportSummary `json:"reports"`
}

// apiReports lists reports: the page's filters (organization, project, year,
// grade, errors, q, sort) with limit and offset instead of page.
func (s *Server) apiReports(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	lq, err := parseListQuery(q)
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return
	}
	f := lq.ReportFilter
	f.Limit, f.Offset = 50, 0
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxAPILimit {
			writeJSONError(w, http.StatusBadRequest, "limit 必须是 1 到 "+strconv.Itoa(maxAPILimit)+" 之间的整数")
			return
		}
		f.Limit = n
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			writeJSONError(w, http.StatusBadRequest, "offset 必须是非负整数")
			return
		}
		f.Offset = n
	} else if lq.Page > 1 {
		f.Offset = (lq.Page - 1) * f.Limit
	}
	reports, total, err := s.store.Reports(r.Context(), f)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if reports == nil {
		reports = []pipeline.ReportSummary{}
	}
	writeJSON(w, http.StatusOK, reportsResponse{Total: total, Limit: f.Limit, Offset: f.Offset, Reports: reports})
}

// reportResponse is a stored report with its normalised text, which the
// stored types leave out of their JSON.
type reportResponse struct {
	*pipeline.StoredReport
	Text string `json:"text"`
}

func (s *Server) apiReport(w http.ResponseWriter, r *http.Request) {
	rep := s.loadReport(w, r)
	if rep == nil {
		return
	}
	writeJSON(w, http.StatusOK, reportResponse{StoredReport: rep, Text: rep.Extraction.Text})
}

type trendResponse struct {
	Organization string                `json:"organization"`
	Project      string                `json:"project"`
	Points       []pipeline.TrendPoint `json:"points"`
}

// apiTrends is one series: organization (required) and project ("" or
// absent for the department-wide reports).
func (s *Server) apiTrends(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	org := strings.TrimSpace(q.Get("organization"))
	if org == "" {
		writeJSONError(w, http.StatusBadRequest, "缺少参数 organization")
		return
	}
	project := strings.TrimSpace(q.Get("project"))
	points, err := s.store.Trend(r.Context(), org, project)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if points == nil {
		points = []pipeline.TrendPoint{}
	}
	writeJSON(w, http.StatusOK, trendResponse{Organization: org, Project: project, Points: points})
}

type recurringResponse struct {
	Problems []pipeline.RecurringProblem `json:"problems"`
}

// apiRecurring lists recurring problems, optionally of one organisation and
// project.
func (s *Server) apiRecurring(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	list, err := s.store.RecurringProblems(r.Context(), strings.TrimSpace(q.Get("organization")), strings.TrimSpace(q.Get("project")))
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if list == nil {
		list = []pipeline.RecurringProblem{}
	}
	writeJSON(w, http.StatusOK, recurringResponse{Problems: list})
}

// uploadResponse is a file's first report in full, and the list of all
// its reports: several for a workbook of several projects' forms.
type uploadResponse struct {
	ID       int64                `json:"id"`
	URL      string               `json:"url"`
	Present  bool                 `json:"present"` // the same bytes were stored already
	Report   *pipeline.Extraction `json:"extraction"`
	Findings int                  `json:"findings"`
	Reports  []uploadedReport     `json:"reports"`
}

// uploadedReport is one report of an uploaded file.
type uploadedReport struct {
	ID           int64  `json:"id"`
	URL          string `json:"url"`
	Sheet        string `json:"sheet,omitempty"`
	Form         int    `json:"form,omitempty"`
	Organization string `json:"organization"`
	Project      string `json:"project"`
	Year         int    `json:"year"`
	Findings     int    `json:"findings"`
}

// apiUpload is the upload form's twin for scripts: multipart field "file"
// (and "force" to keep a text that is no report), token in a header;
// answers 201 with the new reports, or 200 with the stored ones when the
// same bytes were uploaded before.
func (s *Server) apiUpload(w http.ResponseWriter, r *http.Request) {
	got, err := s.receive(w, r)
	if err != nil {
		var ue *uploadError
		if errors.As(err, &ue) {
			writeJSONError(w, ue.status, ue.msg)
			return
		}
		s.internal(w, r, err)
		return
	}
	resp := uploadResponse{Present: got.present, Reports: make([]uploadedReport, 0, len(got.ids))}
	for i, id := range got.ids {
		rep, err := s.store.Report(r.Context(), id)
		if err != nil || rep == nil {
			s.internal(w, r, errors.Join(err, fmt.Errorf("ingested report %d not found", id)))
			return
		}
		ext := rep.Extraction
		u := uploadedReport{ID: id, URL: reportURL(id), Sheet: ext.Source.Sheet, Form: ext.Source.Form,
			Organization: ext.Report.Organization, Project: ext.Report.Project, Year: ext.Report.Year, Findings: len(ext.Findings)}
		resp.Reports = append(resp.Reports, u)
		if i == 0 {
			resp.ID, resp.URL, resp.Report, resp.Findings = id, u.URL, ext, u.Findings
		}
	}
	w.Header().Set("Location", resp.URL)
	status := http.StatusCreated
	if got.present {
		status = http.StatusOK
	}
	writeJSON(w, status, resp)
}
