package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/jixiao/jixiao/pipeline"
)

const dash = "—"

// templateFuncs are the formatting helpers the pages use. Each returns plain
// text; html/template escapes it where it lands.
var templateFuncs = template.FuncMap{
	"wan":      wanText,
	"yuan":     yuanText,
	"dec":      decText,
	"pct":      func(d *pipeline.Decimal) string { return withUnit(decText(d), "%") },
	"orDash":   orDash,
	"year":     yearText,
	"kind":     kindText,
	"sevLabel": severityLabel,
	"sevClass": severityClass,
	"orgURL":   orgURL,
	"seriesURL": func(org, project string) string {
		return seriesURL(org, project)
	},
	"reportURL": func(id int64) string { return "/reports/" + strconv.FormatInt(id, 10) },
	"add":       func(a, b int) int { return a + b },
	"joinYears": joinYears,
	"pctFloat":  func(f float64) string { return strconv.FormatFloat(f*100, 'f', 0, 64) + "%" },
}

func wanText(a *pipeline.Amount) string {
	if a == nil {
		return dash
	}
	return a.Wan() + " 万元"
}

func yuanText(a *pipeline.Amount) string {
	if a == nil {
		return dash
	}
	return a.Yuan() + " 元"
}

func decText(d *pipeline.Decimal) string {
	if d == nil {
		return dash
	}
	return d.Trim()
}

func withUnit(s, unit string) string {
	if s == dash {
		return s
	}
	return s + unit
}

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
	return strconv.Itoa(y)
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

func severityLabel(s string) string {
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

// severityClass maps a severity to a CSS class from a fixed set, so that a
// stored severity string never becomes markup.
func severityClass(s string) string {
	switch s {
	case pipeline.SeverityError:
		return "sev-error"
	case pipeline.SeverityWarning:
		return "sev-warning"
	case pipeline.SeverityInfo:
		return "sev-info"
	}
	return "sev-other"
}

func orgURL(org string) string {
	return "/org?" + url.Values{"name": {org}}.Encode()
}

func seriesURL(org, project string) string {
	return "/org?" + url.Values{"name": {org}, "project": {project}}.Encode()
}

func joinYears(ys []int) string {
	parts := make([]string, len(ys))
	for i, y := range ys {
		parts[i] = strconv.Itoa(y)
	}
	return strings.Join(parts, "、")
}

// valueField is one figure a finding names, ready to print: its key as the
// rules write it, a Chinese label when the key is a known one, the value.
type valueField struct{ Key, Label, Value string }

// valueLabels names the figures the rules put in a finding's values.
var valueLabels = map[string]string{
	"actual": "实际完成值", "adjusted_yuan": "全年预算", "budget_year": "预算年度", "budget_yuan": "预算数",
	"chars": "相同字数", "computed_rate": "计算的执行率", "deviation": "偏差原因分析",
	"earlier_name": "往年报告", "earlier_problem": "往年问题", "earlier_report_id": "往年报告编号",
	"earlier_year": "往年年度", "executed_yuan": "执行数", "expected": "应为", "expected_grade": "应得等级",
	"indicator": "指标", "items": "分项", "items_sum_yuan": "分项合计", "level": "层级", "missing": "缺少的部分",
	"number": "编号", "occurrences": "出现次数", "other_year": "其他年份", "planned_yuan": "年初预算",
	"proportional": "按比例应得分", "rate": "执行率", "right": "正确写法", "rows_sum": "各行得分合计",
	"score": "得分", "similarity": "相似度", "stated_grade": "所述等级", "stated_rate": "所述执行率",
	"target": "年度指标值", "total": "合计", "total_yuan": "合计金额", "weight": "分值", "wrong": "疑似错误写法",
}

// findingValues renders a finding's figures in key order. Amounts (keys
// ending in _yuan) are also shown in 万元, the unit reviewers read.
func findingValues(values map[string]any) []valueField {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]valueField, 0, len(keys))
	for _, k := range keys {
		v := valueText(values[k])
		if strings.HasSuffix(k, "_yuan") {
			if fen, err := pipeline.ParseFen(v); err == nil {
				v += " 元（" + pipeline.Amount{Fen: fen}.Wan() + " 万元）"
			}
		}
		out = append(out, valueField{Key: k, Label: valueLabels[k], Value: v})
	}
	return out
}

// valueText prints a value as JSON does, without float noise: the store
// gives numbers back as float64 or json.Number.
func valueText(v any) string {
	switch x := v.(type) {
	case nil:
		return dash
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case json.Number:
		return x.String()
	case fmt.Stringer:
		return x.String()
	case []any:
		parts := make([]string, len(x))
		for i, v := range x {
			parts[i] = valueText(v)
		}
		return strings.Join(parts, "、")
	case []string:
		return strings.Join(x, "、")
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
