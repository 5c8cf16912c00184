package web

import (
	"net/http"
	"sort"
	"strconv"

	"github.com/jixiao/jixiao/internal/report"
	"github.com/jixiao/jixiao/pipeline"
)

// findingView is a finding as the report page lists it.
type findingView struct {
	N int // 1-based, the anchor f-N, most serious first
	pipeline.Finding
	Key      string // pipeline.FindingKey, the anchor k-Key
	RuleName string
	Values   []report.Figure
	Evidence []evidenceView
	Mark     *pipeline.Mark
	Offered  *pipeline.OfferedMark // an earlier year's 误报 on the same finding
}

// MarkText is the finding's mark in words, "" for none.
func (f findingView) MarkText() string { return report.MarkText(f.Mark) }

// Anchor is the finding's element id, by key.
func (f findingView) Anchor() string { return keyAnchor(f.Key) }

type evidenceView struct {
	pipeline.Evidence
	Anchor string
	Placed bool // the quote was found in the text
}

type download struct{ Label, URL string }

type reportData struct {
	ID          int64
	Title       string
	Doc         pipeline.Document
	Ext         *pipeline.Extraction
	Findings    []findingView
	Counts      map[string]int
	FieldLinks  map[string]string // field name → anchor of its evidence
	Segments    []segment
	Unplaced    int
	OriginalURL string
	Downloads   []download
	Ingested    string
	Uploaded    bool
	Present     bool   // an upload of bytes stored already
	Saved       string // "mark" or "status" after a review form
	Review      reviewView
	Versions    []versionView
	Siblings    []siblingView // the reports of the shown version's file, when it holds several
	Version     int64         // the version shown
	Latest      bool          // it is the report's latest
	LetterURL   string
	LetterDOCX  string
}

// reviewView is the review panel and what its forms need.
type reviewView struct {
	State         pipeline.ReviewState
	StatusText    string
	Statuses      []choice
	Marks         []choice
	Reviewer      string // to fill the forms in
	TokenRequired bool
	Marked        map[string]int // marks by status
}

type choice struct{ Value, Label string }

// VersionColumns are the heads of the versions table.
func (reportData) VersionColumns() []string { return versionColumns }

// siblingView is one report of a file that holds several (a workbook of
// several projects' forms).
type siblingView struct {
	URL, Label string
	Current    bool // the report shown
}

// versionView is one version of the report with its figures, each marked
// when it differs from the version before.
type versionView struct {
	pipeline.Version
	URL      string
	Current  bool
	Ingested string
	Cells    []versionCell
}

type versionCell struct {
	Value   string
	Changed bool
}

// versionColumns are the figures the versions table compares.
var versionColumns = []string{"年初预算", "全年预算", "全年执行", "执行率", "得分", "等级", "错误", "警告", "提示"}

func versionCells(v pipeline.Version) []string {
	return []string{report.Amount(v.Planned), report.Amount(v.Adjusted), report.Amount(v.Executed),
		report.Percent(v.ExecutionRate), report.Decimal(v.Score), report.OrDash(v.Grade),
		strconv.Itoa(v.Errors), strconv.Itoa(v.Warnings), strconv.Itoa(v.Infos)}
}

func versionViews(vs []pipeline.Version, reportID, shown int64) []versionView {
	var out []versionView
	var prev []string
	for _, v := range vs {
		vv := versionView{Version: v, Current: v.ID == shown, Ingested: timeText(v.Document.IngestedAt),
			URL: reportURL(reportID) + "?version=" + strconv.FormatInt(v.ID, 10)}
		if v.Latest {
			vv.URL = reportURL(reportID)
		}
		cells := versionCells(v)
		for i, c := range cells {
			vv.Cells = append(vv.Cells, versionCell{Value: c, Changed: prev != nil && prev[i] != c})
		}
		prev = cells
		out = append(out, vv)
	}
	return out
}

// loadReport reads the report named by the {id} path value, answering 400
// for a malformed id and 404 for an unknown one. It returns nil when it has
// answered.
func (s *Server) loadReport(w http.ResponseWriter, r *http.Request) *pipeline.StoredReport {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, err.Error())
		return nil
	}
	rep, err := s.store.Report(r.Context(), id)
	if err != nil {
		s.internal(w, r, err)
		return nil
	}
	if rep == nil || rep.Extraction == nil {
		s.fail(w, r, http.StatusNotFound, "没有编号为 "+strconv.FormatInt(id, 10)+" 的报告")
		return nil
	}
	if rep.Extraction.Text == "" {
		rep.Extraction.Text = rep.Text
	}
	return rep
}

func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) {
	rep := s.loadReport(w, r)
	if rep == nil {
		return
	}
	q := r.URL.Query()
	if v := q.Get("version"); v != "" {
		if rep = s.loadVersion(w, r, rep, v); rep == nil {
			return
		}
	}
	d, err := s.reportPage(r, rep)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	d.Uploaded, d.Present, d.Saved = q.Get("uploaded") == "1", q.Get("present") == "1", q.Get("saved")
	s.render(w, http.StatusOK, "report", pageData{Title: d.Title, Nav: "list", Data: d})
}

// loadVersion is the version v (an id) of rep's report; it answers 404 for
// a version of another report.
func (s *Server) loadVersion(w http.ResponseWriter, r *http.Request, rep *pipeline.StoredReport, v string) *pipeline.StoredReport {
	vid, err := parseID(v)
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, "版本编号必须是正整数")
		return nil
	}
	ver, err := s.store.ReportVersion(r.Context(), vid)
	if err != nil {
		s.internal(w, r, err)
		return nil
	}
	if ver == nil || ver.ID != rep.ID {
		s.fail(w, r, http.StatusNotFound, "报告 "+strconv.FormatInt(rep.ID, 10)+" 没有版本 "+v)
		return nil
	}
	if ver.Extraction.Text == "" {
		ver.Extraction.Text = ver.Text
	}
	return ver
}

// reportPage gathers the page of a report version: the extraction, what
// reviewers recorded, the offers of earlier years' marks, the versions.
func (s *Server) reportPage(r *http.Request, rep *pipeline.StoredReport) (reportData, error) {
	ctx := r.Context()
	rev, err := report.LoadReview(ctx, s.store, rep.ID)
	if err != nil {
		return reportData{}, err
	}
	offered, err := s.store.OfferedMarks(ctx, rep.ID)
	if err != nil {
		return reportData{}, err
	}
	versions, err := s.store.Versions(ctx, rep.ID)
	if err != nil {
		return reportData{}, err
	}
	d := buildReportData(rep, rev, offered)
	d.Versions = versionViews(versions, rep.ID, rep.VersionID)
	if d.Siblings, err = s.siblings(r, rep); err != nil {
		return reportData{}, err
	}
	d.Latest = len(versions) == 0 || versions[len(versions)-1].ID == rep.VersionID
	if !d.Latest {
		d.OriginalURL += "?version=" + strconv.FormatInt(rep.VersionID, 10)
	}
	d.Review.Reviewer = reviewerOf(r)
	if d.Review.Reviewer == "" {
		d.Review.Reviewer = rev.State.Reviewer
	}
	d.Review.TokenRequired = !s.authorized(r, "")
	return d, nil
}

// siblings lists the reports of the file the shown version was read from,
// each by its place in the file and its title, when it holds several; nil
// else.
func (s *Server) siblings(r *http.Request, rep *pipeline.StoredReport) ([]siblingView, error) {
	ids, err := s.store.ReportIDs(r.Context(), rep.Document.SHA256)
	if err != nil || len(ids) < 2 {
		return nil, err
	}
	out := make([]siblingView, 0, len(ids))
	for _, id := range ids {
		sib := rep
		if id != rep.ID {
			if sib, err = s.store.Report(r.Context(), id); err != nil {
				return nil, err
			}
		}
		if sib == nil {
			continue
		}
		label := report.Title(sib.Extraction)
		if place := report.Place(sib.Extraction.Source); place != "" && sib.Document.SHA256 == rep.Document.SHA256 {
			label = place + "：" + label
		}
		out = append(out, siblingView{URL: reportURL(id), Label: label, Current: id == rep.ID})
	}
	return out, nil
}

func buildReportData(rep *pipeline.StoredReport, rev *report.Review, offered []pipeline.OfferedMark) reportData {
	ext := rep.Extraction
	base := reportURL(rep.ID)
	d := reportData{
		ID: rep.ID, Title: report.Title(ext), Doc: rep.Document, Ext: ext, Version: rep.VersionID,
		LetterURL: base + "/letter", LetterDOCX: base + "/letter.docx",
		Review:      reviewView{State: rev.State, StatusText: rev.StatusText(), Marked: map[string]int{}},
		Counts:      map[string]int{pipeline.SeverityError: 0, pipeline.SeverityWarning: 0, pipeline.SeverityInfo: 0},
		FieldLinks:  map[string]string{},
		OriginalURL: base + "/original",
		Ingested:    timeText(rep.Document.IngestedAt),
	}
	for _, f := range consistencyFormats {
		d.Downloads = append(d.Downloads, download{Label: f.label, URL: base + "/consistency." + f.ext})
	}

	for _, st := range pipeline.ReviewStatuses {
		d.Review.Statuses = append(d.Review.Statuses, choice{st, report.ReviewLabel(st)})
	}
	for _, m := range pipeline.MarkStatuses {
		d.Review.Marks = append(d.Review.Marks, choice{m, report.MarkLabel(m)})
	}
	offers := map[string]*pipeline.OfferedMark{}
	for i := range offered {
		offers[offered[i].Key] = &offered[i]
	}
	text := ext.Text
	var spans []span
	for i, f := range report.SortBySeverity(ext.Findings) {
		fv := findingView{N: i + 1, Finding: f, Key: pipeline.FindingKey(f), RuleName: report.RuleName(f.Rule),
			Values: report.FindingValues(f.Rule, f.Values), Mark: rev.MarkOf(f)}
		if fv.Mark != nil {
			d.Review.Marked[fv.Mark.Status]++
		} else {
			fv.Offered = offers[fv.Key]
		}
		d.Counts[f.Severity]++
		for j, ev := range f.Evidence {
			v := evidenceView{Evidence: ev, Anchor: evidenceAnchor(i+1, j+1)}
			if start, ok := report.Locate(text, ev); ok {
				v.Placed = true
				spans = append(spans, span{start: start, end: start + len(ev.Quote), anchor: v.Anchor,
					finding: i + 1, severity: f.Severity, label: report.Severity(f.Severity) + "：" + f.Message})
			} else {
				d.Unplaced++
			}
			fv.Evidence = append(fv.Evidence, v)
		}
		d.Findings = append(d.Findings, fv)
	}
	spans = append(spans, fieldSpans(text, ext.Report.Evidence, d.FieldLinks)...)
	d.Segments = segmentText(text, spans)
	return d
}

// fieldLabels names the scalar fields whose evidence the text shows.
var fieldLabels = map[string]string{
	"organization": "单位", "project": "项目", "year": "年度", "planned": "年初预算",
	"adjusted": "全年预算", "executed": "全年执行", "execution_rate": "预算执行率",
	"score": "自评得分", "grade": "等级", "problems": "问题",
}

// fieldSpans places the evidence of the scalar fields and records the
// anchor of each placed one in links.
func fieldSpans(text string, evidence map[string]pipeline.Evidence, links map[string]string) []span {
	names := make([]string, 0, len(evidence))
	for k := range evidence {
		names = append(names, k)
	}
	sort.Strings(names)
	var out []span
	for _, name := range names {
		ev := evidence[name]
		start, ok := report.Locate(text, ev)
		if !ok {
			continue
		}
		label := fieldLabels[name]
		if label == "" {
			label = name
		}
		anchor := fieldAnchor(name)
		links[name] = anchor
		out = append(out, span{start: start, end: start + len(ev.Quote), anchor: anchor, label: "字段来源：" + label})
	}
	return out
}
