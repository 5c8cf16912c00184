package run_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/jixiao/jixiao/internal/office"
	"github.com/jixiao/jixiao/internal/officetest"
	"github.com/jixiao/jixiao/internal/ooxml"
	"github.com/jixiao/jixiao/pipeline/run"
)

// numbering: 一、 at level 0 (chineseCounting), （一） at level 1, 1. at
// level 2, as Chinese reports number their sections.
const numbering = `<w:numbering ` + officetest.W + `>
<w:abstractNum w:abstractNumId="0">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
 <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
</w:numbering>`

// styles: Heading1 numbers itself through its style.
const styles = `<w:styles ` + officetest.W + `>
<w:style w:type="paragraph" w:styleId="Heading1"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
</w:styles>`

func numbered(lvl, text string) string {
	return `<w:p><w:pPr><w:numPr><w:ilvl w:val="` + lvl + `"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>` + text + `</w:t></w:r></w:p>`
}

func heading1(text string) string {
	return `<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>` + text + `</w:t></w:r></w:p>`
}

// wordReport is a short report in Word markup: auto-numbered headings, a
// tracked insertion and deletion, hidden text, a text box, and the form as
// a table with gridSpan and vMerge, its grade a Wingdings checkbox.
func wordReport() string {
	cell := func(text string, props string) string {
		return `<w:tc><w:tcPr>` + props + `</w:tcPr>` + officetest.P(text) + `</w:tc>`
	}
	span := func(n string) string { return `<w:gridSpan w:val="` + n + `"/>` }
	row := func(cells ...string) string { return `<w:tr>` + strings.Join(cells, "") + `</w:tr>` }
	table := `<w:tbl><w:tblGrid>` + strings.Repeat(`<w:gridCol/>`, 9) + `</w:tblGrid>` +
		row(cell("项目名称", span("2")), cell("乡村道路养护经费", span("7"))) +
		row(cell("主管部门", span("2")), cell("某县交通运输局", span("3")), cell("实施单位", ""), cell("某县交通运输局", span("3"))) +
		row(cell("项目资金（万元）", `<w:vMerge w:val="restart"/>`), cell("", ""), cell("年初预算数", ""), cell("全年预算数", ""),
			cell("全年执行数", ""), cell("分值", ""), cell("执行率", ""), cell("得分", ""), cell("", "")) +
		row(cell("", `<w:vMerge/>`), cell("年度资金总额", ""), cell("251.89", ""), cell("251.89", ""), cell("240.50", ""),
			cell("10", ""), cell("95.48%", ""), cell("9.55", ""), cell("", "")) +
		row(cell("绩效指标", `<w:vMerge w:val="restart"/>`), cell("一级指标", ""), cell("二级指标", ""), cell("三级指标", ""),
			cell("年度指标值", ""), cell("实际完成值", ""), cell("分值", ""), cell("得分", ""), cell("偏差原因分析及改进措施", "")) +
		row(cell("", `<w:vMerge/>`), cell("产出指标", ""), cell("数量指标", ""), cell("养护里程", ""), cell("≥100公里", ""),
			cell("120公里", ""), cell("90", ""), cell("86", ""), cell("", "")) +
		row(cell("总分", span("6")), cell("100", ""), cell("95.55", ""), cell("", "")) +
		row(cell("自评等级", span("2")), `<w:tc><w:tcPr>`+span("7")+`</w:tcPr><w:p>`+
			`<w:r><w:sym w:font="Wingdings 2" w:char="F052"/></w:r><w:r><w:t xml:space="preserve">优 </w:t></w:r>`+
			`<w:r><w:sym w:font="Wingdings 2" w:char="F0A3"/></w:r><w:r><w:t>良</w:t></w:r></w:p></w:tc>`) +
		`</w:tbl>`
	return officetest.P("某县交通运输局2023年度乡村道路养护经费项目支出绩效自评报告") +
		heading1("基本情况") +
		numbered("1", "项目概况") +
		`<w:p><w:r><w:t>2023年年初预算</w:t></w:r><w:del w:id="1"><w:r><w:delText>300.00</w:delText></w:r></w:del>` +
		`<w:ins w:id="2"><w:r><w:t>251.89</w:t></w:r></w:ins><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏文字</w:t></w:r>` +
		`<w:r><w:t>万元，全年执行240.50万元。</w:t></w:r></w:p>` +
		numbered("1", "绩效目标") +
		`<w:p><w:r><w:t>本项目目标如下。</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>` +
		officetest.P("文本框中的说明文字。") + `</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent>` +
		officetest.P("文本框中的说明文字。") + `</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>` +
		heading1("自评结论") + officetest.P("自评得分95.55分，等级为优。") +
		heading1("存在问题") + numbered("2", "养护资金拨付进度偏慢。") +
		officetest.P("附：项目支出绩效自评表") + table
}

func TestWordDocument(t *testing.T) {
	data := officetest.Docx(t, `<w:sectPr/>`+wordReport(), numbering, styles)
	r := &run.Runner{}
	ext, err := r.File(context.Background(), "report.docx", data)
	if err != nil {
		t.Fatal(err)
	}
	if ext.Source.Format != "docx" || ext.Source.Extractor != "docx" {
		t.Errorf("source %+v", ext.Source)
	}
	text := ext.Text
	for _, want := range []string{"\n一、基本情况\n", "\n（一）项目概况\n", "\n（二）绩效目标\n", "\n二、自评结论\n", "\n1.养护资金拨付进度偏慢。\n",
		"2023年年初预算251.89万元", "文本框中的说明文字。\n", "| 年度资金总额 | 251.89 |", "自评等级 |  | R优 £良"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	for _, never := range []string{"300.00", "隐藏文字", "页眉文字", "批注文字"} {
		if strings.Contains(text, never) {
			t.Errorf("text has %q, which Word does not show in the body", never)
		}
	}
	if strings.Count(text, "文本框中的说明文字") != 1 {
		t.Errorf("a text box is read once, not once more from its fallback")
	}
	rep := ext.Report
	if rep.Project != "乡村道路养护经费" || rep.Year != 2023 || rep.Score == nil || rep.Score.String() != "95.55" || rep.Grade != "优" {
		t.Errorf("report: project %q year %d score %v grade %q", rep.Project, rep.Year, rep.Score, rep.Grade)
	}
	if len(rep.Sections) < 3 || rep.Sections[0].Number != "一" {
		t.Errorf("sections %+v, want the auto-numbered headings", rep.Sections)
	}
	if e, ok := rep.Evidence["score"]; !ok || e.Paragraph == 0 {
		t.Errorf("score evidence %+v, want a paragraph number", e)
	}
}

func TestWorkbookReports(t *testing.T) {
	a := officetest.Form{Project: "乡村道路养护经费", Org: "某县交通运输局", Dept: "某县交通运输局",
		Year: 2023, Planned: 251.88999999999999, Adjusted: 251.88999999999999, Executed: 240.5, Score: 95.5}
	b := officetest.Form{Project: "农村饮水安全工程", Org: "某县水利局", Dept: "某县水利局",
		Year: 2022, Planned: 100, Adjusted: 120, Executed: 120, Score: 98}
	data := officetest.Workbook(t, func(f *excelize.File) {
		officetest.WriteForm(t, f, "Sheet1", 1, a)
		f.NewSheet("表2")
		officetest.WriteForm(t, f, "表2", 1, b)
	})
	r := &run.Runner{}
	exts, err := r.Reports(context.Background(), "forms.xlsx", data)
	if err != nil || len(exts) != 2 {
		t.Fatalf("%d reports, %v", len(exts), err)
	}
	for i, want := range []struct {
		sheet, project, org, planned, rate string
		year                               int
	}{{"Sheet1", a.Project, a.Org, "2518900", "95.48", 2023}, {"表2", b.Project, b.Org, "1000000", "100.00", 2022}} {
		e := exts[i]
		rep := e.Report
		if e.Source.Sheet != want.sheet || e.Source.Format != "xlsx" || rep.Project != want.project || rep.Organization != want.org ||
			rep.Year != want.year || rep.Budget.Planned == nil || rep.Budget.Planned.Yuan() != want.planned ||
			rep.Budget.ExecutionRate == nil || rep.Budget.ExecutionRate.String() != want.rate || len(rep.Indicators) != 3 {
			t.Errorf("report %d: sheet %q project %q org %q year %d planned %v rate %v rows %d", i, e.Source.Sheet, rep.Project,
				rep.Organization, rep.Year, rep.Budget.Planned, rep.Budget.ExecutionRate, len(rep.Indicators))
		}
		if ev := rep.Evidence["planned"]; ev.Sheet != want.sheet || ev.Cell != "D6" {
			t.Errorf("report %d: planned evidence %+v, want %s!D6", i, ev, want.sheet)
		}
	}
	if _, err := r.File(context.Background(), "forms.xlsx", data); !errors.Is(err, run.ErrSeveralReports) {
		t.Errorf("File on a workbook of two projects: %v, want ErrSeveralReports", err)
	}
}

// TestHostileOffice: files that look like Word or Excel and are not, or
// are protected, get a clear Chinese error, never a crash or a hang.
func TestHostileOffice(t *testing.T) {
	doc := officetest.Docx(t, officetest.P("正文"), "", "")
	book := officetest.Workbook(t, func(f *excelize.File) { f.SetCellValue("Sheet1", "A1", "x") })
	cases := []struct {
		name string
		data []byte
		want error
	}{
		{"encrypted.docx", officetest.Encrypt(t, doc, "secret"), office.ErrEncrypted},
		{"encrypted.xlsx", officetest.Encrypt(t, book, "secret"), office.ErrEncrypted},
		{"bomb.docx", officetest.Bomb(t, 300<<20, false), ooxml.ErrTooLarge},
		{"lying-bomb.docx", officetest.Bomb(t, 64<<20, true), ooxml.ErrNotZip},
		{"many-parts.docx", officetest.ManyParts(t, ooxml.MaxEntries+1), ooxml.ErrTooLarge},
		{"truncated.docx", doc[:len(doc)/2], ooxml.ErrNotZip},
		{"other.zip", officetest.Zip(t, map[string]string{"a.txt": "hello"}), ooxml.ErrNotOffice},
		{"ole2-junk.doc", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...), office.ErrNotOLE2},
	}
	r := &run.Runner{Office: &office.Converter{}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := r.Reports(context.Background(), c.name, c.data)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if !strings.HasPrefix(err.Error(), c.name+": ") || !hasHan(err.Error()) {
				t.Errorf("message %q: want the file's name and a Chinese reason", err)
			}
		})
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4E00 && r <= 0x9FFF {
			return true
		}
	}
	return false
}

// TestOldFormatsNeedLibreOffice: with no soffice on PATH, a .doc is refused
// with the message that says what to do.
func TestOldFormatsNeedLibreOffice(t *testing.T) {
	data, err := os.ReadFile("testdata/office/report.doc")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", t.TempDir())
	r := &run.Runner{Office: &office.Converter{}}
	_, err = r.File(context.Background(), "report.doc", data)
	if !errors.Is(err, office.ErrNoLibreOffice) {
		t.Fatalf("err = %v, want ErrNoLibreOffice", err)
	}
	for _, want := range []string{".docx", "LibreOffice", "libreoffice-writer-nogui"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
}

// TestOldFormatsThroughLibreOffice reads a .doc and a .xls (LibreOffice's
// own conversions of dev2-019's Word and Excel versions) when LibreOffice
// is installed; `make deps` installs it.
func TestOldFormatsThroughLibreOffice(t *testing.T) {
	if _, err := exec.LookPath("soffice"); err != nil {
		t.Skip("LibreOffice not installed (make deps installs it)")
	}
	r := &run.Runner{Office: &office.Converter{}}
	t.Cleanup(office.Cleanup)
	for _, c := range []struct {
		file, format string
		reports      int
	}{{"report.doc", "doc", 1}, {"forms.xls", "xls", 3}} {
		data, err := os.ReadFile("testdata/office/" + c.file)
		if err != nil {
			t.Fatal(err)
		}
		exts, err := r.Reports(context.Background(), c.file, data)
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if len(exts) != c.reports || exts[0].Source.Format != c.format || exts[0].Source.Extractor == "" ||
			exts[0].Report.Organization != "通化市东昌区文化广播电视和旅游局" || exts[0].Report.Score == nil {
			t.Errorf("%s: %d reports, source %+v, org %q", c.file, len(exts), exts[0].Source, exts[0].Report.Organization)
		}
	}
}
