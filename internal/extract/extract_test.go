package extract

import (
	"strings"
	"testing"

	"github.com/jixiao/jixiao/internal/normalize"
	"github.com/jixiao/jixiao/pipeline"
)

func extractText(t *testing.T, raw string) pipeline.Report {
	t.Helper()
	return Extract(normalize.Parse(raw))
}

func yuan(a *pipeline.Amount) string {
	if a == nil {
		return "null"
	}
	return a.Yuan()
}

// A report laid out the other way: 第一部分 headings, eight sections (section
// five split), problems as 一是…二是…, amounts in 千元 and upper-case numerals,
// a running header on every page and a page break between a number and its
// unit.
const partsReport = `某某县水利局2021年度农村饮水安全巩固提升项目绩效自评报告

第一部分 项目基本情况
一、项目概况。某某县水利局负责全县水利工作。农村饮水安全巩固提升项目年初预算数为人民币贰佰肆拾万元，其中：管网改造1500千元，水质检测设备900千元。全年预算数为2400千元。
截至2021年12月31日，实际支出2,280,000.00元，预算执行率为95%。
第二部分 绩效评价工作开展情况
本次评价对象为2021年度农村饮水安全巩固提升项目。
— 2 —
某某县水利局2021年度农村饮水安全巩固提升项目绩效自评报告
第三部分 综合评价情况及评价结论
经综合评价，自评得分为88.5分，评价等级为良好。
第四部分 绩效评价指标分析
项目产出数量、质量、时效均达到预期。
第五部分 主要经验及做法
一是领导重视，二是制度健全。
第六部分 存在的问题及原因分析
一是部分乡镇管网老化问题仍较突出，维修资金不足；二是水质检测能力有待提升，检测频次偏低；三是绩效目标设置不够细化。
第七部分 有关建议
一是加大资金投入；二是加强人员培训。
第八部分 其他需要说明的问题
无。
`

func TestPartsReport(t *testing.T) {
	r := extractText(t, partsReport)
	if r.Organization != "某某县水利局" || r.Year != 2021 || r.Kind != "project" {
		t.Errorf("identity: %q %d %q", r.Organization, r.Year, r.Kind)
	}
	if !strings.Contains(r.Project, "农村饮水安全巩固提升") {
		t.Errorf("project %q", r.Project)
	}
	if yuan(r.Budget.Planned) != "2400000" || yuan(r.Budget.Adjusted) != "2400000" || yuan(r.Budget.Executed) != "2280000" {
		t.Errorf("budget planned %s adjusted %s executed %s", yuan(r.Budget.Planned), yuan(r.Budget.Adjusted), yuan(r.Budget.Executed))
	}
	if r.Budget.ExecutionRate == nil || r.Budget.ExecutionRate.Trim() != "95" {
		t.Errorf("rate %v", r.Budget.ExecutionRate)
	}
	if len(r.LineItems) != 2 || r.LineItems[0].Amount.Yuan() != "1500000" || r.LineItems[1].Amount.Yuan() != "900000" {
		t.Errorf("line items %+v", r.LineItems)
	}
	if r.Score == nil || r.Score.Trim() != "88.5" || r.Grade != "良" {
		t.Errorf("score %v grade %q", r.Score, r.Grade)
	}
	want := []string{"部分乡镇管网老化问题", "水质检测能力有待提升", "绩效目标设置不够细化"}
	if len(r.Problems) != len(want) {
		t.Fatalf("problems %q", r.Problems)
	}
	for i, w := range want {
		if !strings.HasPrefix(r.Problems[i], w) {
			t.Errorf("problem %d = %q, want prefix %q", i, r.Problems[i], w)
		}
	}
	if len(r.Suggestions) != 2 {
		t.Errorf("suggestions %q", r.Suggestions)
	}
	tops := 0
	for _, s := range r.Sections {
		if s.Level == 1 {
			tops++
		}
	}
	if tops != 8 {
		t.Errorf("top-level sections = %d, want 8: %+v", tops, r.Sections)
	}
}

// Nothing stated, nothing invented: a text that is not a report gives nulls.
func TestNotStatedIsNull(t *testing.T) {
	r := extractText(t, "这是一份会议通知。请各单位于下周一上午九点参加会议。\n联系人：张三")
	if r.Budget.Planned != nil || r.Budget.Adjusted != nil || r.Budget.Executed != nil || r.Budget.ExecutionRate != nil {
		t.Errorf("budget invented: %+v", r.Budget)
	}
	if r.Score != nil || r.Grade != "" || r.Year != 0 || r.Project != "" {
		t.Errorf("invented score %v grade %q year %d project %q", r.Score, r.Grade, r.Year, r.Project)
	}
	if len(r.LineItems) != 0 || len(r.Problems) != 0 || len(r.Indicators) != 0 {
		t.Errorf("invented lists: %d items, %d problems, %d indicators", len(r.LineItems), len(r.Problems), len(r.Indicators))
	}
}

func TestTitles(t *testing.T) {
	cases := []struct{ text, org, project string }{
		{"伊宁县农业农村局关于2022年度高标准农田建设项目绩效自评的报告\n一、基本情况\n伊宁县农业农村局负责全县农业工作。\n", "伊宁县农业农村局", "高标准农田建设项目"},
		{"2022年度高标准农田建设项目绩效自评报告\n（伊宁县农业农村局）\n一、基本情况\n", "伊宁县农业农村局", "高标准农田建设项目"},
		{"2022年度公共文化服务体系建设专项项目支出绩效自评报告\n一、基本情况\n自治区文化和旅游厅负责全区文化工作。\n", "自治区文化和旅游厅", "公共文化服务体系建设专项"},
		{"吐鲁番市残疾人联合会\n2022年度部门整体支出绩效自评报告\n一、基本情况\n", "吐鲁番市残疾人联合会", ""},
	}
	for _, c := range cases {
		r := extractText(t, c.text)
		if r.Organization != c.org || r.Project != c.project || r.Year != 2022 {
			t.Errorf("%q: org %q project %q year %d", c.text, r.Organization, r.Project, r.Year)
		}
	}
}

func TestFragments(t *testing.T) {
	cases := []struct {
		name, text string
		check      func(r pipeline.Report) bool
	}{
		{"number and unit split by a page break", "一、基本情况\n项目年初预算数为 240\n\f万元，资金来源为财政拨款。\n", func(r pipeline.Report) bool { return yuan(r.Budget.Planned) == "2400000" }},
		{"number split by a footer between pages", "一、基本情况\n项目年初预算数为 76.\n— 1 —\n3万元，资金来源为财政拨款。\n", func(r pipeline.Report) bool { return yuan(r.Budget.Planned) == "763000" }},
		{"mid-year progress is not execution", "截至2022年6月底，已支出120万元，支出进度50%。", func(r pipeline.Report) bool { return r.Budget.Executed == nil }},
		{"grade word 优秀", "综合评价得分92分，评价等级为“优秀”。", func(r pipeline.Report) bool { return r.Grade == "优" && r.Score.Trim() == "92" }},
		{"整体评价优良 is not a grade", "整体评价项目支出优良。", func(r pipeline.Report) bool { return r.Grade == "" }},
		{"inline problems", "二、存在问题\n存在的主要问题：1、资金拨付不及时，影响进度。2、档案管理不规范。\n三、建议\n", func(r pipeline.Report) bool {
			return len(r.Problems) == 2 && strings.HasPrefix(r.Problems[1], "档案管理不规范")
		}},
		{"department split", "2021年我会年初预算数为491.00万元，其中：基本支出355.00万元，项目支出136.00万元。", func(r pipeline.Report) bool {
			return len(r.LineItems) == 2 && r.LineItems[0].Amount.Yuan() == "3550000"
		}},
		{"批复数 and 实际使用", "本年度预算批复数为150万元，实际使用资金145万元，资金执行率96.67%。", func(r pipeline.Report) bool {
			return yuan(r.Budget.Planned) == "1500000" && yuan(r.Budget.Executed) == "1450000" && r.Budget.ExecutionRate.Trim() == "96.67"
		}},
		{"department 支出预算 and its split", "部门2022年收入预算1200万元，支出预算1200万元，其中基本支出800万元，项目支出400万元。", func(r pipeline.Report) bool {
			return yuan(r.Budget.Planned) == "12000000" && len(r.LineItems) == 2
		}},
		{"a plan's execution rate is not the budget's", "年度目标：科普活动方案执行率100%。截至12月31日，实际支出545.99万元，预算执行率为88.70%。", func(r pipeline.Report) bool {
			return r.Budget.ExecutionRate != nil && r.Budget.ExecutionRate.Trim() == "88.7"
		}},
		{"grade 评定为优秀", "经自评，项目综合评分92.5分，自评等级评定为优秀。", func(r pipeline.Report) bool { return r.Grade == "优" && r.Score.Trim() == "92.5" }},
		{"追加后全年预算数 is the adjusted budget", "年初预算数为300万元，执行中追加预算50万元，追加后全年预算数为350万元，已支付资金340万元。", func(r pipeline.Report) bool {
			return yuan(r.Budget.Planned) == "3000000" && yuan(r.Budget.Adjusted) == "3500000" && yuan(r.Budget.Executed) == "3400000"
		}},
		{"grade 等级评定：优", "自评得分93分，等级评定：优。", func(r pipeline.Report) bool { return r.Grade == "优" }},
		{"parts as a numbered list, one per line", "年初预算数为300万元，其中：\n1.设备购置200万元；\n2.人员培训100万元。\n二、绩效评价工作开展情况", func(r pipeline.Report) bool {
			return len(r.LineItems) == 2 && r.LineItems[1].Amount.Yuan() == "1000000"
		}},
		{"资金安排如下", "项目年初预算300万元，资金安排如下：一是设备购置200万元；二是人员培训100万元。", func(r pipeline.Report) bool {
			return len(r.LineItems) == 2
		}},
		{"funding sources are not line items", "年初预算数为300万元，其中：中央财政资金200万元，自治区本级资金100万元。", func(r pipeline.Report) bool {
			return len(r.LineItems) == 0 && len(r.Breakdowns) == 1
		}},
	}
	for _, c := range cases {
		r := extractText(t, c.text)
		if !c.check(r) {
			t.Errorf("%s: got %+v", c.name, r)
		}
	}
}

func TestEvidencePointsIntoText(t *testing.T) {
	doc := normalize.Parse(partsReport)
	r := Extract(doc)
	for k, e := range r.Evidence {
		if !strings.Contains(doc.Text, e.Quote) || e.Line < 1 {
			t.Errorf("evidence %s: %+v not in text", k, e)
		}
		if doc.Text[e.Offset:e.Offset+len(e.Quote)] != e.Quote {
			t.Errorf("evidence %s: offset %d does not point at %q", k, e.Offset, e.Quote)
		}
	}
}
