package report

import (
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jixiao/jixiao/pipeline"
)

// This file is the one place where figures are worded for reviewers: the
// terminal, Markdown and HTML reports, the web pages, the workbooks and the
// CLI all take their Chinese wording from here, so that a year, an amount or
// a severity reads the same wherever a reviewer meets it.

// Dash stands for a value the report does not state.
const Dash = "—"

func itoa(n int) string { return strconv.Itoa(n) }

// OrDash is s, or Dash when s is blank.
func OrDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return Dash
	}
	return s
}

// Year is 2022年, or Dash for an unknown year (0).
func Year(y int) string {
	if y == 0 {
		return Dash
	}
	return itoa(y) + "年"
}

// Kind names a report's kind: 项目支出 or 部门整体支出.
func Kind(kind string) string {
	switch kind {
	case pipeline.KindProject:
		return "项目支出"
	case pipeline.KindDepartment:
		return "部门整体支出"
	}
	return OrDash(kind)
}

// Severity is the Chinese label of a finding's severity; 其他 for one the
// rules do not define, so that nothing is shown without a label.
func Severity(s string) string {
	switch s {
	case pipeline.SeverityError:
		return "错误"
	case pipeline.SeverityWarning:
		return "警告"
	case pipeline.SeverityInfo:
		return "提示"
	}
	return "其他"
}

// SeverityClass maps a severity to a CSS class from a fixed set, so that a
// stored severity string never becomes markup.
func SeverityClass(s string) string {
	switch s {
	case pipeline.SeverityError, pipeline.SeverityWarning, pipeline.SeverityInfo:
		return "sev-" + s
	}
	return "sev-other"
}

func pagesText(n int) string {
	if n <= 0 {
		return "未知"
	}
	return itoa(n) + " 页"
}

func extractorText(s pipeline.Source) string {
	format := map[string]string{"text": "文本文件", "pdf": "PDF", "image": "图像"}[s.Format]
	if format == "" {
		format = OrDash(s.Format)
	}
	if s.Extractor == "" {
		return format
	}
	if o := OCRText(s); o != "" {
		return format + "（" + s.Extractor + "）；" + o
	}
	return format + "（" + s.Extractor + "）"
}

// OCRText says that a document (or some of its pages) was read by OCR
// from a scan, and how sure OCR was of its pages: "扫描件，OCR 识别共 3
// 页，平均置信度 87.5%–91.4%，数字请以原件为准". "" for a document not
// recognised.
func OCRText(s pipeline.Source) string {
	if s.OCR == nil || len(s.OCR.Pages) == 0 {
		return ""
	}
	ps := s.OCR.Pages
	lo, hi := ps[0].Confidence, ps[0].Confidence
	for _, p := range ps {
		lo, hi = min(lo, p.Confidence), max(hi, p.Confidence)
	}
	pages := "第 " + itoa(ps[0].Page) + " 页"
	if len(ps) > 1 {
		pages = "共 " + itoa(len(ps)) + " 页"
	}
	conf := strconv.FormatFloat(lo, 'f', 1, 64) + "%"
	if hi != lo {
		conf += "–" + strconv.FormatFloat(hi, 'f', 1, 64) + "%"
	}
	return "扫描件，OCR 识别" + pages + "，平均置信度 " + conf + "，数字请以原件为准"
}

// Unsure is the mark of a figure OCR was unsure of: "OCR 置信度 62%，请核对
// 原件"; "" for any other evidence.
func Unsure(e pipeline.Evidence) string {
	if !e.Unsure() {
		return ""
	}
	return "OCR 置信度 " + strconv.FormatFloat(e.Confidence, 'f', 0, 64) + "%，请核对原件"
}

// Amount is the amount in 万元, the unit reviewers read: 526 万元.
func Amount(a *pipeline.Amount) string {
	if a == nil {
		return Dash
	}
	return a.Wan() + " 万元"
}

// Yuan is the amount in yuan as the report states it: 5260000 元.
func Yuan(a *pipeline.Amount) string {
	if a == nil {
		return Dash
	}
	return a.Yuan() + " 元"
}

// Percent is a rate with its unit: 98.5%.
func Percent(d *pipeline.Decimal) string {
	if d == nil {
		return Dash
	}
	return d.Trim() + "%"
}

// Decimal is a score or weight without trailing zeros: 90.5.
func Decimal(d *pipeline.Decimal) string {
	if d == nil {
		return Dash
	}
	return d.Trim()
}

// Signed renders a difference with its sign: +1.5, -0.25, 0.
func Signed(d *pipeline.Decimal) string {
	if d == nil {
		return Dash
	}
	s := d.Trim()
	if d.Units > 0 {
		s = "+" + s
	}
	return s
}

// valueLabels names the figures rules put in Finding.Values. A key not
// listed is shown as written.
var valueLabels = map[string]string{
	"total_yuan":          "合计",
	"items_sum_yuan":      "分项合计",
	"difference_yuan":     "差额",
	"diff_yuan":           "差额",
	"planned_yuan":        "年初预算",
	"adjusted_yuan":       "全年预算",
	"budget_yuan":         "预算数",
	"executed_yuan":       "全年执行",
	"execution_rate":      "执行率",
	"stated_rate":         "报告执行率",
	"computed_rate":       "计算执行率",
	"recomputed_rate":     "计算执行率",
	"rate":                "执行率",
	"score":               "得分",
	"stated_score":        "自评得分",
	"recomputed_score":    "复核得分",
	"proportional_score":  "按比例应得分",
	"expected_score":      "应得分",
	"weight":              "分值",
	"stated_total":        "自评总分",
	"indicator_sum":       "指标得分合计",
	"sum":                 "合计",
	"total":               "总分",
	"grade":               "等级",
	"stated_grade":        "报告等级",
	"expected_grade":      "应属等级",
	"year":                "年度",
	"budget_year":         "预算年度",
	"other_year":          "其他年份",
	"years":               "年份",
	"found":               "原文",
	"typo":                "疑似错字",
	"wrong":               "疑似错字",
	"correct":             "应为",
	"suggestion":          "应为",
	"section":             "缺少章节",
	"sections":            "缺少章节",
	"missing":             "缺少",
	"count":               "出现次数",
	"occurrences":         "出现次数",
	"chars":               "字数",
	"length":              "字数",
	"passage":             "段落",
	"indicator":           "指标",
	"target":              "目标值",
	"actual":              "实际值",
	"number":              "编号",
	"expected":            "应为",
	"items":               "分项个数",
	"rows_sum":            "各行得分合计",
	"right":               "应为",
	"level":               "标题层级",
	"proportional":        "按比例应得分",
	"deviation":           "偏差原因",
	"earlier_problem":     "往年问题",
	"earlier_name":        "往年报告",
	"previous_year":       "往年年度",
	"earlier_year":        "往年年度",
	"similarity":          "相似度",
	"earlier_report_id":   "往年报告编号",
	"earlier_report":      "往年报告",
	"execution_row_score": "预算执行率得分",
}

// ruleValueLabels names a figure whose meaning depends on the rule.
var ruleValueLabels = map[string]map[string]string{
	"budget.execution_score_mismatch": {"expected": "应得分"},
	"structure.numbering":             {"expected": "应为编号"},
}

// Figure is one figure a finding names, ready to print: its key as the
// rules write it, its Chinese label ("" for a key without one), its value.
type Figure struct{ Key, Label, Value string }

// FindingValues renders a finding's figures in a stable order (by key) with
// Chinese labels, each by its kind: amounts in 万元, rates with %.
func FindingValues(rule string, values pipeline.Values) []Figure {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]Figure, 0, len(keys))
	for _, k := range keys {
		label := ruleValueLabels[rule][k]
		if label == "" {
			label = valueLabels[k]
		}
		out = append(out, Figure{Key: k, Label: label, Value: ValueText(values[k])})
	}
	return out
}

// valueFields are a finding's figures labelled for text: a key without a
// Chinese label is shown as written.
func valueFields(rule string, values pipeline.Values) []field {
	figs := FindingValues(rule, values)
	out := make([]field, len(figs))
	for i, f := range figs {
		label := f.Label
		if label == "" {
			label = f.Key
		}
		out[i] = field{label, f.Value}
	}
	return out
}

// ValueText is one figure of a finding as a reviewer reads it, by its kind.
func ValueText(v pipeline.Value) string {
	switch v.Kind {
	case pipeline.ValueAmount:
		return Amount(v.Amount)
	case pipeline.ValuePercent:
		return Percent(v.Number)
	case pipeline.ValueNumber:
		return Decimal(v.Number)
	case pipeline.ValueRatio:
		return ratioText(v.Number)
	case pipeline.ValueYear, pipeline.ValueCount, pipeline.ValueID:
		return strconv.FormatInt(v.Int, 10)
	case pipeline.ValueList:
		return strings.Join(v.List, "、")
	}
	return OrDash(v.Text)
}

// ratioText shows a 0–1 fraction as a whole percentage: 0.85 is 85%.
func ratioText(d *pipeline.Decimal) string {
	if d == nil {
		return Dash
	}
	pct := pipeline.DecimalFromRat(new(big.Rat).Mul(d.Rat(), big.NewRat(100, 1)), 0)
	return pct.Trim() + "%"
}

// auditView is the re-scored indicator table.
type auditView struct {
	Rows       []auditRowView
	Stated     string
	Recomputed string
	Difference string
	Changed    int // rows whose recomputed score differs from the stated one
}

type auditRowView struct {
	pipeline.AuditRow
	StatusText string
	Off        bool // the stated score differs from the recomputed one
}

var auditStatuses = map[string]string{
	"met":          "达成",
	"missed":       "未达成",
	"qualitative":  "定性指标",
	"unverifiable": "无法核实",
	"unknown":      "无法判断",
}

// AuditStatus names the outcome of re-scoring one indicator row.
func AuditStatus(status string) string {
	if label := auditStatuses[status]; label != "" {
		return label
	}
	return OrDash(status)
}

func newAuditView(a *pipeline.IndicatorAudit) *auditView {
	if a == nil {
		return nil
	}
	av := &auditView{
		Stated:     Decimal(a.StatedTotal),
		Recomputed: Decimal(a.RecomputedTotal),
		Difference: Dash,
	}
	if a.StatedTotal != nil && a.RecomputedTotal != nil {
		d := a.StatedTotal.Sub(*a.RecomputedTotal)
		av.Difference = Signed(&d)
	}
	for _, r := range a.Rows {
		label := AuditStatus(r.Status)
		off := r.Difference != nil && r.Difference.Units != 0
		if off {
			av.Changed++
		}
		av.Rows = append(av.Rows, auditRowView{AuditRow: r, StatusText: label, Off: off})
	}
	return av
}

// Cells are the table cells of a row, in column order (see auditColumns).
func (r auditRowView) Cells() []string {
	return []string{
		OrDash(r.Name), OrDash(r.Target), OrDash(r.Actual), r.StatusText,
		Decimal(r.Weight), Decimal(r.Stated), Decimal(r.Recomputed), Signed(r.Difference),
	}
}

var auditColumns = []string{"指标", "目标值", "实际值", "结果", "分值", "自评得分", "复核得分", "自评−复核"}

// ruleNames are the Chinese names of the rules of the extraction contract
// (extract-v1.md); the rule id stays beside them as a secondary label.
var ruleNames = map[string]string{
	"budget.items_sum_mismatch":       "分项之和与合计不符",
	"budget.execution_rate_mismatch":  "执行率与执行数、预算数不符",
	"budget.execution_exceeds_budget": "执行数超过预算",
	"budget.missing_execution":        "未说明预算执行情况",
	"budget.execution_score_mismatch": "预算执行率得分计算有误",
	"score.grade_mismatch":            "等级与得分不符",
	"score.out_of_range":              "得分超出范围",
	"score.sum_mismatch":              "指标得分之和与总分不符",
	"date.year_mismatch":              "年度表述不一致",
	"text.duplicate_passage":          "段落重复",
	"text.suspected_typo":             "疑似错别字",
	"structure.missing_section":       "缺少必备章节",
	"structure.numbering":             "章节编号不连续",
	"problems.missing":                "未写明存在的问题",
	"indicator.score_inflated":        "指标自评得分虚高",
	"indicator.unverifiable_actual":   "实际完成值无法核实",
	"indicator.deviation_unexplained": "未分析偏差原因",
	"indicator.target_vague":          "指标目标无法衡量",
	"history.copied_passage":          "与往年报告雷同",
	"history.recurring_problem":       "问题跨年度重复出现",
	"document.not_a_report":           "不像绩效自评报告",
}

// RuleName is the Chinese name of a rule; an unknown rule is shown by its id.
func RuleName(rule string) string {
	if n := ruleNames[rule]; n != "" {
		return n
	}
	return OrDash(rule)
}

// RuleIDs lists the rules with a Chinese name, sorted by id: the choices
// of a filter by rule.
func RuleIDs() []string {
	ids := make([]string, 0, len(ruleNames))
	for id := range ruleNames {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

var markLabels = map[string]string{
	pipeline.MarkConfirmed:  "已核实",
	pipeline.MarkFalseAlarm: "误报",
	pipeline.MarkFixed:      "已整改",
}

// MarkLabel is the Chinese word of a finding's mark; "" for no mark.
func MarkLabel(status string) string { return markLabels[status] }

var reviewLabels = map[string]string{
	pipeline.ReviewPending:  "待审",
	pipeline.ReviewActive:   "审核中",
	pipeline.ReviewDone:     "已审",
	pipeline.ReviewReturned: "退回",
}

// ReviewLabel is the Chinese word of a report's review status; 待审 for
// none.
func ReviewLabel(status string) string {
	if l := reviewLabels[status]; l != "" {
		return l
	}
	return reviewLabels[pipeline.ReviewPending]
}

// ParseMark reads a mark as a reviewer types it: the Chinese word or the
// English code ("" and 无 clear it). ok is false for anything else.
func ParseMark(s string) (status string, ok bool) {
	return parseLabel(strings.TrimSpace(s), markLabels, "无", "none", "clear")
}

// ParseReviewStatus reads a report status as the Chinese word or the code.
func ParseReviewStatus(s string) (status string, ok bool) {
	st, ok := parseLabel(strings.TrimSpace(s), reviewLabels)
	return st, ok && st != ""
}

func parseLabel(s string, labels map[string]string, clear ...string) (string, bool) {
	if s == "" {
		return "", len(clear) > 0
	}
	for _, c := range clear {
		if s == c {
			return "", true
		}
	}
	for code, label := range labels {
		if s == code || s == label {
			return code, true
		}
	}
	return "", false
}

// TimeText is a recorded time as a reviewer reads it: local, to the
// second; Dash for none.
func TimeText(t time.Time) string {
	if t.IsZero() {
		return Dash
	}
	return t.Local().Format("2006-01-02 15:04:05")
}

// SortBySeverity orders findings most serious first, keeping the rules'
// order within a severity.
func SortBySeverity(fs []pipeline.Finding) []pipeline.Finding {
	out := append([]pipeline.Finding(nil), fs...)
	sort.SliceStable(out, func(i, j int) bool {
		return pipeline.SeverityRank(out[i].Severity) > pipeline.SeverityRank(out[j].Severity)
	})
	return out
}
