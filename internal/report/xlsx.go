package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/jixiao/jixiao/pipeline"
)

// Workbook writes an Excel workbook sheet after sheet, each through a
// stream writer, so that a workbook of many thousand rows stays small in
// memory. It is the one way the project writes Excel: one extraction's
// review (XLSX) and the store's export use it alike. Every sheet it writes
// is what an office expects: a styled header row frozen in place, an
// autofilter over the columns, widths that fit, amounts in 万元 and rates
// in percent as numbers, long text wrapped, times local to the second.
type Workbook struct {
	f      *excelize.File
	sheets int
	styles map[cellStyle]int // style id of each kind of column, made once
	header int               // style id of the header row
}

// NewWorkbook starts an empty workbook; Close releases it.
func NewWorkbook() *Workbook { return &Workbook{f: excelize.NewFile(), styles: map[cellStyle]int{}} }

// CellKind is what a column's cells hold, which sets their style.
type CellKind int

const (
	ColText    CellKind = iota // a short text
	ColWrap                    // a long text, wrapped in its cell
	ColNumber                  // a count, a year, a score
	ColWan                     // an amount, shown in 万元
	ColPercent                 // a rate in percent (98.5 is 98.5%)
	ColTime                    // a point in time, local
)

// Column is one column of a sheet: its header, its width in characters
// and the kind of its cells.
type Column struct {
	Name  string
	Width float64
	Kind  CellKind
}

// Col is a column; the width 0 is a width fitting the kind.
func Col(name string, kind CellKind, width float64) Column {
	if width == 0 {
		width = map[CellKind]float64{ColText: 16, ColWrap: 48, ColNumber: 10, ColWan: 14, ColPercent: 10, ColTime: 20}[kind]
	}
	return Column{Name: name, Width: width, Kind: kind}
}

// numberFormats are the formats of the kinds that have one: thousands
// separated with up to six decimals (a 万元 figure keeps its written
// digits), a percent sign after the rate, a date and time to the second.
var numberFormats = map[CellKind]string{
	ColNumber:  "0.######",
	ColWan:     "#,##0.00####",
	ColPercent: `0.0#"%"`,
	ColTime:    "yyyy-mm-dd hh:mm:ss",
}

// cellStyle is a column's kind and whether the cell is a text that
// looks like a formula (FormulaLike).
type cellStyle struct {
	kind    CellKind
	formula bool
}

// textFormat is Excel's built-in number format "@" (Text).
const textFormat = 49

// style is the style id of a cell of kind k. A text that looks like a
// formula gets the Text number format: it is written as a string, never a
// formula, and the format keeps Excel and LibreOffice from making it one
// when a reader edits the cell (the workbook's form of OWASP's quote,
// which would show in the cell and change the text).
func (b *Workbook) style(k CellKind, formula bool) (int, error) {
	key := cellStyle{k, formula}
	if id, ok := b.styles[key]; ok {
		return id, nil
	}
	st := &excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: k == ColWrap}}
	if nf, ok := numberFormats[k]; ok && !formula {
		st.CustomNumFmt = &nf
	}
	if formula {
		st.NumFmt = textFormat
	}
	id, err := b.f.NewStyle(st)
	b.styles[key] = id
	return id, err
}

func (b *Workbook) headerStyle() (int, error) {
	if b.header != 0 {
		return b.header, nil
	}
	id, err := b.f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE6F0"}},
		Border:    []excelize.Border{{Type: "bottom", Color: "7F8FA6", Style: 1}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
	})
	b.header = id
	return id, err
}

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
	s := &Sheet{b: b, sw: sw, table: b.sheets}
	if err := fill(s); err != nil {
		return fmt.Errorf("sheet %s: %w", name, err)
	}
	if err := s.filter(); err != nil {
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
	b      *Workbook
	sw     *excelize.StreamWriter
	row    int
	table  int
	cols   []Column
	styles []int
}

// Columns sets the sheet's columns (widths, the style of their cells),
// writes their names as the header row and freezes it. Call it first.
func (s *Sheet) Columns(cols ...Column) error {
	s.cols = cols
	s.styles = make([]int, len(cols))
	for i, c := range cols {
		if err := s.sw.SetColWidth(i+1, i+1, c.Width); err != nil {
			return err
		}
		id, err := s.b.style(c.Kind, false)
		if err != nil {
			return err
		}
		s.styles[i] = id
	}
	if err := s.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	head, err := s.b.headerStyle()
	if err != nil {
		return err
	}
	cells := make([]any, len(cols))
	for i, c := range cols {
		cells[i] = excelize.Cell{StyleID: head, Value: c.Name}
	}
	s.row++
	return s.sw.SetRow("A1", cells, excelize.RowOpts{Height: 20})
}

// Header is Columns of text columns of one width.
func (s *Sheet) Header(width float64, names ...string) error {
	cols := make([]Column, len(names))
	for i, n := range names {
		cols[i] = Column{Name: n, Width: width}
	}
	return s.Columns(cols...)
}

// Row appends a row of cells, each written as Cell makes it for its
// column's kind.
func (s *Sheet) Row(cells ...any) error {
	s.row++
	at, err := excelize.CoordinatesToCellName(1, s.row)
	if err != nil {
		return err
	}
	typed := make([]any, len(cells))
	for i, c := range cells {
		kind, style := ColText, 0
		if i < len(s.cols) {
			kind, style = s.cols[i].Kind, s.styles[i]
		}
		v := cellAs(c, kind)
		if text, ok := v.(string); ok && FormulaLike(text) {
			if style, err = s.b.style(kind, true); err != nil {
				return err
			}
		}
		typed[i] = excelize.Cell{StyleID: style, Value: v}
	}
	return s.sw.SetRow(at, typed)
}

// filter puts an autofilter over the header and the rows: an Excel table
// of the sheet's range, the one way the stream writer has.
func (s *Sheet) filter() error {
	if len(s.cols) == 0 {
		return nil
	}
	end, err := excelize.CoordinatesToCellName(len(s.cols), max(s.row, 2))
	if err != nil {
		return err
	}
	off := false
	return s.sw.AddTable(&excelize.Table{Range: "A1:" + end, Name: "表" + strconv.Itoa(s.table),
		StyleName: "TableStyleLight1", ShowRowStripes: &off})
}

// cellAs is Cell for a column of kind: an amount in 万元 in a 万元 column,
// a time local to the second.
func cellAs(v any, kind CellKind) any {
	switch x := v.(type) {
	case time.Time:
		if x.IsZero() {
			return ""
		}
		l := x.Local()
		// Excel keeps no time zone: the wall clock of the reader's zone.
		return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
	case *pipeline.Amount:
		if x != nil && kind == ColWan {
			return numberCell(x.Wan())
		}
	case pipeline.Amount:
		if kind == ColWan {
			return numberCell(x.Wan())
		}
	}
	return Cell(v)
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
// fields), 发现 (one row per finding, most serious first), and, when the
// report has them, 绩效自评表 and 逐行复核. Text is worded as in the other
// reports; figures keep the exact digits the report and the checks
// produced.
func XLSX(w io.Writer, ext *pipeline.Extraction) error { return XLSXReviewed(w, ext, nil) }

// XLSXReviewed is XLSX with what reviewers recorded (rev may be nil): the
// status in 概要, each finding's mark and comment in 发现.
func XLSXReviewed(w io.Writer, ext *pipeline.Extraction, rev *Review) error {
	b := NewWorkbook()
	defer b.Close()
	if err := b.Sheet("概要", func(s *Sheet) error { return summarySheet(s, ext, rev) }); err != nil {
		return err
	}
	if err := b.Sheet("发现", func(s *Sheet) error { return findingSheet(s, ext.Findings, rev) }); err != nil {
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

// rows writes the columns and the rows of cells.
func rows(s *Sheet, cols []Column, body [][]any) error {
	if err := s.Columns(cols...); err != nil {
		return err
	}
	for _, r := range body {
		if err := s.Row(r...); err != nil {
			return err
		}
	}
	return nil
}

func summarySheet(s *Sheet, ext *pipeline.Extraction, rev *Review) error {
	r := ext.Report
	ev := func(k string) string { return r.Evidence[k].Quote }
	body := [][]any{
		{"文件", SourceName(ext.Source), ""},
		{"单位", r.Organization, ev("organization")},
		{"项目", r.Project, ev("project")},
		{"类型", Kind(r.Kind), ""},
		{"年度", Year(r.Year), ev("year")},
		{"年初预算（万元）", wanNumber(r.Budget.Planned), ev("planned")},
		{"全年预算（万元）", wanNumber(r.Budget.Adjusted), ev("adjusted")},
		{"全年执行（万元）", wanNumber(r.Budget.Executed), ev("executed")},
		{"预算执行率（%）", decimalNumber(r.Budget.ExecutionRate), ev("execution_rate")},
		{"自评得分", decimalNumber(r.Score), ev("score")},
		{"等级", OrDash(r.Grade), ev("grade")},
		{"问题", strings.Join(r.Problems, "\n"), ""},
		{"发现数", len(ext.Findings), ""},
	}
	if rev != nil {
		body = append(body, []any{"审核状态", rev.StatusText(), ""}, []any{"审核意见", rev.State.Comment, ""})
	}
	return rows(s, []Column{Col("字段", ColText, 18), Col("值", ColWrap, 40), Col("原文", ColWrap, 60)}, body)
}

// wanNumber is the amount in 万元 as a number cell, for a row that names
// the unit; Dash when the report does not state it.
func wanNumber(a *pipeline.Amount) any {
	if a == nil {
		return Dash
	}
	return numberCell(a.Wan())
}

// decimalNumber is the decimal as a number cell, or Dash.
func decimalNumber(d *pipeline.Decimal) any {
	if d == nil {
		return Dash
	}
	return Cell(*d)
}

func findingSheet(s *Sheet, findings []pipeline.Finding, rev *Review) error {
	var out [][]any
	for i, f := range SortBySeverity(findings) {
		var vals []string
		for _, v := range FindingValues(f.Rule, f.Values) {
			label := v.Label
			if label == "" {
				label = v.Key
			}
			vals = append(vals, label+"："+v.Value)
		}
		var quotes, lines, pages []string
		for _, e := range f.Evidence {
			quotes = append(quotes, e.Quote)
			lines = append(lines, itoa(e.Line))
			pages = append(pages, itoa(e.Page))
		}
		m := rev.MarkOf(f)
		var mark, comment, who string
		var at any = ""
		if m != nil {
			mark, comment, who, at = MarkLabel(m.Status), m.Comment, m.Reviewer, m.At
		}
		out = append(out, []any{i + 1, Severity(f.Severity), RuleName(f.Rule), f.Message,
			strings.Join(vals, "\n"), strings.Join(quotes, "\n"), strings.Join(lines, "、"), strings.Join(pages, "、"),
			mark, comment, who, at, f.Rule})
	}
	return rows(s, []Column{
		Col("序号", ColNumber, 6), Col("严重程度", ColText, 9), Col("规则", ColText, 20), Col("说明", ColWrap, 50),
		Col("数值", ColWrap, 28), Col("原文引文", ColWrap, 50), Col("行", ColText, 8), Col("页", ColText, 6),
		Col("审核标记", ColText, 10), Col("审核意见", ColWrap, 30), Col("审核人", ColText, 10), Col("标记时间", ColTime, 0),
		Col("规则编号", ColText, 26),
	}, out)
}

func indicatorSheet(s *Sheet, indicators []pipeline.Indicator) error {
	var out [][]any
	for _, in := range indicators {
		out = append(out, []any{in.Level1, in.Level2, in.Level3, in.Target, in.Actual, in.Weight, in.Score, in.Deviation})
	}
	return rows(s, []Column{Col("一级指标", ColText, 12), Col("二级指标", ColText, 14), Col("三级指标", ColWrap, 28),
		Col("年度指标值", ColWrap, 18), Col("实际完成值", ColWrap, 18), Col("分值", ColNumber, 8), Col("得分", ColNumber, 8),
		Col("偏差原因分析", ColWrap, 30)}, out)
}

func auditSheet(s *Sheet, a *pipeline.IndicatorAudit) error {
	var out [][]any
	for _, row := range a.Rows {
		out = append(out, []any{row.Name, row.Target, row.Actual, AuditStatus(row.Status),
			row.Weight, row.Stated, row.Recomputed, row.Difference, row.Arithmetic})
	}
	out = append(out, []any{"合计", "", "", "", "", a.StatedTotal, a.RecomputedTotal, "", ""})
	return rows(s, []Column{Col("指标", ColWrap, 28), Col("目标", ColWrap, 16), Col("实际", ColWrap, 16), Col("判断", ColText, 10),
		Col("分值", ColNumber, 8), Col("自评", ColNumber, 8), Col("复核", ColNumber, 8), Col("差额", ColNumber, 8),
		Col("计算过程", ColWrap, 40)}, out)
}
