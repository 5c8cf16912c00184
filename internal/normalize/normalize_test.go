package normalize

import (
	"strings"
	"testing"
)

func TestJoinsHardWraps(t *testing.T) {
	raw := "（一）项目概况。自治区红十字会在自治区党委、政府的领导下，\n\n紧紧围绕自治区党委、政府中心工作，依照《中华人民共和国红\n\n十字会法》赋予的职责，大力开展应急救援、应急救护、人道救\n\n助等工作。\n\n二、绩效评价工作开展情况\n\n（一）绩效评价目的、对象和范围。\n"
	d := Parse(raw)
	want := "（一）项目概况。自治区红十字会在自治区党委、政府的领导下，紧紧围绕自治区党委、政府中心工作，依照《中华人民共和国红十字会法》赋予的职责，大力开展应急救援、应急救护、人道救助等工作。\n二、绩效评价工作开展情况\n（一）绩效评价目的、对象和范围。"
	if d.Text != want {
		t.Errorf("got\n%s\nwant\n%s", d.Text, want)
	}
}

func TestNeverJoinsHeadingsOrListItems(t *testing.T) {
	raw := "项目存在的主要问题：\n1、绩效管理工作还比较粗放，尤其是使用资金的业务部门对绩效管理工作的重大意义\n2、资金使用计划有待进一步细化\n（三）绩效评价工作过程\n"
	lines := strings.Split(Parse(raw).Text, "\n")
	if len(lines) != 4 {
		t.Errorf("lines %q", lines)
	}
}

func TestPageFurniture(t *testing.T) {
	raw := "某县水利局2021年度项目绩效自评报告\n一、基本情况\n项目年初预算数为 240\n— 1 —\n某县水利局2021年度项目绩效自评报告\n万元，资金来源为财政拨款。\n第 2 页 共 3 页\n\f二、绩效评价工作开展情况\n- 3 -\n"
	d := Parse(raw)
	if strings.Count(d.Text, "绩效自评报告") != 1 {
		t.Errorf("running header kept: %q", d.Text)
	}
	for _, junk := range []string{"— 1 —", "第 2 页", "- 3 -", "\f"} {
		if strings.Contains(d.Text, junk) {
			t.Errorf("furniture %q kept: %q", junk, d.Text)
		}
	}
	if !strings.Contains(d.Text, "项目年初预算数为 240万元，资金来源") {
		t.Errorf("number and unit not rejoined across the page break: %q", d.Text)
	}
	if d.Pages != 3 {
		t.Errorf("pages = %d, want 3", d.Pages)
	}
}

func TestPositionMap(t *testing.T) {
	raw := "一、基本情况\r\n\r\n项目年初安排资金 240 万元。其中用于宣传费用 85\r\n\r\n万元，用于培训 30 万元。\r\n\f二、绩效评价工作开展情况\r\n"
	d := Parse(raw)
	for _, c := range []struct {
		quote      string
		line, page int
	}{{"一、基本情况", 1, 1}, {"年初安排资金 240 万元", 3, 1}, {"万元，用于培训", 5, 1}, {"二、绩效评价工作开展情况", 6, 2}} {
		i := strings.Index(d.Text, c.quote)
		if i < 0 {
			t.Fatalf("%q not in %q", c.quote, d.Text)
		}
		line, page := d.Line(i)
		if line != c.line || page != c.page {
			t.Errorf("%q at line %d page %d, want %d/%d", c.quote, line, page, c.line, c.page)
		}
		e := d.Evidence(i, i+len(c.quote))
		if e.Quote != c.quote || e.Line != c.line {
			t.Errorf("evidence %+v", e)
		}
	}
}

func TestTableKeepsItsLines(t *testing.T) {
	raw := "五、有关建议\n加强管理。\n项目支出绩效自评表\n年初预算数\n全年预算数\n\n3378.00\n六、其他需要说明的问题\n无。\n"
	d := Parse(raw)
	tables := d.Tables()
	if len(tables) != 1 {
		t.Fatalf("%d tables", len(tables))
	}
	table := d.Text[tables[0].Start:tables[0].End]
	if table != "项目支出绩效自评表\n年初预算数\n全年预算数\n\n3378.00" {
		t.Errorf("table lines joined or dropped: %q", table)
	}
	if !strings.HasPrefix(d.Text[tables[0].End+1:], "六、其他需要说明的问题") {
		t.Errorf("table does not end at the next section: %q", d.Text[tables[0].End:])
	}
	var cells []string
	for _, c := range tables[0].Table.Cells() {
		cells = append(cells, c.Text)
	}
	if strings.Join(cells, "|") != "项目支出绩效自评表|年初预算数|全年预算数|3378.00" {
		t.Errorf("cells %q", cells)
	}
}

func TestFullWidthDigits(t *testing.T) {
	if got := Parse("安排资金２４０．５万元，执行率９８％").Text; got != "安排资金240.5万元，执行率98%" {
		t.Errorf("got %q", got)
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"一、基本情况\n\n项目\f— 2 —\n万元", "\r\n\r\n\f\f", "项目支出绩效自评表\n1\n2\n三、", "（一）\n1.\n76.\n3万元"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := Parse(s)
		for i := 0; i <= len(d.Text); i += 7 {
			if line, _ := d.Line(i); line < 1 {
				t.Fatalf("line %d for offset %d", line, i)
			}
		}
	})
}

func TestLetterSpacedPDFLine(t *testing.T) {
	got := Parse("截 至 2023 年 12 月 31 日 ， 实 际 支 出 3012.08 万 元 ， 预 算 执 行 率 为88.95%。").Text
	if got != "截至 2023 年 12 月 31 日，实际支出 3012.08 万元，预算执行率为88.95%。" {
		t.Errorf("got %q", got)
	}
}
