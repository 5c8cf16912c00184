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
	N int // 1-based, the anchor f-N
	pipeline.Finding
	Values   []report.Figure
	Evidence []evidenceView
}

type evidenceView struct {
	pipeline.Evidence
	Anchor string
	Placed bool // the quote was found in the text
}

type download struct{ Label, URL string }

type reportData struct {
	ID          int64
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
	d := buildReportData(rep)
	d.Uploaded = r.URL.Query().Get("uploaded") == "1"
	s.render(w, http.StatusOK, "report", pageData{Title: rep.Document.Name, Nav: "list", Data: d})
}

func buildReportData(rep *pipeline.StoredReport) reportData {
	ext := rep.Extraction
	base := "/reports/" + strconv.FormatInt(rep.ID, 10)
	d := reportData{
		ID: rep.ID, Doc: rep.Document, Ext: ext,
		Counts:      map[string]int{pipeline.SeverityError: 0, pipeline.SeverityWarning: 0, pipeline.SeverityInfo: 0},
		FieldLinks:  map[string]string{},
		OriginalURL: base + "/original",
		Ingested:    timeText(rep.Document.IngestedAt),
	}
	for _, f := range consistencyFormats {
		d.Downloads = append(d.Downloads, download{Label: f.label, URL: base + "/consistency." + f.ext})
	}
	text := ext.Text
	var spans []span
	for i, f := range ext.Findings {
		fv := findingView{N: i + 1, Finding: f, Values: report.FindingValues(f.Rule, f.Values)}
		d.Counts[f.Severity]++
		for j, ev := range f.Evidence {
			v := evidenceView{Evidence: ev, Anchor: evidenceAnchor(i+1, j+1)}
			if start, ok := placeQuote(text, ev); ok {
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
		start, ok := placeQuote(text, ev)
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
