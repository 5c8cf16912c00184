package report

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/jixiao/jixiao/pipeline"
)

func TestXLSXReview(t *testing.T) {
	ext := handExtraction(t)
	ext.Findings[2].Message = "=HYPERLINK(\"http://x\")" // report text must stay text
	rev := &Review{State: pipeline.ReviewState{Status: pipeline.ReviewReturned, Reviewer: "王审核", Comment: "请补充佐证材料"}}
	m := pipeline.MarkOf(1, ext.Findings[0])
	m.Status, m.Comment, m.Reviewer, m.At = pipeline.MarkConfirmed, "与决算核对一致", "王审核", time.Date(2025, 3, 4, 5, 6, 7, 890, time.UTC)
	rev.Marks = []pipeline.Mark{m}
	var b bytes.Buffer
	if err := XLSXReviewed(&b, ext, rev); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := f.GetSheetList(), []string{"概要", "发现", "逐行复核"}; !slices.Equal(got, want) {
		t.Errorf("sheets %q, want %q", got, want)
	}
	summary, _ := f.GetRows("概要")
	if !containsRow(summary, "年初预算（万元）", "240") || !containsRow(summary, "审核状态", "退回（王审核）") {
		t.Errorf("概要 lacks 年初预算 240 or the status: %q", summary)
	}
	for _, row := range summary {
		for _, c := range row {
			if len(c) == 64 && strings.Trim(c, "0123456789abcdef") == "" {
				t.Errorf("概要 shows a hash: %q", row)
			}
		}
	}
	findings, _ := f.GetRows("发现")
	if len(findings) != len(ext.Findings)+1 {
		t.Fatalf("发现: %q", findings)
	}
	last := 4
	for i, row := range findings[1:] {
		rank := map[string]int{"错误": 3, "警告": 2, "提示": 1}[row[1]]
		if rank > last {
			t.Errorf("row %d (%s) after a less serious one", i+1, row[1])
		}
		last = rank
		if row[3] == ext.Findings[2].Message {
			if formula, _ := f.GetCellFormula("发现", "D"+strconv.Itoa(i+2)); formula != "" {
				t.Errorf("a message became the formula %q", formula)
			}
		}
	}
	var marked []string
	for _, row := range findings[1:] {
		if row[12] == ext.Findings[0].Rule {
			marked = row
		}
	}
	if marked == nil || marked[2] != RuleName(ext.Findings[0].Rule) || marked[8] != "已核实" || marked[9] != "与决算核对一致" ||
		marked[10] != "王审核" || marked[11] != m.At.Local().Format("2006-01-02 15:04:05") || marked[12] != ext.Findings[0].Rule {
		t.Errorf("the marked finding reads %q", marked)
	}
	audit, _ := f.GetRows("逐行复核")
	if last := audit[len(audit)-1]; last[0] != "合计" || last[5] != "90.58" || last[6] != "89.47" {
		t.Errorf("audit total row %q", last)
	}
	// What an office expects: a frozen, styled header and an autofilter.
	panes, err := f.GetPanes("发现")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header not frozen: %+v, %v", panes, err)
	}
	if tables, err := f.GetTables("发现"); err != nil || len(tables) != 1 || tables[0].Range != "A1:M5" {
		t.Errorf("no autofilter over the findings: %+v, %v", tables, err)
	}
	if style, _ := f.GetCellStyle("发现", "A1"); style == 0 {
		t.Error("the header row has no style")
	}
	if w, _ := f.GetColWidth("发现", "D"); w < 40 {
		t.Errorf("the message column is %v wide", w)
	}
}

func containsRow(rows [][]string, cells ...string) bool {
	for _, r := range rows {
		if len(r) >= len(cells) && slices.Equal(r[:len(cells)], cells) {
			return true
		}
	}
	return false
}

// Cell writes stated figures as numbers in yuan and unstated ones as empty
// cells; everything else as given.
func TestCell(t *testing.T) {
	amount := pipeline.Amount{Fen: 526_0000_50}
	rate := pipeline.MustDecimal("98.50")
	cases := []struct {
		in   any
		want any
	}{
		{&amount, 5260000.5},
		{amount, 5260000.5},
		{(*pipeline.Amount)(nil), ""},
		{&rate, 98.5},
		{(*pipeline.Decimal)(nil), ""},
		{"=1+1", "=1+1"},
		{7, 7},
	}
	for _, c := range cases {
		if got := Cell(c.in); got != c.want {
			t.Errorf("Cell(%v) = %#v, want %#v", c.in, got, c.want)
		}
	}
	if IntOrEmpty(0) != "" || IntOrEmpty(2022) != 2022 {
		t.Error("IntOrEmpty: 0 is an empty cell, any other number itself")
	}
}

// formulaNames are project names a spreadsheet would run as formulas
// (OWASP's CSV injection starts), each with text after the sign.
var formulaNames = []string{`=HYPERLINK("http://x","点")`, "+1", "@SUM(A1)", "-2+3", "\t=1+1"}

// A text that looks like a formula is written as that text, never a
// formula, in the Text number format so that editing the cell keeps it
// text; figures beside it stay number cells, a negative one too.
func TestXLSXTextThatLooksLikeAFormulaStaysText(t *testing.T) {
	for _, name := range formulaNames {
		ext := handExtraction(t)
		ext.Report.Project = name
		ext.Report.Budget.Executed = &pipeline.Amount{Fen: -12_5000_00}
		var b bytes.Buffer
		if err := XLSX(&b, ext); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&b)
		if err != nil {
			t.Fatal(err)
		}
		summary, _ := f.GetRows("概要")
		for i, row := range summary {
			cell := "B" + strconv.Itoa(i+1)
			switch row[0] {
			case "项目":
				formula, _ := f.GetCellFormula("概要", cell)
				if row[1] != name || formula != "" || !textFormatted(t, f, "概要", cell) {
					t.Errorf("项目 %q: cell %q, formula %q, text format %v", name, row[1], formula, textFormatted(t, f, "概要", cell))
				}
			case "年初预算（万元）", "全年执行（万元）":
				if typ, _ := f.GetCellType("概要", cell); typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString || textFormatted(t, f, "概要", cell) {
					t.Errorf("%s %q is written as text", row[0], row[1])
				}
			}
		}
		f.Close()
	}
}

// textFormatted tells that a cell has Excel's Text number format (@).
func textFormatted(t *testing.T, f *excelize.File, sheet, cell string) bool {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return st.NumFmt == 49
}
