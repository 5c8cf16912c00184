package docx

import (
	"strings"
	"testing"

	"github.com/jixiao/jixiao/internal/officetest"
)

func TestNumberFormats(t *testing.T) {
	for _, c := range []struct {
		n      int
		format string
		want   string
	}{
		{1, "chineseCounting", "一"}, {10, "chineseCounting", "十"}, {11, "chineseCounting", "十一"},
		{20, "chineseCounting", "二十"}, {21, "chineseCountingThousand", "二十一"}, {105, "chineseCounting", "一百零五"},
		{110, "chineseCounting", "一百一十"}, {3, "chineseLegalSimplified", "叁"}, {12, "chineseLegalSimplified", "壹拾贰"},
		{2, "decimalEnclosedCircle", "②"}, {3, "decimalEnclosedParen", "（3）"}, {2, "ideographTraditional", "乙"},
		{4, "upperRoman", "IV"}, {3, "lowerLetter", "c"}, {7, "decimal", "7"}, {7, "someFutureFormat", "7"},
	} {
		if got := formatNumber(c.n, c.format); got != c.want {
			t.Errorf("formatNumber(%d, %s) = %q, want %q", c.n, c.format, got, c.want)
		}
	}
}

const numXML = `<w:numbering ` + officetest.W + `>
<w:abstractNum w:abstractNumId="5">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
 <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%3"/><w:isLgl/></w:lvl>
 <w:lvl w:ilvl="3"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="5"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="5"/><w:lvlOverride w:ilvl="1"><w:startOverride w:val="3"/></w:lvlOverride></w:num>
</w:numbering>`

func item(num, lvl, text string) string {
	return `<w:p><w:pPr><w:numPr><w:ilvl w:val="` + lvl + `"/><w:numId w:val="` + num + `"/></w:numPr></w:pPr><w:r><w:t>` + text + `</w:t></w:r></w:p>`
}

// TestNumbering: levels count and restart as Word's do; a deeper level
// restarts under a new item; a legal level shows its parents in decimal;
// a startOverride starts its list where it says; bullets add nothing;
// numId 0 switches numbering off.
func TestNumbering(t *testing.T) {
	body := item("1", "0", "基本情况") + item("1", "1", "项目概况") + item("1", "1", "绩效目标") +
		item("1", "2", "产出") + item("1", "0", "自评结论") + item("1", "1", "得分") +
		item("1", "3", "要点") + item("0", "0", "不编号") + item("2", "1", "接续") + `<w:p/>` + item("1", "1", "下一项")
	d, err := Read(officetest.Docx(t, body, numXML, ""))
	if err != nil {
		t.Fatal(err)
	}
	want := "一、基本情况\n（一）项目概况\n（二）绩效目标\n1.1产出\n二、自评结论\n（一）得分\n要点\n不编号\n（三）接续\n（四）下一项"
	if d.Text != want {
		t.Errorf("text:\n%s\nwant:\n%s", d.Text, want)
	}
	if a := d.Pos(strings.Index(d.Text, "二、")); a.Paragraph != 5 {
		t.Errorf("二、自评结论 at %+v, want paragraph 5", a)
	}
}

// TestGrid: gridBefore shifts a row's cells, gridSpan widens a cell, a
// vMerge continuation is empty, every row has the grid's width.
func TestGrid(t *testing.T) {
	tc := func(props, text string) string {
		return `<w:tc><w:tcPr>` + props + `</w:tcPr>` + officetest.P(text) + `</w:tc>`
	}
	body := `<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>` +
		`<w:tr>` + tc(`<w:vMerge w:val="restart"/>`, "甲") + tc(`<w:gridSpan w:val="2"/>`, "乙") + tc("", "丙") + `</w:tr>` +
		`<w:tr>` + tc(`<w:vMerge/>`, "") + tc("", "丁") + tc("", "戊") + tc("", "己") + `</w:tr>` +
		`<w:tr><w:trPr><w:gridBefore w:val="2"/></w:trPr>` + tc("", "庚") + `</w:tr></w:tbl>`
	d, err := Read(officetest.Docx(t, body, "", ""))
	if err != nil {
		t.Fatal(err)
	}
	want := "甲 | 乙 |  | 丙\n | 丁 | 戊 | 己\n |  | 庚 | "
	if d.Text != want {
		t.Errorf("text:\n%q\nwant:\n%q", d.Text, want)
	}
}

// TestWrappedTextIsReadAsText: a Word file whose paragraphs are a wrapped
// text's lines is joined back into sentences.
func TestWrappedTextIsReadAsText(t *testing.T) {
	lines := []string{"一、基本情况", "本项目年初预算数为三百万元，资金来源为县级财政资金，主要用于",
		"乡村道路的日常养护和维修，全年实际支出二百八十万元，执行率为百分之", "九十三，资金使用规范，未发现挤占挪用等问题，各项工作按计划推",
		"进，养护里程达到一百二十公里，超过年度目标，群众满意度较高，社", "会效益明显，达到了预期的绩效目标，本年度自评得分为九十五分，等",
		"级为优秀。"}
	var body string
	for _, l := range lines {
		body += officetest.P(l)
	}
	d, err := Read(officetest.Docx(t, body, "", ""))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(d.Text, "主要用于乡村道路") || !strings.Contains(d.Text, "等级为优秀。") {
		t.Errorf("wrapped lines not joined:\n%s", d.Text)
	}
}
