package report

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/jixiao/jixiao/pipeline"
)

const dash = "—"

func itoa(n int) string { return strconv.Itoa(n) }

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return dash
	}
	return s
}

func yearText(y int) string {
	if y == 0 {
		return dash
	}
	return itoa(y) + "年"
}

func kindText(kind string) string {
	switch kind {
	case pipeline.KindProject:
		return "项目支出"
	case pipeline.KindDepartment:
		return "部门整体支出"
	}
	return orDash(kind)
}

func pagesText(n int) string {
	if n <= 0 {
		return "未知"
	}
	return itoa(n) + " 页"
}

func extractorText(s pipeline.Source) string {
	format := map[string]string{"text": "文本文件", "pdf": "PDF"}[s.Format]
	if format == "" {
		format = orDash(s.Format)
	}
	if s.Extractor == "" {
		return format
	}
	return format + "（" + s.Extractor + "）"
}

func amountText(a *pipeline.Amount) string {
	if a == nil {
		return dash
	}
	return a.Wan() + " 万元"
}

func percentText(d *pipeline.Decimal) string {
	if d == nil {
		return dash
	}
	return d.Trim() + "%"
}

func decimalText(d *pipeline.Decimal) string {
	if d == nil {
		return dash
	}
	return d.Trim()
}

// signedText renders a difference with its sign: +1.5, -0.25, 0.
func signedText(d *pipeline.Decimal) string {
	if d == nil {
		return dash
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

// valueFields renders a finding's figures in a stable order (by key) with
// Chinese labels; amounts in 万元, rates with %.
func valueFields(rule string, values map[string]any) []field {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]field, 0, len(keys))
	for _, k := range keys {
		label := ruleValueLabels[rule][k]
		if label == "" {
			label = valueLabels[k]
		}
		if label == "" {
			label = k
		}
		out = append(out, field{label, formatValue(k, values[k])})
	}
	return out
}

func formatValue(key string, v any) string {
	switch x := v.(type) {
	case nil:
		return dash
	case pipeline.Amount:
		return x.Wan() + " 万元"
	case *pipeline.Amount:
		return amountText(x)
	case pipeline.Decimal:
		return withUnit(key, x.Trim())
	case *pipeline.Decimal:
		if x == nil {
			return dash
		}
		return withUnit(key, x.Trim())
	case string:
		return orDash(x)
	case bool:
		if x {
			return "是"
		}
		return "否"
	case []string:
		return strings.Join(x, "、")
	case []int:
		parts := make([]string, len(x))
		for i, n := range x {
			parts[i] = itoa(n)
		}
		return strings.Join(parts, "、")
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = formatValue(key, e)
		}
		return strings.Join(parts, "、")
	}
	if num, ok := numberText(v); ok {
		if key == "similarity" {
			return similarityText(v, num)
		}
		return withUnit(key, num)
	}
	if b, err := json.Marshal(v); err == nil {
		return string(b)
	}
	return fmt.Sprint(v)
}

// similarityText shows a 0–1 similarity as a percentage.
func similarityText(v any, num string) string {
	if f, ok := v.(float64); ok && f >= 0 && f <= 1 {
		return strconv.FormatFloat(f*100, 'f', 0, 64) + "%"
	}
	return num
}

// numberText renders any Go or JSON-decoded number exactly as written.
func numberText(v any) (string, bool) {
	switch x := v.(type) {
	case int:
		return strconv.Itoa(x), true
	case int32:
		return strconv.FormatInt(int64(x), 10), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case json.Number:
		return x.String(), true
	}
	return "", false
}

// withUnit reads a plain number by its key: yuan figures become 万元, rates
// get %.
func withUnit(key, num string) string {
	switch {
	case strings.HasSuffix(key, "_yuan"):
		if fen, err := pipeline.ParseFen(num); err == nil {
			return pipeline.Amount{Fen: fen}.Wan() + " 万元"
		}
	case strings.Contains(key, "rate") || strings.HasSuffix(key, "_percent"):
		return num + "%"
	}
	return num
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

var statusLabels = map[string]string{
	"met":          "达成",
	"missed":       "未达成",
	"qualitative":  "定性指标",
	"unverifiable": "无法核实",
	"unknown":      "无法判断",
}

func newAuditView(a *pipeline.IndicatorAudit) *auditView {
	if a == nil {
		return nil
	}
	av := &auditView{
		Stated:     decimalText(a.StatedTotal),
		Recomputed: decimalText(a.RecomputedTotal),
		Difference: dash,
	}
	if a.StatedTotal != nil && a.RecomputedTotal != nil {
		d := a.StatedTotal.Sub(*a.RecomputedTotal)
		av.Difference = signedText(&d)
	}
	for _, r := range a.Rows {
		label := statusLabels[r.Status]
		if label == "" {
			label = orDash(r.Status)
		}
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
		orDash(r.Name), orDash(r.Target), orDash(r.Actual), r.StatusText,
		decimalText(r.Weight), decimalText(r.Stated), decimalText(r.Recomputed), signedText(r.Difference),
	}
}

var auditColumns = []string{"指标", "目标值", "实际值", "结果", "分值", "自评得分", "复核得分", "自评−复核"}
