package web

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/jixiao/jixiao/internal/report"
	"github.com/jixiao/jixiao/pipeline"
)

// writeXLSX writes the consistency report as a workbook: 概要 (the fields),
// 发现 (one row per finding), and, when the report has them, 绩效自评表 and
// 逐行复核. Every cell is written as text — figures keep the exact digits
// the report and the checks produced, and nothing a report says can become
// a formula.
func writeXLSX(w io.Writer, ext *pipeline.Extraction) error {
	f := excelize.NewFile()
	defer f.Close()
	sheets := []struct {
		name string
		rows [][]string
	}{
		{"概要", summaryRows(ext)},
		{"发现", findingRows(ext)},
	}
	if len(ext.Report.Indicators) > 0 {
		sheets = append(sheets, struct {
			name string
			rows [][]string
		}{"绩效自评表", indicatorRows(ext.Report)})
	}
	if ext.Audit != nil {
		sheets = append(sheets, struct {
			name string
			rows [][]string
		}{"逐行复核", auditRows(ext.Audit)})
	}
	for i, sh := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh.name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(sh.name); err != nil {
			return err
		}
		if err := fillSheet(f, sh.name, sh.rows); err != nil {
			return fmt.Errorf("sheet %s: %w", sh.name, err)
		}
	}
	return f.Write(w)
}

func fillSheet(f *excelize.File, sheet string, rows [][]string) error {
	for i, row := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		vals := make([]any, len(row))
		for j, v := range row {
			vals[j] = v
		}
		if err := f.SetSheetRow(sheet, cell, &vals); err != nil {
			return err
		}
	}
	return f.SetColWidth(sheet, "A", "H", 22)
}

func summaryRows(ext *pipeline.Extraction) [][]string {
	r := ext.Report
	ev := func(k string) string { return r.Evidence[k].Quote }
	return [][]string{
		{"字段", "值", "原文"},
		{"文件", ext.Source.Name, ""},
		{"SHA-256", ext.Source.SHA256, ""},
		{"单位", r.Organization, ev("organization")},
		{"项目", r.Project, ev("project")},
		{"类型", report.Kind(r.Kind), ""},
		{"年度", report.Year(r.Year), ev("year")},
		{"年初预算（万元）", trimWan(r.Budget.Planned), ev("planned")},
		{"全年预算（万元）", trimWan(r.Budget.Adjusted), ev("adjusted")},
		{"全年执行（万元）", trimWan(r.Budget.Executed), ev("executed")},
		{"预算执行率（%）", report.Decimal(r.Budget.ExecutionRate), ev("execution_rate")},
		{"自评得分", report.Decimal(r.Score), ev("score")},
		{"等级", report.OrDash(r.Grade), ev("grade")},
		{"问题", strings.Join(r.Problems, "\n"), ""},
		{"发现数", fmt.Sprint(len(ext.Findings)), ""},
	}
}

func trimWan(a *pipeline.Amount) string {
	if a == nil {
		return report.Dash
	}
	return a.Wan()
}

func findingRows(ext *pipeline.Extraction) [][]string {
	rows := [][]string{{"序号", "严重程度", "规则", "说明", "数值", "原文引文", "行", "页"}}
	for i, f := range ext.Findings {
		var vals []string
		for _, v := range report.FindingValues(f.Rule, f.Values) {
			vals = append(vals, v.Key+" = "+v.Value)
		}
		sort.Strings(vals)
		var quotes, lines, pages []string
		for _, e := range f.Evidence {
			quotes = append(quotes, e.Quote)
			lines = append(lines, fmt.Sprint(e.Line))
			pages = append(pages, fmt.Sprint(e.Page))
		}
		rows = append(rows, []string{fmt.Sprint(i + 1), report.Severity(f.Severity), f.Rule, f.Message,
			strings.Join(vals, "\n"), strings.Join(quotes, "\n"), strings.Join(lines, "、"), strings.Join(pages, "、")})
	}
	return rows
}

func indicatorRows(r pipeline.Report) [][]string {
	rows := [][]string{{"一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析"}}
	for _, in := range r.Indicators {
		rows = append(rows, []string{in.Level1, in.Level2, in.Level3, in.Target, in.Actual,
			report.Decimal(in.Weight), report.Decimal(in.Score), in.Deviation})
	}
	return rows
}

func auditRows(a *pipeline.IndicatorAudit) [][]string {
	rows := [][]string{{"指标", "目标", "实际", "判断", "分值", "自评", "复核", "差额", "计算过程"}}
	for _, row := range a.Rows {
		rows = append(rows, []string{row.Name, row.Target, row.Actual, report.AuditStatus(row.Status),
			report.Decimal(row.Weight), report.Decimal(row.Stated), report.Decimal(row.Recomputed), report.Decimal(row.Difference), row.Arithmetic})
	}
	return append(rows, []string{"合计", "", "", "", "", report.Decimal(a.StatedTotal), report.Decimal(a.RecomputedTotal), "", ""})
}
