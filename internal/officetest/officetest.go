// Package officetest writes real Word and Excel files for the tests of the
// packages that read them: a .docx from its XML parts (so a test states
// exactly the markup it exercises: numbering, merged cells, tracked
// changes, text boxes), a workbook with excelize, and the hostile files a
// reader must refuse (zip bombs, encrypted packages).
package officetest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"
)

const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>
<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>
</Types>`

const rootRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>`

const docRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>
<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/>
</Relationships>`

// W is the opening of a WordprocessingML part with the namespaces the
// tests' markup uses.
const W = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
	`xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" ` +
	`xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" ` +
	`xmlns:v="urn:schemas-microsoft-com:vml" ` +
	`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`

// Docx is a Word document whose body is body (the children of w:body) and
// whose numbering and styles parts are given ("" for a default). It also
// has a header and comments, which a reader must leave out.
func Docx(t testing.TB, body, numbering, styles string) []byte {
	t.Helper()
	if numbering == "" {
		numbering = `<w:numbering ` + W + `/>`
	}
	if styles == "" {
		styles = `<w:styles ` + W + `/>`
	}
	return Zip(t, map[string]string{
		"[Content_Types].xml":          contentTypes,
		"_rels/.rels":                  rootRels,
		"word/_rels/document.xml.rels": docRels,
		"word/document.xml":            `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ` + W + `><w:body>` + body + `</w:body></w:document>`,
		"word/numbering.xml":           numbering,
		"word/styles.xml":              styles,
		"word/header1.xml":             `<w:hdr ` + W + `><w:p><w:r><w:t>页眉文字不应读入</w:t></w:r></w:p></w:hdr>`,
		"word/comments.xml":            `<w:comments ` + W + `><w:comment w:id="0"><w:p><w:r><w:t>批注文字不应读入</w:t></w:r></w:p></w:comment></w:comments>`,
	})
}

// P is a paragraph of plain runs.
func P(texts ...string) string {
	s := `<w:p>`
	for _, t := range texts {
		s += `<w:r><w:t xml:space="preserve">` + t + `</w:t></w:r>`
	}
	return s + `</w:p>`
}

// Zip packs parts, deflated, in the order of their names' first use.
func Zip(t testing.TB, parts map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Bomb is a .docx-looking zip whose document part inflates to size bytes
// of zeros while the archive stays small. With lie, the part declares
// itself 1 KB (a reader trusting the header would inflate it all).
func Bomb(t testing.TB, size int64, lie bool) []byte {
	t.Helper()
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, flate.BestCompression)
	zero := make([]byte, 1<<20)
	for n := int64(0); n < size; n += int64(len(zero)) {
		fw.Write(zero)
	}
	fw.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels"} {
		w, _ := zw.Create(name)
		w.Write([]byte(`<x/>`))
	}
	declared := uint64(size)
	if lie {
		declared = 1 << 10
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "word/document.xml", Method: zip.Deflate,
		CompressedSize64: uint64(comp.Len()), UncompressedSize64: declared})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(comp.Bytes())
	zw.Close()
	return buf.Bytes()
}

// ManyParts is a zip of n empty parts beside a Word document's.
func ManyParts(t testing.TB, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i < n; i++ {
		zw.Create("word/media/p" + strconv.Itoa(i) + ".xml")
	}
	w, _ := zw.Create("word/document.xml")
	w.Write([]byte(`<w:document ` + W + `/>`))
	zw.Close()
	return buf.Bytes()
}

// Encrypt wraps an Office Open XML file in the password-protected OLE2
// container Word and Excel write (ECMA-376 agile encryption).
func Encrypt(t testing.TB, data []byte, password string) []byte {
	t.Helper()
	out, err := excelize.Encrypt(data, &excelize.Options{Password: password})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Workbook saves a workbook fill builds on a new file.
func Workbook(t testing.TB, fill func(f *excelize.File)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	fill(f)
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Form is one project's self-evaluation form as the national layout lays
// it on a sheet.
type Form struct {
	Project, Org, Dept string
	Year               int
	Planned, Adjusted  float64 // 万元, stored as Excel stores them (251.88999999999999)
	Executed           float64
	Score              float64 // the 总分
}

// WriteForm writes form on sheet from row top on (1-based): a merged title
// and year line, the 项目名称 / 主管部门 / 实施单位 cells, the money rows
// with 0.00 amounts, the 执行率 as a fraction in a 0.00% format, merged 一级/二级指标 cells, three
// indicator rows and the 总分 row. It returns the row after the form.
func WriteForm(t testing.TB, f *excelize.File, sheet string, top int, form Form) int {
	t.Helper()
	money, _ := f.NewStyle(&excelize.Style{NumFmt: 2})    // 0.00
	percent, _ := f.NewStyle(&excelize.Style{NumFmt: 10}) // 0.00%
	r := top
	cell := func(col string, row int) string { return col + strconv.Itoa(row) }
	set := func(col string, row int, v any) {
		if err := f.SetCellValue(sheet, cell(col, row), v); err != nil {
			t.Fatal(err)
		}
	}
	merge := func(a, b string) {
		if err := f.MergeCell(sheet, a, b); err != nil {
			t.Fatal(err)
		}
	}
	set("A", r, "项目支出绩效自评表")
	merge(cell("A", r), cell("J", r))
	r++
	set("A", r, "（"+strconv.Itoa(form.Year)+"年度）")
	merge(cell("A", r), cell("J", r))
	r++
	set("A", r, "项目名称")
	merge(cell("A", r), cell("B", r))
	set("C", r, form.Project)
	merge(cell("C", r), cell("J", r))
	r++
	set("A", r, "主管部门")
	merge(cell("A", r), cell("B", r))
	set("C", r, form.Dept)
	merge(cell("C", r), cell("E", r))
	set("F", r, "实施单位")
	set("G", r, form.Org)
	merge(cell("G", r), cell("J", r))
	r++
	head := r
	set("A", r, "项目资金（万元）")
	for i, h := range []string{"年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"} {
		set(string(rune('D'+i)), r, h)
	}
	r++
	set("B", r, "年度资金总额")
	set("D", r, form.Planned)
	set("E", r, form.Adjusted)
	set("F", r, form.Executed)
	set("G", r, 10)
	set("H", r, form.Executed/form.Adjusted) // a fraction shown as a percentage
	set("I", r, 10)
	f.SetCellStyle(sheet, cell("D", r), cell("F", r), money)
	f.SetCellStyle(sheet, cell("H", r), cell("H", r), percent)
	r++
	set("B", r, "其中：当年财政拨款")
	set("D", r, form.Planned)
	set("E", r, form.Adjusted)
	set("F", r, form.Executed)
	f.SetCellStyle(sheet, cell("D", r), cell("F", r), money)
	r++
	set("B", r, "上年结转资金")
	r++
	set("B", r, "其他资金")
	merge(cell("A", head), cell("A", r))
	for row := head + 1; row <= r; row++ {
		merge(cell("B", row), cell("C", row))
	}
	r++
	set("A", r, "年度总体目标")
	set("B", r, "预期目标")
	set("G", r, "实际完成情况")
	r++
	set("B", r, "按计划完成年度任务")
	set("G", r, "已完成")
	r++
	ind := r
	for i, h := range []string{"绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"} {
		set(string(rune('A'+i)), r, h)
	}
	rows := [][]any{
		{"产出指标", "数量指标", "完成任务数", "≥10项", "12项", 60, 60},
		{"", "", "覆盖人数", "≥100人", "120人", 10, 10},
		{"效益指标", "社会效益指标", "群众满意度", "≥90%", "95%", 30, form.Score - 70},
	}
	for _, row := range rows {
		r++
		for i, v := range row {
			if v != "" {
				set(string(rune('B'+i)), r, v)
			}
		}
	}
	merge(cell("B", ind+1), cell("B", ind+2)) // 产出指标 over two rows
	merge(cell("C", ind+1), cell("C", ind+2))
	merge(cell("A", ind), cell("A", r))
	r++
	set("A", r, "总分")
	merge(cell("A", r), cell("F", r))
	set("G", r, 100)
	set("H", r, form.Score)
	return r + 1
}
