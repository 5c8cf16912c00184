// Package letter writes the review letter (审核意见书) of a stored report:
// what the reviewer sends back to the reporting body. It names the body,
// project and year, gives the report's key figures, lists the findings the
// reviewer confirmed with their evidence and figures, asks for the
// corrections each calls for, and closes with the reviewer and the date.
// It is written as a Word document the reviewer can still edit (DOCX) and
// as an HTML page laid out for the browser's print (and its PDF).
package letter

import (
	"strconv"
	"strings"
	"time"

	"github.com/jixiao/jixiao/internal/report"
	"github.com/jixiao/jixiao/pipeline"
)

// Letter is the content of one review letter, every word final.
type Letter struct {
	Title     string // 审核意见书
	Addressee string
	Opening   string
	Figures   []Field
	Findings  []Item // confirmed findings, most serious first
	Fixed     []Item // findings the body has corrected meanwhile
	Closing   []string
	Reviewer  string
	Date      string // 2025年3月4日
	// Subject names the report: body, year, project.
	Subject string
	org     string
	year    int
}

// FileName is 审核意见书-单位-2023年.ext, safe as a file name on any system.
func (l *Letter) FileName(ext string) string {
	name := "审核意见书"
	if l.org != "" {
		name += "-" + l.org
	}
	if l.year > 0 {
		name += "-" + report.Year(l.year)
	}
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < 0x20 {
			return '_'
		}
		return r
	}, name) + "." + ext
}

// Field is one labelled figure.
type Field struct{ Label, Value string }

// Item is one finding as the letter states it.
type Item struct {
	Heading    string // the rule's name
	Rule       string // its id, for the reviewer's reference
	Severity   string // 错误, 警告, 提示
	Message    string
	Figures    []string // 分项合计：256.3 万元
	Evidence   []string // 第57行，第2页：「……」
	Comment    string   // the reviewer's
	Correction string   // what the body is asked to do
}

// New builds the letter of a stored report and what reviewers recorded on
// it. reviewer overrides the name the review recorded; date is the
// letter's.
func New(rep *pipeline.StoredReport, rev *report.Review, reviewer string, date time.Time) *Letter {
	ext := rep.Extraction
	r := ext.Report
	org := report.OrDash(r.Organization)
	l := &Letter{
		Title:     "绩效自评报告审核意见书",
		Addressee: org + "：",
		Subject:   subject(r),
		Date:      dateText(date),
		Reviewer:  reviewerOf(reviewer, rev),
		org:       r.Organization,
		year:      r.Year,
	}
	l.Opening = "你单位报送的《" + l.Subject + "》（文件：" + rep.Document.Name + "）已收悉。经审核，现将审核意见反馈如下。"
	l.Figures = []Field{
		{"单位", org},
		{"项目", projectText(r)},
		{"年度", report.Year(r.Year)},
		{"年初预算", report.Amount(r.Budget.Planned)},
		{"全年预算", report.Amount(r.Budget.Adjusted)},
		{"全年执行", report.Amount(r.Budget.Executed)},
		{"预算执行率", report.Percent(r.Budget.ExecutionRate)},
		{"自评得分", report.Decimal(r.Score)},
		{"自评等级", report.OrDash(r.Grade)},
	}
	for _, f := range report.SortBySeverity(ext.Findings) {
		m := rev.MarkOf(f)
		if m == nil {
			continue
		}
		switch m.Status {
		case pipeline.MarkConfirmed:
			l.Findings = append(l.Findings, item(f, m))
		case pipeline.MarkFixed:
			l.Fixed = append(l.Fixed, item(f, m))
		}
	}
	if len(l.Findings) > 0 {
		l.Closing = append(l.Closing, "请你单位对上述问题逐项核实整改，于收到本意见书之日起十五个工作日内修改自评报告并重新报送，同时书面说明整改情况。")
	} else {
		l.Closing = append(l.Closing, "经审核，未发现需要你单位整改的问题。")
	}
	if rev != nil {
		if c := strings.TrimSpace(rev.State.Comment); c != "" {
			l.Closing = append(l.Closing, "其他意见："+c)
		}
	}
	return l
}

func subject(r pipeline.Report) string {
	var b strings.Builder
	b.WriteString(r.Organization)
	if r.Year > 0 {
		b.WriteString(report.Year(r.Year) + "度")
	}
	if r.Project != "" {
		b.WriteString(r.Project)
	} else if r.Kind == pipeline.KindDepartment {
		b.WriteString("部门整体支出")
	}
	b.WriteString("绩效自评报告")
	return b.String()
}

func projectText(r pipeline.Report) string {
	if r.Project != "" {
		return r.Project
	}
	return report.Kind(r.Kind)
}

func dateText(t time.Time) string {
	if t.IsZero() {
		t = time.Now()
	}
	return t.Format("2006年1月2日")
}

// reviewerOf is the name the letter is signed with: the one given, else
// the report status's, else the mark's of the latest mark.
func reviewerOf(given string, rev *report.Review) string {
	if s := strings.TrimSpace(given); s != "" {
		return s
	}
	if rev == nil {
		return ""
	}
	if rev.State.Reviewer != "" {
		return rev.State.Reviewer
	}
	name, at := "", time.Time{}
	for _, m := range rev.Marks {
		if m.Reviewer != "" && m.At.After(at) {
			name, at = m.Reviewer, m.At
		}
	}
	return name
}

func item(f pipeline.Finding, m *pipeline.Mark) Item {
	it := Item{Heading: report.RuleName(f.Rule), Rule: f.Rule, Severity: report.Severity(f.Severity),
		Message: f.Message, Comment: strings.TrimSpace(m.Comment), Correction: correction(f.Rule)}
	for _, v := range report.FindingValues(f.Rule, f.Values) {
		label := v.Label
		if label == "" {
			label = v.Key
		}
		it.Figures = append(it.Figures, label+"："+v.Value)
	}
	for _, e := range f.Evidence {
		if q := strings.Join(strings.Fields(e.Quote), " "); q != "" { // a quote of table cells spans lines
			it.Evidence = append(it.Evidence, where(e)+"：「"+q+"」")
		}
	}
	return it
}

func where(e pipeline.Evidence) string {
	var parts []string
	if e.Page > 0 {
		parts = append(parts, "第"+itoa(e.Page)+"页")
	}
	if e.Line > 0 {
		parts = append(parts, "第"+itoa(e.Line)+"行")
	}
	if len(parts) == 0 {
		return "原文"
	}
	return "原文" + strings.Join(parts, "")
}

// corrections are what a body is asked to do about a finding of each rule.
var corrections = map[string]string{
	"budget.items_sum_mismatch":       "核对各分项金额与合计数，更正报告中的金额表述，使分项之和与合计一致。",
	"budget.execution_rate_mismatch":  "按“执行数 ÷ 预算数”重新计算预算执行率，并统一报告中的执行率表述。",
	"budget.execution_exceeds_budget": "说明执行数超过预算的原因及资金来源，或更正执行数。",
	"budget.missing_execution":        "补充全年预算执行数和预算执行率。",
	"budget.execution_score_mismatch": "按“分值 × 预算执行率”重新计算预算执行率指标得分。",
	"score.grade_mismatch":            "按得分对应的等级区间（优≥90、良80–90、中60–80、差<60）更正自评等级。",
	"score.out_of_range":              "核实并更正超出分值或超出0–100范围的得分。",
	"score.sum_mismatch":              "核对各指标得分，使其合计与自评总分一致。",
	"date.year_mismatch":              "核实并统一报告中涉及的年度，确保所述事项属于评价年度。",
	"text.duplicate_passage":          "删除或改写重复的段落。",
	"text.suspected_typo":             "更正错别字。",
	"structure.missing_section":       "按自评报告模板补齐缺少的章节。",
	"structure.numbering":             "理顺章节编号。",
	"problems.missing":                "如实查找并写明项目实施中存在的问题及原因。",
	"indicator.score_inflated":        "按实际完成值与年度指标值的比例重新计算指标得分，不得虚高。",
	"indicator.unverifiable_actual":   "以可核实的数据填写实际完成值，并提供佐证材料。",
	"indicator.deviation_unexplained": "补充未完成指标的偏差原因分析及改进措施。",
	"indicator.target_vague":          "将绩效指标细化为可衡量的数量、质量、时效或成本指标。",
	"history.copied_passage":          "结合本年度实际情况撰写报告，不得照搬往年内容。",
	"history.recurring_problem":       "说明往年提出问题的整改情况，对仍未整改的问题制定整改措施和时限。",
}

func correction(rule string) string {
	if c := corrections[rule]; c != "" {
		return c
	}
	return "核实并更正。"
}

func itoa(n int) string { return strconv.Itoa(n) }
