package report

import (
	"bytes"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/jixiao/jixiao/pipeline"
)

func TestXLSXReview(t *testing.T) {
	ext := handExtraction(t)
	ext.Findings[0].Message = "=HYPERLINK(\"http://x\")" // report text must stay text
	var b bytes.Buffer
	if err := XLSX(&b, ext); err != nil {
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
	if !containsRow(summary, "年初预算（万元）", "240") {
		t.Errorf("概要 lacks 年初预算 240: %q", summary)
	}
	findings, _ := f.GetRows("发现")
	if len(findings) != len(ext.Findings)+1 || findings[1][1] != Severity(ext.Findings[0].Severity) {
		t.Fatalf("发现: %q", findings)
	}
	if formula, _ := f.GetCellFormula("发现", "D2"); formula != "" || findings[1][3] != ext.Findings[0].Message {
		t.Errorf("a message became the formula %q (cell %q)", formula, findings[1][3])
	}
	audit, _ := f.GetRows("逐行复核")
	if last := audit[len(audit)-1]; last[0] != "合计" || last[5] != "90.58" || last[6] != "89.47" {
		t.Errorf("audit total row %q", last)
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
