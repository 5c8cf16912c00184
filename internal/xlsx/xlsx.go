// Package xlsx reads an Excel 2007+ workbook (.xlsx) into the text model
// (internal/document), one model per report: every visible sheet, each
// cell as Excel displays it (a value stored as 251.88999999999999 in a
// 0.00 format is "251.89", 0.9069 in a % format "90.69%", a date serial a
// date, a formula its cached value), merged ranges resolved so a merged
// cell's text stands in its first row and column and the cells it covers
// are empty.
//
// A workbook often holds several projects' self-evaluation forms, one per
// sheet or several stacked on one sheet; each form is a report of its own.
// Evidence addresses are the sheet and the cell ("D7").
package xlsx

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/jixiao/jixiao/internal/document"
	"github.com/jixiao/jixiao/internal/normalize"
	"github.com/jixiao/jixiao/internal/ooxml"
)

// Extractor is what source.extractor says for a workbook read here.
const Extractor = "excelize"

// Bounds of one sheet: a self-evaluation form is a few dozen rows by a
// dozen columns; a sheet far larger is data, and only its top left corner
// is read.
const (
	maxRows = 5000
	maxCols = 64
)

// Report is one report of a workbook: a form, the sheet it stands on and,
// when the sheet holds several forms, its place there (from 1; else 0).
type Report struct {
	Sheet string
	Form  int
	Doc   *document.Doc
}

// Read builds one model per report of a workbook given as bytes.
func Read(data []byte) ([]Report, error) {
	pkg, err := ooxml.Open(data)
	if err != nil {
		return nil, err
	}
	if pkg.Kind() != ooxml.Excel {
		return nil, fmt.Errorf("%w（没有 xl/workbook.xml）", ooxml.ErrNotOffice)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: ooxml.MaxUnzipped, UnzipXMLSizeLimit: ooxml.MaxUnzipped, // no temp files
		CultureInfo: excelize.CultureNameZhCN, // built-in date formats as a Chinese Excel shows them
	})
	if err != nil {
		return nil, fmt.Errorf("%w：%v", ooxml.ErrNotZip, err)
	}
	defer f.Close()
	var forms []Report
	var others []*grid // sheets without a form
	for _, name := range f.GetSheetList() {
		if visible, _ := f.GetSheetVisible(name); !visible {
			continue
		}
		g, err := readGrid(f, name)
		if err != nil {
			return nil, fmt.Errorf("工作表“%s”无法读取：%v", name, err)
		}
		if g.empty() {
			continue
		}
		parts := splitForms(g)
		if len(parts) == 0 {
			others = append(others, g)
			continue
		}
		for i, p := range parts {
			r := Report{Sheet: name, Doc: build([]*grid{p})}
			if len(parts) > 1 {
				r.Form = i + 1
			}
			forms = append(forms, r)
		}
	}
	switch {
	case len(forms) > 0:
		return forms, nil // sheets without a form (notes, lookups) are not reports
	case len(others) == 1:
		return []Report{{Sheet: others[0].sheet, Doc: build(others)}}, nil
	case len(others) > 1: // no form anywhere: the whole workbook is one report
		return []Report{{Doc: build(others)}}, nil
	}
	return nil, ErrEmpty
}

// ErrEmpty is a workbook with no text in any visible sheet.
var ErrEmpty = errors.New("工作簿没有任何内容")

// grid is a sheet's displayed values, merged ranges resolved, with the
// rows and columns they stand in (1-based) for addresses.
type grid struct {
	sheet string
	rows  [][]string
	rowNo []int // sheet row of rows[i]
	cols  []int // sheet columns kept (empty columns dropped)
}

func (g *grid) empty() bool { return len(g.rows) == 0 }

func readGrid(f *excelize.File, sheet string) (*grid, error) {
	rows, err := f.GetRows(sheet)
	if err != nil {
		return nil, err
	}
	if len(rows) > maxRows {
		rows = rows[:maxRows]
	}
	for i := range rows {
		if len(rows[i]) > maxCols {
			rows[i] = rows[i][:maxCols]
		}
	}
	merges, err := f.GetMergeCells(sheet, true)
	if err != nil {
		return nil, err
	}
	for _, m := range merges {
		c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 != nil || err2 != nil {
			continue
		}
		for r := r1; r <= r2 && r <= len(rows); r++ {
			for c := c1; c <= c2 && c <= len(rows[r-1]); c++ {
				if r != r1 || c != c1 {
					rows[r-1][c-1] = "" // a writer may repeat the value in covered cells
				}
			}
		}
	}
	return trim(sheet, rows), nil
}

// trim cleans every cell and drops the rows and columns that are empty
// throughout.
func trim(sheet string, rows [][]string) *grid {
	g := &grid{sheet: sheet}
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	used := make([]bool, width)
	for i, r := range rows {
		any := false
		for j, v := range r {
			r[j] = normalize.CleanText(v)
			if r[j] != "" {
				used[j], any = true, true
			}
		}
		if any {
			g.rows = append(g.rows, r)
			g.rowNo = append(g.rowNo, i+1)
		}
	}
	for j, u := range used {
		if u {
			g.cols = append(g.cols, j+1)
		}
	}
	for i, r := range g.rows {
		kept := make([]string, len(g.cols))
		for k, c := range g.cols {
			if c-1 < len(r) {
				kept[k] = r[c-1]
			}
		}
		g.rows[i] = kept
	}
	return g
}

// sub is rows [from, to) of g.
func (g *grid) sub(from, to int) *grid {
	return &grid{sheet: g.sheet, rows: g.rows[from:to], rowNo: g.rowNo[from:to], cols: g.cols}
}

func (g *grid) addr(i, k int) document.Addr {
	name, _ := excelize.CoordinatesToCellName(g.cols[k], g.rowNo[i])
	return document.Addr{Sheet: g.sheet, Cell: name}
}

// filled returns the texts of a row's non-empty cells.
func filled(row []string) []string {
	var out []string
	for _, v := range row {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// build writes each grid as one Grid table, its title lines included, as
// a form printed with pipe rows reads.
func build(gs []*grid) *document.Doc {
	var b document.Builder
	for _, g := range gs {
		b.Open(document.TableBlock)
		b.SetLayout(document.Grid)
		for i := range g.rows {
			addrs := make([]document.Addr, len(g.cols))
			for k := range addrs {
				addrs[k] = g.addr(i, k)
			}
			b.Row(g.rows[i], addrs)
		}
		b.Close()
	}
	return b.Doc(0)
}

func firstFilled(row []string) int {
	for k, v := range row {
		if v != "" {
			return k
		}
	}
	return 0
}

// splitForms cuts a sheet into the self-evaluation forms it holds: each
// starts at its title (…绩效自评表) or, for forms printed without one, at
// its 项目名称 / 单位名称 row. A sheet holding no form gives none.
func splitForms(g *grid) []*grid {
	var starts []int
	var bodies []bool // whether the form from starts[i] has a 项目名称 row or money rows
	for i, r := range g.rows {
		first := ""
		if cs := filled(r); len(cs) > 0 {
			first = cs[0]
		}
		body := len(bodies) > 0 && bodies[len(bodies)-1]
		switch {
		case isTitle(first, r):
			if len(starts) == 0 || body {
				starts, bodies = append(starts, i), append(bodies, false)
			}
		case isNameLabel(first):
			if len(starts) == 0 || body {
				starts, bodies = append(starts, titleAbove(g, i)), append(bodies, false)
			}
			bodies[len(bodies)-1] = true
		case strings.Contains(first, "年度资金总额") && len(bodies) > 0:
			bodies[len(bodies)-1] = true
		}
	}
	if len(starts) == 0 || !bodies[0] && len(starts) == 1 {
		return nil // a title alone ("…自评表" in a note) is no form
	}
	starts[0] = 0 // whatever stands above the first form belongs to it
	var out []*grid
	for k, s := range starts {
		end := len(g.rows)
		if k+1 < len(starts) {
			end = starts[k+1]
		}
		out = append(out, g.sub(s, end))
	}
	return out
}

func isTitle(first string, row []string) bool {
	return len(filled(row)) == 1 && strings.Contains(first, "自评表")
}

func isNameLabel(s string) bool {
	s = strings.TrimSuffix(strings.TrimSuffix(s, "："), ":")
	return s == "项目名称" || s == "部门（单位）名称" || s == "单位名称" || s == "部门名称"
}

// titleAbove backs up from a form's first label row over the single-cell
// lines just above it (its year line, 单位：万元) to where the form starts.
func titleAbove(g *grid, i int) int {
	for i > 0 && len(filled(g.rows[i-1])) == 1 && !strings.Contains(g.rows[i-1][firstFilled(g.rows[i-1])], "：") {
		i--
	}
	return i
}
