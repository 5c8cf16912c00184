package xlsx_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/jixiao/jixiao/internal/officetest"
	"github.com/jixiao/jixiao/internal/xlsx"
)

var formA = officetest.Form{Project: "乡村道路养护经费", Org: "某县交通运输局", Dept: "某县交通运输局",
	Year: 2023, Planned: 251.88999999999999, Adjusted: 251.88999999999999, Executed: 240.5, Score: 95.5}

var formB = officetest.Form{Project: "农村饮水安全工程", Org: "某县水利局", Dept: "某县水利局",
	Year: 2022, Planned: 100, Adjusted: 120, Executed: 120, Score: 98}

func rowsOf(t *testing.T, r xlsx.Report) []string {
	t.Helper()
	var out []string
	for _, b := range r.Doc.Tables() {
		for _, row := range b.Table.Rows {
			var cs []string
			for _, c := range row {
				cs = append(cs, c.Text)
			}
			out = append(out, strings.Join(cs, "|"))
		}
	}
	return out
}

func TestDisplayedValues(t *testing.T) {
	data := officetest.Workbook(t, func(f *excelize.File) {
		officetest.WriteForm(t, f, "Sheet1", 1, formA)
	})
	reps, err := xlsx.Read(data)
	if err != nil || len(reps) != 1 {
		t.Fatalf("got %d reports, %v", len(reps), err)
	}
	rows := rowsOf(t, reps[0])
	var money string
	for _, r := range rows {
		if strings.Contains(r, "年度资金总额") {
			money = r
		}
	}
	if want := "|251.89|251.89|240.50|10|95.48%|10"; !strings.Contains(money, want) {
		t.Errorf("money row %q, want it to show %q (stored floats as displayed)", money, want)
	}
	// Every row keeps the grid's width: merged cells leave empty cells.
	width := strings.Count(rows[0], "|")
	for _, r := range rows {
		if strings.Count(r, "|") != width {
			t.Errorf("row %q has %d columns, want %d", r, strings.Count(r, "|")+1, width+1)
		}
	}
	// Evidence points to the sheet and cell.
	d := reps[0].Doc
	i := strings.Index(d.Text, "251.89")
	if a := d.Pos(i); a.Sheet != "Sheet1" || a.Cell != "D6" {
		t.Errorf("251.89 at %+v, want Sheet1!D6", a)
	}
}

func TestMergedCellsStandOnce(t *testing.T) {
	data := officetest.Workbook(t, func(f *excelize.File) {
		f.SetCellValue("Sheet1", "A1", "项目名称")
		f.SetCellValue("Sheet1", "B1", "甲")
		f.SetCellValue("Sheet1", "C1", "甲") // a writer that repeats the value in covered cells
		f.MergeCell("Sheet1", "B1", "C1")
		f.SetCellValue("Sheet1", "A2", "一级")
		f.SetCellValue("Sheet1", "B2", "x")
		f.SetCellValue("Sheet1", "C2", "y")
	})
	reps, err := xlsx.Read(data)
	if err != nil {
		t.Fatal(err)
	}
	got := rowsOf(t, reps[0])
	want := []string{"项目名称|甲|", "一级|x|y"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows %q, want %q", got, want)
	}
}

func TestDates(t *testing.T) {
	data := officetest.Workbook(t, func(f *excelize.File) {
		format := `yyyy"年"m"月"d"日"`
		st, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &format})
		f.SetCellValue("Sheet1", "A1", "填报日期")
		f.SetCellValue("Sheet1", "B1", 45000) // a date serial
		f.SetCellStyle("Sheet1", "B1", "B1", st)
	})
	reps, err := xlsx.Read(data)
	if err != nil {
		t.Fatal(err)
	}
	if got := rowsOf(t, reps[0]); len(got) != 1 || got[0] != "填报日期|2023年3月15日" {
		t.Errorf("rows %q, want the date as displayed", got)
	}
}

// TestSeveralProjects: one form per sheet, and two forms stacked on one
// sheet, give one report each, in order, with their sheet (and place on
// it); a sheet without
// a form is not a report.
func TestSeveralProjects(t *testing.T) {
	data := officetest.Workbook(t, func(f *excelize.File) {
		officetest.WriteForm(t, f, "Sheet1", 1, formA)
		f.NewSheet("说明")
		f.SetCellValue("说明", "A1", "本工作簿为各项目自评表")
		f.NewSheet("表2")
		next := officetest.WriteForm(t, f, "表2", 1, formB)
		officetest.WriteForm(t, f, "表2", next+2, formA)
	})
	reps, err := xlsx.Read(data)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range reps {
		rows := rowsOf(t, r)
		if len(rows) < 3 {
			t.Fatalf("report on %s: %q", r.Sheet, rows)
		}
		got = append(got, fmt.Sprintf("%s#%d:%s", r.Sheet, r.Form, rows[2]))
	}
	// Form numbers the forms of a sheet that holds several, so that the
	// store can tell them apart.
	want := []string{"Sheet1#0:项目名称||乡村道路养护经费||||||", "表2#1:项目名称||农村饮水安全工程||||||", "表2#2:项目名称||乡村道路养护经费||||||"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("reports:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestFormulasByCachedValue: a workbook saved by a spreadsheet program
// (dev2-019.xlsx: SUM and F6/E6 formulas with their cached values) shows
// each formula's cached value in its cell's format.
func TestFormulasByCachedValue(t *testing.T) {
	data, err := os.ReadFile("../../testdata/corpus2/dev2-019.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	reps, err := xlsx.Read(data)
	if err != nil || len(reps) != 3 {
		t.Fatalf("%d reports, %v", len(reps), err)
	}
	d := reps[0].Doc
	for cell, want := range map[string]string{"D6": "116.96", "H6": "86.60%", "H20": "98.66"} {
		found := false
		for _, c := range d.Tables()[0].Table.Cells() {
			if a := d.Pos(c.Start); a.Cell == cell && !c.Empty() {
				found = true
				if c.Text != want {
					t.Errorf("%s shows %q, want %q", cell, c.Text, want)
				}
			}
		}
		if !found {
			t.Errorf("no cell %s", cell)
		}
	}
}
