package main

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/jixiao/jixiao/internal/storetest"
	"github.com/jixiao/jixiao/pipeline"
	"github.com/jixiao/jixiao/pipeline/run"
)

// formulaProjects are project names a spreadsheet would run as formulas.
var formulaProjects = []string{`=HYPERLINK("http://x","点")`, "+1", "@SUM(A1)", "-2+3"}

// formulaStore is a SQLite store holding dev-001 once per name of
// formulaProjects as its project, and the first of them again a year
// later with less spent, so that its change is a negative number.
func formulaStore(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testCorpus, "dev-001.txt"))
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "j.db")
	st, err := openStore(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for i, project := range append(formulaProjects, formulaProjects[0]) {
		bytes := append(append([]byte(nil), data...), strings.Repeat("\n", i+1)...) // a document each
		ext, err := (&run.Runner{}).File(context.Background(), "dev-001.txt", bytes)
		if err != nil {
			t.Fatal(err)
		}
		ext.Report.Project = project
		if i == len(formulaProjects) {
			ext.Report.Year++
			ext.Report.Budget.Executed = &pipeline.Amount{Fen: ext.Report.Budget.Executed.Fen - 100_0000_00}
		}
		if _, err := st.SaveReport(context.Background(), storetest.DocOf("dev-001.txt", bytes, ext), bytes, ext); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// trend --format csv quotes a project name that would be a formula, as
// OWASP advises; a negative change stays a number.
func TestTrendCSVEscapesFormulas(t *testing.T) {
	out, err := execute(t, newTrendCmd(), "--db", formulaStore(t), "--org", "伊宁县农业农村局", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range rows[1:] {
		seen[r[0]] = true
		if r[0] == "'"+formulaProjects[0] && r[1] == "2025" {
			if change, err := strconv.ParseFloat(r[12], 64); err != nil || change != -1000000 {
				t.Errorf("the change of executed %q, want the number -1000000", r[12])
			}
			seen["2025"] = true
		}
	}
	if !seen["2025"] {
		t.Errorf("no second year: %q", rows)
	}
	for _, p := range formulaProjects {
		if !seen["'"+p] {
			t.Errorf("project %q not written as '%s: rows %q", p, p, rows)
		}
	}
}

// export --xlsx writes such a name as its text in the Text format, never
// as a formula.
func TestExportXLSXKeepsFormulasText(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.xlsx")
	if out, err := execute(t, newExportCmd(), "--db", formulaStore(t), "--xlsx", path); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, sheet := range []string{"报告", "发现", "趋势"} {
		rows, _ := f.GetRows(sheet)
		col := map[string]int{"报告": 2, "发现": 2, "趋势": 1}[sheet]
		seen := map[string]bool{}
		for i, r := range rows[1:] {
			cell, _ := excelize.CoordinatesToCellName(col+1, i+2)
			formula, _ := f.GetCellFormula(sheet, cell)
			style, _ := f.GetCellStyle(sheet, cell)
			st, _ := f.GetStyle(style)
			if formula != "" || st == nil || st.NumFmt != 49 {
				t.Errorf("%s %s %q: formula %q, style %+v", sheet, cell, r[col], formula, st)
			}
			seen[r[col]] = true
		}
		for _, p := range formulaProjects {
			if !seen[p] {
				t.Errorf("%s: no project %q among %v", sheet, p, seen)
			}
		}
	}
}
