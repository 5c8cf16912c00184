package document

import (
	"strconv"
	"strings"
	"testing"
)

func TestParseMarker(t *testing.T) {
	cases := []struct {
		line          string
		ok            bool
		level, value  int
		number, title string
		inline, part  bool
	}{
		{"一、基本情况", true, 1, 1, "一", "基本情况", false, false},
		{"十二．其他需要说明的问题", true, 1, 12, "十二", "其他需要说明的问题", false, false},
		{"第三部分 综合评价情况及评价结论", true, 1, 3, "三", "综合评价情况及评价结论", false, true},
		{"（二）项目概况。自治区红十字会负责……", true, 2, 2, "（二）", "项目概况", true, false},
		{"(三)存在问题", true, 2, 3, "（三）", "存在问题", false, false},
		{"3.绩效管理工作还比较粗放", true, 3, 3, "3", "绩效管理工作还比较粗放", false, false},
		{"2、资金使用计划有待进一步细化；", true, 3, 2, "2", "资金使用计划有待进一步细化", false, false},
		{"（4）档案管理不规范。", true, 4, 4, "（4）", "档案管理不规范", false, false},
		{"②加强人员培训", true, 5, 2, "②", "加强人员培训", false, false},
		{"3.5万元用于培训", false, 0, 0, "", "", false, false}, // a figure, not an item
		{"二〇二三年", false, 0, 0, "", "", false, false},
		{"项目概况", false, 0, 0, "", "", false, false},
	}
	for _, c := range cases {
		m, ok := ParseMarker(c.line)
		if ok != c.ok {
			t.Errorf("%q: ok %v, want %v", c.line, ok, c.ok)
			continue
		}
		if !ok {
			continue
		}
		if m.Level != c.level || m.Value != c.value || m.Number != c.number || m.Title != c.title || m.Inline != c.inline || m.Part != c.part {
			t.Errorf("%q: %+v", c.line, m)
		}
	}
}

// A paragraph, a heading and a table built through the Builder: blocks in
// order with their kinds, cells with their text and positions, sentences
// and dates found once, every offset mapped back to its source address.
func TestBuilder(t *testing.T) {
	var b Builder
	b.Open(ProseBlock)
	b.Write("一、基本情况", Addr{Paragraph: 1})
	b.Open(ProseBlock)
	b.Write("2023年5月，项目开工。年底前完成", Addr{Paragraph: 2})
	b.Write("验收。", Addr{Paragraph: 3})
	b.Open(TableBlock)
	b.SetLayout(Grid)
	b.Row([]string{"项目名称", "校舍维修"}, []Addr{{Sheet: "表1", Cell: "A1"}, {Sheet: "表1", Cell: "B1"}})
	b.Row([]string{"年度资金总额", ""}, []Addr{{Sheet: "表1", Cell: "A2"}, {Sheet: "表1", Cell: "B2"}})
	b.Open(ChromeBlock)
	b.Write("发布日期：2024年1月2日", Addr{Line: 9})
	d := b.Doc(0)

	kinds := []Kind{HeadingBlock, ProseBlock, TableBlock, ChromeBlock}
	if len(d.Blocks) != len(kinds) {
		t.Fatalf("%d blocks", len(d.Blocks))
	}
	for i, k := range kinds {
		if d.Blocks[i].Kind != k {
			t.Errorf("block %d is %s, want %s", i, d.Blocks[i].Kind, k)
		}
	}
	if d.BlockText(&d.Blocks[1]) != "2023年5月，项目开工。年底前完成验收。" {
		t.Errorf("paragraph %q", d.BlockText(&d.Blocks[1]))
	}
	tab := d.Blocks[2].Table
	if tab.Layout != Grid || len(tab.Rows) != 2 || tab.Rows[0][1].Text != "校舍维修" || !tab.Rows[1][1].Empty() || tab.Rows[1][0].Col != 0 {
		t.Fatalf("table %+v", tab)
	}
	if c := tab.Rows[0][1]; d.Text[c.Start:c.End] != "校舍维修" {
		t.Errorf("cell offsets %d..%d hold %q", c.Start, c.End, d.Text[c.Start:c.End])
	}
	if e := d.Evidence(tab.Rows[0][1].Start, tab.Rows[0][1].End); e.Sheet != "表1" || e.Cell != "B1" || e.Quote != "校舍维修" {
		t.Errorf("cell evidence %+v", e)
	}
	if e := d.Evidence(strings.Index(d.Text, "验收"), strings.Index(d.Text, "验收")+6); e.Paragraph != 3 {
		t.Errorf("evidence of a piece written from paragraph 3: %+v", e)
	}
	var sentences []string
	for _, s := range d.Sentences {
		sentences = append(sentences, d.Text[s.Start:s.End])
	}
	if got := strings.Join(sentences, "|"); got != "一、基本情况|2023年5月，项目开工。|年底前完成验收。|项目名称|校舍维修|年度资金总额" {
		t.Errorf("sentences %s", got)
	}
	if len(d.Dates) != 1 || d.Dates[0].Year != 2023 || d.Dates[0].Month != 5 {
		t.Errorf("dates %+v (the chrome's date is not one)", d.Dates)
	}
	if !d.InChrome(d.Blocks[3].Start) || !d.InTable(tab.Rows[0][0].Start) || d.InTable(d.Blocks[1].Start) {
		t.Error("InChrome / InTable")
	}
}

func TestDates(t *testing.T) {
	var b Builder
	b.Write("截至2022 年 12 月 31 日，执行率98%；2021年度结转；较2020年增长；２０２３年底完成；201年", Addr{Line: 1})
	d := b.Doc(0)
	var got []string
	for _, x := range d.Dates {
		got = append(got, strings.Join([]string{itoa(x.Year), itoa(x.Month), itoa(x.Day), x.Suffix}, "/"))
	}
	if strings.Join(got, " ") != "2022/12/31/ 2021/0/0/度 2020/0/0/ 2023/0/0/底" {
		t.Errorf("dates %v", got)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
