package check

import (
	"os"
	"strings"
	"testing"

	"github.com/jixiao/jixiao/internal/normalize"
	"github.com/jixiao/jixiao/internal/passage"
)

const (
	purposePara = "（一）绩效评价目的、对象和范围。通过开展绩效自评，了解和掌握资金使用情况及绩效目标完成情况，总结经验，查找不足，进一步提高预算管理水平。本次评价对象为2019年度部门整体支出，评价范围涵盖资金安排、使用管理和产出效益等情况。\n"
	methodPara  = "(二)绩效评价原则、评价指标体系、评价方法、评价标准等。评价工作坚持定量与定性相结合，以年初批复的绩效目标为基准，对照产出、效益和满意度等指标逐项核实完成情况，评价方法以目标比较法为主，辅以公众评判法。\n"
	processPara = "(三)绩效评价工作过程\n自评工作分为前期准备、数据采集、分析评价和撰写报告四个阶段。我会财务科牵头，会同业务科室核对预算批复、资金支付凭证和项目实施资料，对照绩效目标逐项分析偏差原因，经集体研究后形成自评结论。\n"
	monitorPara = "自治区红十字会按照业务部门承担的职责、红十字事业发展规划，以资金管理为主线，从运行成本、管理效率、履职效能、社会效应、可持续发展能力和服务对象的满意度等方面对绩效进行全方位监控，按照财政监控要求，在 2022年 5 月、9 月、11 月，将绩效目标监控实施情况及时上报自治区财政厅，接受财政绩效监督，对绩效目标实施中发现的问题及时纠正，确保了经费效益的最大发挥。\n"
)

func TestDuplicatePassageFires(t *testing.T) {
	tests := []struct {
		name   string
		text   string
		places int
		chars  int // at least
	}{
		{"paragraph pasted twice back to back", purposePara + purposePara + methodPara, 2, 110},
		{"paragraph copied into a later section", purposePara + methodPara + "三、综合评价结论\n" + processPara + purposePara, 2, 110},
		{"paragraph copied three times", methodPara + purposePara + processPara + methodPara + "四、主要经验\n" + methodPara, 3, 100},
		{"copy with its year changed is one passage", monitorPara + methodPara + strings.Replace(monitorPara, "2022年", "2020 年", 1), 2, 140},
		{"copy with other line breaks and spacing", purposePara + methodPara + strings.ReplaceAll(purposePara, "，", "， "), 2, 110},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := runRule(t, checkDuplicatePassages, tc.text, 2019)
			if len(got) != 1 {
				t.Fatalf("got %d findings, want 1: %+v", len(got), got)
			}
			f := got[0]
			if len(f.Evidence) != tc.places || f.Values["occurrences"].Int != int64(tc.places) {
				t.Errorf("%d places (values %v), want %d", len(f.Evidence), f.Values, tc.places)
			}
			if n := f.Values["chars"].Int; n < int64(tc.chars) {
				t.Errorf("chars = %d, want at least %d", n, tc.chars)
			}
			if !strings.HasPrefix(f.Message, "以下段落重复出现") {
				t.Errorf("message %q", f.Message)
			}
			for i := 1; i < len(f.Evidence); i++ {
				if f.Evidence[i].Offset <= f.Evidence[i-1].Offset {
					t.Errorf("places not in text order: %+v", f.Evidence)
				}
			}
		})
	}
}

func TestDuplicatePassageQuiet(t *testing.T) {
	tableRow := "产出指标    数量指标    培训基层卫生人员    ≥5000人次    5230人次    10    10\n" +
		"产出指标    质量指标    培训考核合格率    ≥95%    97.5%    10    10\n" +
		"效益指标    社会效益指标    基层诊疗服务能力    有所提高    明显提高    10    10\n"
	cellPerLine := "产出指标\n数量指标\n培训基层卫生人员\n≥5000人次\n5230人次\n10\n10\n产出指标\n质量指标\n培训考核合格率\n≥95%\n97.5%\n10\n10\n满意度指标\n服务对象满意度\n≥90%\n96%\n10\n10\n"
	shortList := "1.项目资料归档不够规范。\n2.科普活动形式较为单一。\n3.绩效目标设置不够细化。\n4.资金支付进度偏慢。\n"
	tests := []struct {
		name string
		text string
		// repeats: the text does hold 50 identical characters twice, so
		// only the reading of what a passage is keeps the rule quiet.
		repeats bool
	}{
		{"distinct paragraphs", purposePara + methodPara + processPara, false},
		{"repeated table rows", "项目支出绩效自评表\n" + tableRow + "部门整体支出绩效自评表\n" + tableRow, true},
		{"table cells one per line", "（2019年度）\n" + cellPerLine + methodPara + "（2019年度）\n" + cellPerLine, true},
		{"repeated short headings", "一、基本情况\n（一）项目概况\n" + methodPara + "一、基本情况\n（一）项目概况\n" + processPara, false},
		{"list of short items repeated", "五、存在的问题\n" + shortList + methodPara + "六、有关建议\n针对上述问题：\n" + shortList, true},
		{"shared opening under 50 characters", "通过开展绩效自评，了解和掌握资金使用情况及绩效目标完成情况，查找不足。\n" + methodPara + "通过开展绩效自评，了解和掌握资金使用情况及绩效目标完成情况，总结经验。\n", false},
		{"same deviation reason in two table rows", methodPara + "项目支出绩效自评表\n（2019年度）\n" +
			"产出指标    数量指标    培训基层卫生人员    ≥5000人次    4800人次    10    9.6    受疫情影响，部分线下培训班次延期至次年举办，已通过线上培训方式进行弥补，下一步将加强培训计划管理，确保年度目标任务全面完成\n" +
			"产出指标    数量指标    培训基层管理人员    ≥600人次    560人次    10    9.33    受疫情影响，部分线下培训班次延期至次年举办，已通过线上培训方式进行弥补，下一步将加强培训计划管理，确保年度目标任务全面完成\n" +
			"总分    100    98.93\n", true},
		{"a run of one character", strings.Repeat("—", 300) + "\n" + methodPara, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := runRule(t, checkDuplicatePassages, tc.text, 2019); len(got) != 0 {
				t.Errorf("got %d findings, want none: %+v", len(got), got)
			}
			ct := passage.Compact(normalize.Parse(tc.text).Text)
			if got := len(passage.Repeats(ct, passage.MinRunes, maxMergeGap)) > 0; got != tc.repeats {
				t.Errorf("raw repeats found = %v, want %v", got, tc.repeats)
			}
		})
	}
}

// The real report copies five paragraphs of its first sections into its
// "experience" section; each is one finding with both places.
func TestDuplicatePassageRealReport(t *testing.T) {
	raw, err := os.ReadFile("../../testdata/checks/xj-redcross-2022.txt")
	if err != nil {
		t.Fatal(err)
	}
	got := runRule(t, checkDuplicatePassages, string(raw), 2022)
	want := []string{
		"自治区红十字会在自治区党委、政府的领导下",
		"自治区红十字会党组高度重视预算绩效管理工作",
		"自治区红十字会按照业务部门承担的职责",
		"依托绩效管理，在重大项目实施前",
		"加强绩效管理包括绩效评价工作的培训和指导",
	}
	if len(got) != len(want) {
		t.Fatalf("got %d findings, want %d: %+v", len(got), len(want), got)
	}
	for i, f := range got {
		if len(f.Evidence) != 2 {
			t.Errorf("finding %d: %d places, want 2", i, len(f.Evidence))
		}
		for _, ev := range f.Evidence {
			if !strings.HasPrefix(compactString(ev.Quote), want[i]) {
				t.Errorf("finding %d quote %q, want it to start %q", i, ev.Quote, want[i])
			}
		}
	}
}

func BenchmarkDuplicatePassages(b *testing.B) {
	raw, err := os.ReadFile("../../testdata/checks/xj-redcross-2022.txt")
	if err != nil {
		b.Fatal(err)
	}
	in := &Input{Doc: normalize.Parse(string(raw))}
	b.ResetTimer()
	for b.Loop() {
		checkDuplicatePassages(in)
	}
}
