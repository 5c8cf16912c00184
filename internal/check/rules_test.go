package check

import (
	"strings"
	"testing"

	"github.com/jixiao/jixiao/internal/extract"
	"github.com/jixiao/jixiao/internal/normalize"
	"github.com/jixiao/jixiao/pipeline"
)

// checkText runs the whole extraction and every rule over a fragment of a
// self-evaluation report (a title line is put above it, as the rules only
// judge reports) and returns the findings of one rule.
func checkText(t *testing.T, rule, text string) []pipeline.Finding {
	t.Helper()
	doc := normalize.Parse("项目支出绩效自评报告\n" + text)
	r := extract.Extract(doc)
	var out []pipeline.Finding
	for _, f := range Run(doc, &r) {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

func TestBudgetRules(t *testing.T) {
	cases := []struct {
		name, rule, text string
		fires            bool
		inMessage        string
	}{
		{"items exceed the total (real report)", "budget.items_sum_mismatch",
			"红十字专项业务费年初安排资金 240 万元。其中用于宣传费用 85 万元，用于运转费用 76.3 万元，用于高校红十字会活动经费 10 万元，用于培训 30 万元，差旅费 35 万元，工作性经费 10 万元，人体器官捐献工作性经费 10 万元。",
			true, "分项金额合计 256.3 万元，与年初安排资金 240 万元不符（差 16.3 万元）"},
		{"items add up", "budget.items_sum_mismatch",
			"年初预算数为3,378万元。其中：勘测设计及监理945 万元；农田防护593 万元；土地平整工程866万元；灌溉与排水工程974万元。", false, ""},
		{"rounding: 76.3 stands for 76.25–76.35", "budget.items_sum_mismatch",
			"年初预算数为100万元，其中：设备购置23.7万元，培训费76.3万元。", false, ""},
		{"thirds rounded to 33.3 against a total of 100 (99.75–100.05 meets 99.5–100.5)", "budget.items_sum_mismatch",
			"年初预算数为100万元，其中：甲33.3万元，乙33.3万元，丙33.3万元。", false, ""},
		{"thirds against a total written to two decimals (100.00 stands for 99.995–100.005)", "budget.items_sum_mismatch",
			"年初预算数为100.00万元，其中：甲33.30万元，乙33.30万元，丙33.30万元。", true, "差 0.1 万元"},
		{"total in 元, parts in 万元", "budget.items_sum_mismatch",
			"年初预算数为2,400,000.00元，其中：宣传费85万元，物资管理费155万元。", false, ""},
		{"total in 元, parts in 万元, not adding up", "budget.items_sum_mismatch",
			"年初预算数为2,400,000.00元，其中：宣传费85万元，物资管理费165万元。", true, "差 10 万元"},
		{"stated rate differs from executed ÷ budget", "budget.execution_rate_mismatch",
			"年初预算安排 3080 万元。调整后全年预算数为 3425.1 万元。截至2022年12月31日，实际支出 3385.72 万元，预算执行率为96.5%。", true, "98.85%"},
		{"stated rate fits", "budget.execution_rate_mismatch",
			"全年预算数为3,378万元。截至2024年12月31日，实际支出3,330.14 万元，预算执行率98.59%。", false, ""},
		{"executed above budget", "budget.execution_exceeds_budget",
			"全年预算数为952万元。截至2019年12月31日，实际支出1007.65万元，预算执行率105.85%。", true, "超出 55.65 万元"},
		{"executed within budget", "budget.execution_exceeds_budget",
			"全年预算数为952万元。截至2019年12月31日，实际支出900万元。", false, ""},
		{"no execution stated", "budget.missing_execution", "红十字专项业务费年初安排资金 240 万元。", true, ""},
		{"mid-year progress is no execution figure", "budget.missing_execution",
			"年初安排资金 240 万元。截至2022年6月底，已支出120万元，支出进度50%。", true, ""},
		{"execution stated", "budget.missing_execution", "年初安排资金 240 万元。全年执行数为230万元。", false, ""},
	}
	for _, c := range cases {
		fs := checkText(t, c.rule, c.text)
		if (len(fs) > 0) != c.fires {
			t.Errorf("%s: %s fired %d times, want fires=%v: %+v", c.name, c.rule, len(fs), c.fires, fs)
			continue
		}
		if c.inMessage != "" && !strings.Contains(fs[0].Message, c.inMessage) {
			t.Errorf("%s: message %q lacks %q", c.name, fs[0].Message, c.inMessage)
		}
	}
}

func TestScoreRules(t *testing.T) {
	cases := []struct {
		name, rule, text string
		fires            bool
	}{
		{"良 for 98.34", "score.grade_mismatch", "综合评价得分为98.34分，评价等级为“良”。", true},
		{"优 for 90 (inclusive)", "score.grade_mismatch", "综合评价得分为90分，评价等级为“优”。", false},
		{"良 for 89.99", "score.grade_mismatch", "自评得分 89.99 分，等级为良好。", false},
		{"中 for 80", "score.grade_mismatch", "自评得分 80 分，等级为中。", true},
		{"no grade stated", "score.grade_mismatch", "自评得分 80 分。", false},
		{"total above 100", "score.out_of_range", "综合评价得分为 102.06 分，评价等级为“优”。", true},
		{"total in range", "score.out_of_range", "综合评价得分为 99.9 分。", false},
	}
	for _, c := range cases {
		if fs := checkText(t, c.rule, c.text); (len(fs) > 0) != c.fires {
			t.Errorf("%s: %s fired %d times, want %v: %+v", c.name, c.rule, len(fs), c.fires, fs)
		}
	}
}

const outline = `一、基本情况
项目概况。
二、绩效评价工作开展情况
（一）绩效评价目的。
（二）绩效评价工作过程。
三、综合评价情况及评价结论
综合评价得分为95分。
四、绩效评价指标分析
（一）项目决策情况
（二）项目过程情况
%s
五、主要经验及做法、存在的问题及原因分析
存在的主要问题：1、资金拨付不及时。2、档案管理不规范。
六、有关建议
加强管理。
七、其他需要说明的问题
无。
`

func TestStructureRules(t *testing.T) {
	full := strings.Replace(outline, "%s", "（三）项目产出情况", 1)
	if fs := checkText(t, "structure.numbering", full); len(fs) != 0 {
		t.Errorf("numbering fired on a clean outline: %+v", fs)
	}
	if fs := checkText(t, "structure.missing_section", full); len(fs) != 0 {
		t.Errorf("missing_section fired on the full template: %+v", fs)
	}
	repeat := strings.Replace(outline, "%s", "（二）项目产出情况", 1)
	if fs := checkText(t, "structure.numbering", repeat); len(fs) != 1 || !strings.Contains(fs[0].Message, "重复") {
		t.Errorf("numbering on a repeated （二）: %+v", fs)
	}
	skip := strings.Replace(outline, "%s", "（四）项目产出情况", 1)
	if fs := checkText(t, "structure.numbering", skip); len(fs) != 1 || !strings.Contains(fs[0].Message, "跳号") {
		t.Errorf("numbering on a skipped （三）: %+v", fs)
	}
	noAdvice := strings.Replace(strings.Replace(full, "六、有关建议\n加强管理。\n", "", 1), "七、其他", "六、其他", 1)
	if fs := checkText(t, "structure.missing_section", noAdvice); len(fs) != 1 || !strings.Contains(fs[0].Message, "有关建议") {
		t.Errorf("missing_section without 有关建议: %+v", fs)
	}
	reworded := full
	for old, new := range map[string]string{"基本情况": "项目基本概况", "绩效评价工作开展情况": "自评工作组织情况", "综合评价情况及评价结论": "自评结论",
		"绩效评价指标分析": "绩效目标实现情况", "主要经验及做法、存在的问题及原因分析": "经验做法与存在问题", "有关建议": "改进意见", "其他需要说明的问题": "其他事项"} {
		reworded = strings.Replace(reworded, "、"+old+"\n", "、"+new+"\n", 1)
	}
	if fs := checkText(t, "structure.missing_section", reworded); len(fs) != 0 {
		t.Errorf("missing_section on headings worded otherwise: %+v", fs)
	}
	split := strings.Replace(full, "五、主要经验及做法、存在的问题及原因分析", "五、主要经验及做法\n做法。\n六、存在的问题\n", 1)
	split = strings.Replace(strings.Replace(split, "六、有关建议", "七、相关建议", 1), "七、其他需要说明的问题", "八、其他需要说明的事项", 1)
	if fs := checkText(t, "structure.missing_section", split); len(fs) != 0 {
		t.Errorf("missing_section on an eight-section report: %+v", fs)
	}
}

func TestProblemsMissing(t *testing.T) {
	with := strings.Replace(outline, "%s", "", 1)
	if fs := checkText(t, "problems.missing", with); len(fs) != 0 {
		t.Errorf("fired with problems stated: %+v", fs)
	}
	none := strings.Replace(with, "存在的主要问题：1、资金拨付不及时。2、档案管理不规范。", "经自评，项目实施过程中未发现明显问题。", 1)
	if fs := checkText(t, "problems.missing", none); len(fs) != 1 {
		t.Errorf("did not fire on 未发现明显问题: %+v", fs)
	}
}
