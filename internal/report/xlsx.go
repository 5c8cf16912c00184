package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/jixiao/jixiao/pipeline"
)

// Workbook writes an Excel workbook sheet after sheet, each through a
// stream writer, so that a workbook of many thousand rows stays small in
// memory. It is the one way the project writes Excel: one extraction's
// review (XLSX) and the store's export use it alike.
type Workbook struct {
	f      *excelize.File
	sheets int
}

// NewWorkbook starts an empty workbook; Close releases it.
func NewWorkbook() *Workbook { return &Workbook{f: excelize.NewFile()} }

// Sheet adds the sheet name after the ones already written and fills it.
func (b *Workbook) Sheet(name string, fill func(*Sheet) error) error {
	if b.sheets == 0 {
		if err := b.f.SetSheetName("Sheet1", name); err != nil {
			return err
		}
	} else if _, err := b.f.NewSheet(name); err != nil {
		return err
	}
	b.sheets++
	sw, err := b.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	if err := fill(&Sheet{sw: sw}); err != nil {
		return fmt.Errorf("sheet %s: %w", name, err)
	}
	return sw.Flush()
}

// Write writes the workbook as an .xlsx file.
func (b *Workbook) Write(w io.Writer) error { return b.f.Write(w) }

// Close releases the workbook's temporary data.
func (b *Workbook) Close() error { return b.f.Close() }

// Sheet appends rows to one sheet of a Workbook.
type Sheet struct {
	sw  *excelize.StreamWriter
	row int
}

// Header sets the width of the named columns and writes their names as the
// sheet's first row.
func (s *Sheet) Header(width float64, names ...string) error {
	if err := s.sw.SetColWidth(1, len(names), width); err != nil {
		return err
	}
	cells := make([]any, len(names))
	for i, n := range names {
		cells[i] = n
	}
	return s.Row(cells...)
}

// Row appends a row of cells, each written as Cell makes it.
func (s *Sheet) Row(cells ...any) error {
	s.row++
	at, err := excelize.CoordinatesToCellName(1, s.row)
	if err != nil {
		return err
	}
	typed := make([]any, len(cells))
	for i, c := range cells {
		typed[i] = Cell(c)
	}
	return s.sw.SetRow(at, typed)
}

// Cell is what a workbook cell holds for v: an amount as a number of yuan
// and a decimal as a number (the closest double to the exact value, which
// Excel shows as written), an unstated amount or decimal as an empty cell,
// and anything else as given. A string stays text: nothing a report says
// becomes a formula.
func Cell(v any) any {
	switch x := v.(type) {
	case *pipeline.Amount:
		if x == nil {
			return ""
		}
		return Cell(*x)
	case *pipeline.Decimal:
		if x == nil {
			return ""
		}
		return Cell(*x)
	case pipeline.Amount:
		return numberCell(x.Yuan())
	case pipeline.Decimal:
		return numberCell(x.Trim())
	}
	return v
}

// IntOrEmpty is n, or an empty cell for 0, which stands for a year or page
// the report does not state.
func IntOrEmpty(n int) any {
	if n == 0 {
		return ""
	}
	return n
}

func numberCell(s string) any {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	return v
}

// XLSX writes the review of one extraction as a workbook: 概要 (the
// fields), 发现 (one row per finding), and, when the report has them,
// 绩效自评表 and 逐行复核. Every cell is text, worded as in the other
// reports — figures keep the exact digits the report and the checks
// produced.
func XLSX(w io.Writer, ext *pipeline.Extraction) error {
	b := NewWorkbook()
	defer b.Close()
	if err := b.Sheet("概要", func(s *Sheet) error { return summarySheet(s, ext) }); err != nil {
		return err
	}
	if err := b.Sheet("发现", func(s *Sheet) error { return findingSheet(s, ext.Findings) }); err != nil {
		return err
	}
	if len(ext.Report.Indicators) > 0 {
		if err := b.Sheet("绩效自评表", func(s *Sheet) error { return indicatorSheet(s, ext.Report.Indicators) }); err != nil {
			return err
		}
	}
	if ext.Audit != nil {
		if err := b.Sheet("逐行复核", func(s *Sheet) error { return auditSheet(s, ext.Audit) }); err != nil {
			return err
		}
	}
	return b.Write(w)
}

// xlsxWidth is the width of every column of the review workbook.
const xlsxWidth = 22

// textRows writes a header and rows of text cells.
func textRows(s *Sheet, header []string, body [][]string) error {
	if err := s.Header(xlsxWidth, header...); err != nil {
		return err
	}
	for _, r := range body {
		cells := make([]any, len(r))
		for i, c := range r {
			cells[i] = c
		}
		if err := s.Row(cells...); err != nil {
			return err
		}
	}
	return nil
}

func summarySheet(s *Sheet, ext *pipeline.Extraction) error {
	r := ext.Report
	ev := func(k string) string { return r.Evidence[k].Quote }
	return textRows(s, []string{"字段", "值", "原文"}, [][]string{
		{"文件", ext.Source.Name, ""},
		{"SHA-256", ext.Source.SHA256, ""},
		{"单位", r.Organization, ev("organization")},
		{"项目", r.Project, ev("project")},
		{"类型", Kind(r.Kind), ""},
		{"年度", Year(r.Year), ev("year")},
		{"年初预算（万元）", wanNumber(r.Budget.Planned), ev("planned")},
		{"全年预算（万元）", wanNumber(r.Budget.Adjusted), ev("adjusted")},
		{"全年执行（万元）", wanNumber(r.Budget.Executed), ev("executed")},
		{"预算执行率（%）", Decimal(r.Budget.ExecutionRate), ev("execution_rate")},
		{"自评得分", Decimal(r.Score), ev("score")},
		{"等级", OrDash(r.Grade), ev("grade")},
		{"问题", strings.Join(r.Problems, "\n"), ""},
		{"发现数", itoa(len(ext.Findings)), ""},
	})
}

// wanNumber is the amount in 万元 without its unit, for a column that
// names the unit.
func wanNumber(a *pipeline.Amount) string {
	if a == nil {
		return Dash
	}
	return a.Wan()
}

func findingSheet(s *Sheet, findings []pipeline.Finding) error {
	var out [][]string
	for i, f := range findings {
		var vals []string
		for _, v := range FindingValues(f.Rule, f.Values) {
			vals = append(vals, v.Key+" = "+v.Value)
		}
		var quotes, lines, pages []string
		for _, e := range f.Evidence {
			quotes = append(quotes, e.Quote)
			if e.Line > 0 {
				lines = append(lines, itoa(e.Line))
			} else {
				lines = append(lines, Where(e)) // a Word paragraph, a workbook cell
			}
			pages = append(pages, itoa(e.Page))
		}
		out = append(out, []string{itoa(i + 1), Severity(f.Severity), f.Rule, f.Message,
			strings.Join(vals, "\n"), strings.Join(quotes, "\n"), strings.Join(lines, "、"), strings.Join(pages, "、")})
	}
	return textRows(s, []string{"序号", "严重程度", "规则", "说明", "数值", "原文引文", "行（或段、单元格）", "页"}, out)
}

func indicatorSheet(s *Sheet, indicators []pipeline.Indicator) error {
	var out [][]string
	for _, in := range indicators {
		out = append(out, []string{in.Level1, in.Level2, in.Level3, in.Target, in.Actual,
			Decimal(in.Weight), Decimal(in.Score), in.Deviation})
	}
	return textRows(s, []string{"一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析"}, out)
}

func auditSheet(s *Sheet, a *pipeline.IndicatorAudit) error {
	var out [][]string
	for _, row := range a.Rows {
		out = append(out, []string{row.Name, row.Target, row.Actual, AuditStatus(row.Status),
			Decimal(row.Weight), Decimal(row.Stated), Decimal(row.Recomputed), Decimal(row.Difference), row.Arithmetic})
	}
	out = append(out, []string{"合计", "", "", "", "", Decimal(a.StatedTotal), Decimal(a.RecomputedTotal), "", ""})
	return textRows(s, []string{"指标", "目标", "实际", "判断", "分值", "自评", "复核", "差额", "计算过程"}, out)
}
