// Package report renders an extraction's findings for a reviewer: text for
// the terminal, Markdown, a standalone HTML page with the report's text and
// every finding's evidence highlighted, and the JSON contract. All
// reviewer-facing words are Chinese.
//
// Every renderer reads the same view, built once per extraction, so the
// formats cannot disagree about what a finding says or where its evidence is.
package report

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/jixiao/jixiao/pipeline"
)

// severityGroups is the order a reviewer reads findings in, with the
// Chinese label of each severity. Findings of an unknown severity come last
// under 其他 so that nothing is dropped.
var severityGroups = []struct{ key, label string }{
	{pipeline.SeverityError, Severity(pipeline.SeverityError)},
	{pipeline.SeverityWarning, Severity(pipeline.SeverityWarning)},
	{pipeline.SeverityInfo, Severity(pipeline.SeverityInfo)},
	{"", Severity("")},
}

// view is an extraction prepared for rendering.
type view struct {
	Ext      *pipeline.Extraction
	Prefix   string // of every anchor id of this report
	Title    string
	Header   []field
	Figures  []field
	Groups   []group // non-empty groups only, most serious first
	Total    int     // number of findings
	Audit    *auditView
	Segments []segment // ext.Text cut at every evidence boundary
	// Unplaced counts evidence whose quote is not in the text.
	Unplaced int
	// HasText is false when the extraction came without its text (read
	// back from JSON): the page then has no text section to link into.
	HasText bool
	// Review is what reviewers recorded, nil for a report not stored.
	Review *Review
}

// Review is what reviewers recorded on a stored report: the outputs given
// one carry its status and each finding's mark with its comment.
type Review struct {
	State pipeline.ReviewState `json:"state"`
	Marks []pipeline.Mark      `json:"marks"`
}

// LoadReview reads what reviewers recorded on report id.
func LoadReview(ctx context.Context, st pipeline.Reviews, id int64) (*Review, error) {
	state, err := st.ReviewState(ctx, id)
	if err != nil {
		return nil, err
	}
	marks, err := st.Marks(ctx, id)
	if err != nil {
		return nil, err
	}
	return &Review{State: state, Marks: marks}, nil
}

// ReviewedFinding is a finding as a review lists it: numbered most serious
// first, known by its key, with its rule's name and its mark.
type ReviewedFinding struct {
	N        int            `json:"n"`
	Key      string         `json:"finding_key"`
	Rule     string         `json:"rule"`
	RuleName string         `json:"rule_name"`
	Severity string         `json:"severity"`
	Message  string         `json:"message"`
	Mark     *pipeline.Mark `json:"mark"`
}

// ReviewedFindings lists the findings with their marks, most serious first.
func (r *Review) ReviewedFindings(fs []pipeline.Finding) []ReviewedFinding {
	out := []ReviewedFinding{}
	for i, f := range SortBySeverity(fs) {
		out = append(out, ReviewedFinding{N: i + 1, Key: pipeline.FindingKey(f), Rule: f.Rule, RuleName: RuleName(f.Rule),
			Severity: f.Severity, Message: f.Message, Mark: r.MarkOf(f)})
	}
	return out
}

// MarkOf is the mark of finding f, or nil.
func (r *Review) MarkOf(f pipeline.Finding) *pipeline.Mark {
	if r == nil {
		return nil
	}
	key := pipeline.FindingKey(f)
	for i := range r.Marks {
		if r.Marks[i].Key == key {
			return &r.Marks[i]
		}
	}
	return nil
}

// StatusText is the report's review status in Chinese, with who set it and
// when.
func (r *Review) StatusText() string {
	s := ReviewLabel(r.State.Status)
	if who := byWhom(r.State.Reviewer, r.State.At); who != "" {
		s += "（" + who + "）"
	}
	return s
}

// MarkText is a mark in one line: 已核实（王审核，2025-03-04 13:06:07）：comment.
func MarkText(m *pipeline.Mark) string {
	if m == nil {
		return ""
	}
	s := MarkLabel(m.Status)
	if who := byWhom(m.Reviewer, m.At); who != "" {
		s += "（" + who + "）"
	}
	if c := strings.TrimSpace(m.Comment); c != "" {
		s += "：" + c
	}
	return s
}

func byWhom(reviewer string, at time.Time) string {
	var parts []string
	if reviewer != "" {
		parts = append(parts, reviewer)
	}
	if !at.IsZero() {
		parts = append(parts, TimeText(at))
	}
	return strings.Join(parts, "，")
}

type field struct{ Label, Value string }

type group struct {
	Severity string // "error", "warning", "info" or "" for unknown
	Label    string
	Findings []*findingView
}

// Class is the CSS class of the group's severity.
func (g group) Class() string { return SeverityClass(g.Severity) }

type findingView struct {
	N        int    // 1-based number in reading order
	ID       string // anchor of the finding in the list
	Rule     string
	RuleName string // in Chinese
	Mark     *pipeline.Mark
	Severity string // the group's severity key
	Label    string // the group's Chinese label
	Message  string
	Values   []field
	Evidence []*evidenceView
}

// Class is the CSS class of the finding's severity.
func (f *findingView) Class() string { return SeverityClass(f.Severity) }

// MarkText is the reviewer's mark of the finding, "" for none.
func (f *findingView) MarkText() string { return MarkText(f.Mark) }

type evidenceView struct {
	pipeline.Evidence
	ID      string // anchor of the highlight in the text
	Start   int    // byte range of the quote in ext.Text; -1 when not found
	End     int
	Finding *findingView
}

// Placed reports whether the quote was found in the text.
func (e *evidenceView) Placed() bool { return e.Start >= 0 }

// Where is the Chinese position of the evidence: 第57行，第2页; in a Word
// file 第12段; in a workbook 表1!D7.
func (e *evidenceView) Where() string { return Where(e.Evidence) }

// Where names the place of evidence the way a reviewer finds it in the
// source: the sheet and cell of a workbook, the paragraph of a Word file,
// else the line and page.
//
// A figure OCR was unsure of says how unsure: 第57行，第2页，OCR 置信度
// 62%，请核对原件.
func Where(e pipeline.Evidence) string {
	place := where(e.Line, e.Page)
	switch {
	case e.Cell != "":
		place = e.Sheet + "!" + e.Cell
	case e.Paragraph > 0:
		place = "第" + itoa(e.Paragraph) + "段"
	}
	if u := Unsure(e); u != "" {
		return place + "，" + u
	}
	return place
}

// SourceName is the file's name, with the place of a workbook's report
// in it (see Place).
func SourceName(s pipeline.Source) string {
	if p := Place(s); p != "" {
		return s.Name + "（" + p + "）"
	}
	return s.Name
}

// Place is where a workbook's report stands: its worksheet, and its place
// there when the sheet holds several forms (工作表“表2”第 2 张表); "" for a
// file of one report.
func Place(s pipeline.Source) string {
	switch {
	case s.Sheet != "" && s.Form > 0:
		return "工作表“" + s.Sheet + "”第 " + itoa(s.Form) + " 张表"
	case s.Sheet != "":
		return "工作表“" + s.Sheet + "”"
	}
	return ""
}

func where(line, page int) string {
	var parts []string
	if line > 0 {
		parts = append(parts, "第"+itoa(line)+"行")
	}
	if page > 0 {
		parts = append(parts, "第"+itoa(page)+"页")
	}
	if len(parts) == 0 {
		return "位置未知"
	}
	return strings.Join(parts, "，")
}

// checked is a figure with the mark of OCR's doubt when its evidence was
// recognised with low confidence.
func checked(value string, ev pipeline.Evidence) string {
	if u := Unsure(ev); u != "" {
		return value + "（" + u + "）"
	}
	return value
}

// newView prepares ext and what reviewers recorded on it (rev may be
// nil); prefix keeps anchors unique when several reports share one HTML
// page ("" for a page of its own).
func newView(ext *pipeline.Extraction, prefix string, rev *Review) *view {
	v := &view{Ext: ext, Prefix: prefix, Review: rev}
	r := ext.Report
	v.Title = Title(ext)
	v.Header = []field{
		{"单位", OrDash(r.Organization)},
		{"项目", OrDash(r.Project)},
		{"年度", Year(r.Year)},
		{"类型", Kind(r.Kind)},
		{"来源文件", OrDash(SourceName(ext.Source))},
		{"页数", pagesText(ext.Source.Pages)},
		{"文本提取", extractorText(ext.Source)},
	}
	if rev != nil {
		v.Header = append(v.Header, field{"审核状态", rev.StatusText()})
		if c := strings.TrimSpace(rev.State.Comment); c != "" {
			v.Header = append(v.Header, field{"审核意见", c})
		}
	}
	v.Figures = []field{
		{"年初预算", checked(Amount(r.Budget.Planned), r.Evidence["planned"])},
		{"全年预算", checked(Amount(r.Budget.Adjusted), r.Evidence["adjusted"])},
		{"全年执行", checked(Amount(r.Budget.Executed), r.Evidence["executed"])},
		{"执行率", checked(Percent(r.Budget.ExecutionRate), r.Evidence["execution_rate"])},
		{"得分", checked(Decimal(r.Score), r.Evidence["score"])},
		{"等级", checked(OrDash(r.Grade), r.Evidence["grade"])},
	}
	v.groupFindings(prefix)
	v.HasText = ext.Text != ""
	v.Unplaced = placeEvidence(v.allEvidence(), ext.Text)
	v.Segments = cutSegments(ext.Text, v.allEvidence())
	v.Audit = newAuditView(ext.Audit)
	return v
}

// Title names a report as a reviewer does: body, year, project (部门整体
// for a department's report); the file's name only when it states none.
func Title(ext *pipeline.Extraction) string {
	r := ext.Report
	var parts []string
	if r.Organization != "" {
		parts = append(parts, r.Organization)
	}
	if r.Year > 0 {
		parts = append(parts, itoa(r.Year)+"年度")
	}
	switch {
	case r.Project != "":
		parts = append(parts, r.Project)
	case r.Kind == pipeline.KindDepartment && len(parts) > 0:
		parts = append(parts, "部门整体支出")
	}
	if len(parts) == 0 {
		return ext.Source.Name
	}
	return strings.Join(parts, " ")
}

// groupFindings sorts the findings into severity groups, keeping the rule
// engine's order inside a group, and numbers them in reading order.
func (v *view) groupFindings(prefix string) {
	n := 0
	for _, sg := range severityGroups {
		g := group{Severity: sg.key, Label: sg.label}
		for _, f := range v.Ext.Findings {
			if groupOf(f.Severity) != sg.key {
				continue
			}
			n++
			fv := &findingView{
				N: n, ID: prefix + "f-" + itoa(n),
				Rule: f.Rule, RuleName: RuleName(f.Rule), Mark: v.Review.MarkOf(f), Severity: sg.key, Label: sg.label,
				Message: f.Message, Values: valueFields(f.Rule, f.Values),
			}
			for i, e := range f.Evidence {
				fv.Evidence = append(fv.Evidence, &evidenceView{
					Evidence: e, ID: fv.ID + "-e" + itoa(i+1), Start: -1, End: -1, Finding: fv,
				})
			}
			g.Findings = append(g.Findings, fv)
		}
		if len(g.Findings) > 0 {
			v.Groups = append(v.Groups, g)
		}
	}
	v.Total = n
}

// groupOf maps a severity to its group key; unknown severities go to "".
func groupOf(severity string) string {
	if pipeline.SeverityRank(severity) == 0 {
		return ""
	}
	return severity
}

func (v *view) allEvidence() []*evidenceView {
	var all []*evidenceView
	for _, g := range v.Groups {
		for _, f := range g.Findings {
			all = append(all, f.Evidence...)
		}
	}
	return all
}

// Count returns the number of findings of a severity key.
func (v *view) Count(severity string) int {
	for _, g := range v.Groups {
		if g.Severity == severity {
			return len(g.Findings)
		}
	}
	return 0
}

// placeEvidence places each quote in text (see Locate) and returns how many
// quotes are not in the text at all.
func placeEvidence(evs []*evidenceView, text string) int {
	missing := 0
	for _, e := range evs {
		start, ok := Locate(text, e.Evidence)
		if !ok {
			missing++
			continue
		}
		e.Start, e.End = start, start+len(e.Quote)
	}
	return missing
}

// Locate is where evidence is marked in text, by every page that marks
// it (this report and the web's): at its recorded offset when the text
// there is the quote, else at the occurrence nearest to that offset (an
// offset can be stale when the text was normalised again). ok is false
// when the text does not hold the quote at all.
func Locate(text string, ev pipeline.Evidence) (start int, ok bool) {
	quote, offset := ev.Quote, ev.Offset
	if quote == "" {
		return 0, false
	}
	if offset >= 0 && offset+len(quote) <= len(text) && text[offset:offset+len(quote)] == quote {
		return offset, true
	}
	best := -1
	for from := 0; from < len(text); {
		i := strings.Index(text[from:], quote)
		if i < 0 {
			break
		}
		at := from + i
		if best < 0 || distance(at, offset) < distance(best, offset) {
			best = at
		}
		from = at + 1
	}
	return max(best, 0), best >= 0
}

func distance(a, b int) int {
	if a > b {
		return a - b
	}
	return b - a
}

// segment is a run of the text covered by the same set of evidence.
type segment struct {
	Text   string
	Marks  []*evidenceView // evidence covering the run; empty for plain text
	Starts []*evidenceView // evidence beginning with this run
	Ends   []*evidenceView // evidence ending with this run
}

// Class is the CSS class of a highlighted run: the most serious severity
// among the findings it belongs to.
func (s segment) Class() string {
	best := ""
	for _, e := range s.Marks {
		if best == "" || pipeline.SeverityRank(e.Finding.Severity) > pipeline.SeverityRank(best) {
			best = e.Finding.Severity
		}
	}
	return SeverityClass(best)
}

// FirstFinding is the anchor a click on the run leads to.
func (s segment) FirstFinding() string { return s.Marks[0].Finding.ID }

// EvidenceIDs lists the anchors of the evidence covering the run,
// space-separated, for the data-ev attribute.
func (s segment) EvidenceIDs() string {
	ids := make([]string, len(s.Marks))
	for i, e := range s.Marks {
		ids[i] = e.ID
	}
	return strings.Join(ids, " ")
}

// Titles is the tooltip of a highlighted run: the messages it supports.
func (s segment) Titles() string {
	var msgs []string
	for _, e := range s.Marks {
		msgs = append(msgs, itoa(e.Finding.N)+". "+e.Finding.Message)
	}
	return strings.Join(msgs, "\n")
}

// cutSegments cuts text at every start and end of placed evidence, so
// overlapping quotes (a typo inside a duplicated passage) each stay whole as
// the concatenation of their runs.
func cutSegments(text string, evs []*evidenceView) []segment {
	cuts := []int{0, len(text)}
	for _, e := range evs {
		if e.Placed() {
			cuts = append(cuts, e.Start, e.End)
		}
	}
	sort.Ints(cuts)
	var segs []segment
	for i := 0; i+1 < len(cuts); i++ {
		a, b := cuts[i], cuts[i+1]
		if a == b {
			continue
		}
		s := segment{Text: text[a:b]}
		for _, e := range evs {
			if !e.Placed() {
				continue
			}
			if e.Start <= a && b <= e.End {
				s.Marks = append(s.Marks, e)
			}
			if e.Start == a {
				s.Starts = append(s.Starts, e)
			}
			if e.End == b {
				s.Ends = append(s.Ends, e)
			}
		}
		segs = append(segs, s)
	}
	return segs
}
