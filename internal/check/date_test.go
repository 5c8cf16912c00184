package check

import (
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/jixiao/jixiao/internal/normalize"
	"github.com/jixiao/jixiao/pipeline"
)

func runRule(t *testing.T, check func(*Input) []pipeline.Finding, text string, year int) []pipeline.Finding {
	t.Helper()
	doc := normalize.Parse(text)
	findings := check(&Input{Doc: doc, Report: &pipeline.Report{Year: year}})
	for _, f := range findings {
		for _, ev := range f.Evidence {
			if !strings.Contains(doc.Text, ev.Quote) || ev.Quote == "" {
				t.Errorf("evidence quote %q is not in the normalised text", ev.Quote)
			}
			if n := len([]rune(ev.Quote)); n > 80 {
				t.Errorf("evidence quote has %d characters, over 80", n)
			}
		}
	}
	return findings
}

func TestYearMismatchFires(t *testing.T) {
	tests := []struct {
		name      string
		year      int
		text      string
		other     int
		evidence  int
		inMessage string
	}{{
		name:  "monitoring months in an earlier year",
		year:  2018,
		text:  "（一）预算编制及执行情况\n照财政监控要求，我厅在2017年5月、9月、11月对绩效目标实现程度和预算执行进度开展监控，并将监控情况及时上报财政部门。\n",
		other: 2017, evidence: 1, inMessage: "2017年5月",
	}, {
		name:  "spaces inside the date",
		year:  2022,
		text:  "对绩效进行全方位监控，按照财政监控要求，在 2020 年 5 月、9 月、11 月，将绩效目标监控实施情况及时上报自治区财政厅，接受财政绩效监督。\n",
		other: 2020, evidence: 1, inMessage: "2020年5月",
	}, {
		name: "copied passage with its year changed",
		year: 2022,
		text: "（一）项目决策情况。\n自治区红十字会按照业务部门承担的职责、红十字事业发展规划，以资金管理为主线，对绩效进行全方位监控，按照财政监控要求，在 2022年 5 月、9 月、11 月，将绩效目标监控实施情况及时上报自治区财政厅，接受财政绩效监督，对绩效目标实施中发现的问题及时纠正。\n" +
			"三、开展绩效监控，实现科学规范和公开透明\n自治区红十字会按照业务部门承担的职责、红十字事业发展规划，以资金管理为主线，对绩效进行全方位监控，按照财政监控要求，在 2020 年 5 月、9 月、11 月，将绩效目标监控实施情况及时上报自治区财政厅，接受财政绩效监督，对绩效目标实施中发现的问题及时纠正。\n",
		other: 2020, evidence: 2, inMessage: "同一表述出现两个不同年份：2022年 与 2020年",
	}, {
		name:  "execution cut-off at the end of the previous year",
		year:  2023,
		text:  "我会严格按照部门预算编制要求编制预算。截至2022年12月31日，实际支出545.99万元，预算执行率为88.70%。\n",
		other: 2022, evidence: 1,
	}, {
		name:  "monitoring dated in the following year",
		year:  2022,
		text:  "按照财政监控要求，我厅在2023年5月、9月对绩效目标实现程度和预算执行进度开展监控。\n",
		other: 2023, evidence: 1,
	}, {
		name:  "year-end cut-off in the following year",
		year:  2022,
		text:  "截至2023年12月31日，项目资金已支出6,814.26 万元，执行率98.89%。\n",
		other: 2023, evidence: 1,
	}, {
		name:  "evaluated object named with another year",
		year:  2022,
		text:  "（一）绩效评价目的、对象和范围。通过开展绩效自评，进一步提高预算管理水平。本次评价对象为2021年度学前教育发展专项资金，评价范围涵盖资金安排、使用管理和产出效益等情况。\n",
		other: 2021, evidence: 1,
	}, {
		name:  "annual target named with an earlier year",
		year:  2022,
		text:  "年度目标：2021年免费开放场馆数量≥120个；服务群众人次≥50万人次。\n",
		other: 2021, evidence: 1,
	}, {
		name:  "self-evaluation notice of an earlier fiscal year",
		year:  2022,
		text:  "按照财政部门关于开展2021年度绩效自评工作的通知要求，我厅及时安排部署，组织相关科室认真梳理项目资金使用、绩效目标完成等情况。\n",
		other: 2021, evidence: 1,
	}, {
		name:  "year heading of the self-evaluation table",
		year:  2022,
		text:  "项目支出绩效自评表\n                    （2021年度）\n项目名称    公共文化服务体系建设专项\n",
		other: 2021, evidence: 1,
	}, {
		name:  "evaluated object named with the following year",
		year:  2022,
		text:  "按照财政部门关于开展 2023 年度绩效自评工作的通知要求，我会及时安排部署。\n",
		other: 2023, evidence: 1,
	}, {
		name:  "output statement with a bare earlier year",
		year:  2022,
		text:  "2021年项目产出情况总体良好，主要指标完成情况如下。\n",
		other: 2021, evidence: 1,
	}, {
		name:  "monitoring at the end of September of an earlier year",
		year:  2019,
		text:  "2018年9月底绩效运行监控时，项目累计支出12,853,400.00元，支出进度为48.5%。\n",
		other: 2018, evidence: 1,
	}, {
		name:  "budget year unknown: guessed from the title",
		year:  0,
		text:  "2020年度基层医疗卫生机构能力提升项目支出绩效自评报告\n本次评价对象为2020年度基层医疗卫生机构能力提升项目。\n我委在2018年5月、9月、11月对绩效目标实现程度和预算执行进度开展监控。\n",
		other: 2018, evidence: 1,
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := runRule(t, checkYearMismatch, tc.text, tc.year)
			if len(got) != 1 {
				t.Fatalf("got %d findings, want 1: %+v", len(got), got)
			}
			f := got[0]
			if f.Values["other_year"].Int != int64(tc.other) {
				t.Errorf("other_year = %v, want %d", f.Values["other_year"], tc.other)
			}
			if len(f.Evidence) != tc.evidence {
				t.Errorf("%d evidence, want %d", len(f.Evidence), tc.evidence)
			}
			if !strings.Contains(f.Message, tc.inMessage) {
				t.Errorf("message %q lacks %q", f.Message, tc.inMessage)
			}
			for _, ev := range f.Evidence {
				if !strings.Contains(compactString(ev.Quote), "年") {
					t.Errorf("evidence %q does not show the date", ev.Quote)
				}
			}
		})
	}
}

func TestYearMismatchTraps(t *testing.T) {
	tests := []struct {
		name string
		year int
		text string
	}{
		{"document number", 2022, "根据《自治区财政厅关于印发〈自治区本级项目支出绩效管理办法〉的通知》（新财预〔2020〕10号）要求，我厅于2022年5月开展绩效监控。\n"},
		{"document number in square brackets", 2022, "按照新财绩[2021]3号文件要求，项目资金已全部拨付到位。\n"},
		{"comparison with an earlier year", 2022, "全年共培训基层卫生人员5230人次，较2021年增长12.3%，项目执行情况良好。\n"},
		{"comparison with the same month of an earlier year", 2022, "截至9月底，项目支出进度较2021年9月提高8个百分点。\n"},
		{"five-year plan in a title", 2022, "根据《新疆维吾尔自治区红十字事业发展规划（2021—2025年）》要求，项目实施进展顺利。\n"},
		{"plan range with a hyphen", 2022, "按照《自治区学前教育发展规划2021-2025年》，项目已执行完毕。\n"},
		{"revised law", 2022, "依据《中华人民共和国预算法实施条例（2020年修订）》，严格执行资金支出审批程序。\n"},
		{"self-evaluation in the following year", 2022, "2023年3月，我厅成立了由分管领导任组长，财务、业务等相关处室负责人为成员的绩效自评工作小组，开展自评工作。\n"},
		{"report date", 2022, "七、其他需要说明的问题\n无。\n自治区教育厅\n2023年4月24日\n"},
		{"cut-off at the end of the budget year", 2022, "截至2022年12月31日，实际支出219.1万元，预算执行率为91.29%。\n"},
		{"money released early in the previous December", 2022, "2021年12月，自治区财政厅提前下达项目资金300万元，资金已及时拨付到位。\n"},
		{"project started in an earlier year", 2022, "该项目于2019年6月启动实施，是自治区重点民生项目。\n"},
		{"since an earlier year", 2022, "自2019年5月以来，项目持续实施，累计培训教师1.2万人次。\n"},
		{"carry-over from last year", 2022, "上年结转资金于2021年11月下达，已全部支出。\n"},
		{"goal in a later year", 2022, "力争到2025年底实现普惠性幼儿园覆盖率达到85%的目标。\n"},
		{"two cut-offs in two years", 2022, "截至2021年12月31日，项目结余资金20万元；截至2022年12月31日，实际支出219.1万元，预算执行率为91.29%。\n"},
		{"background: a programme launched earlier", 2022, "2019年，我厅启动了学前教育提升工程，全区普惠性幼儿园数量逐年增加。\n"},
		{"background: an award in an earlier year", 2022, "2021年，项目荣获全国学前教育先进集体称号。\n"},
		{"balance at the end of an earlier year", 2022, "截至2021年12月31日，项目结余资金20万元。\n"},
		{"last year's rate beside this year's", 2022, "2021年该项目执行率为95%，今年为98.2%。\n"},
		{"earlier phase completed", 2022, "项目一期工程于2019年5月通过竣工验收并投入使用。\n"},
		{"carried-over money spent early in the following year", 2022, "截至2023年3月31日，结转资金已全部支出。\n"},
		{"planned payment in the following year", 2022, "剩余尾款预计于2023年9月支付。\n"},
		{"last year's evaluation results", 2022, "根据2021年度绩效评价结果，优化了项目资金分配结构。\n"},
		{"last year's final accounts", 2022, "2021年度部门决算数为3,012.08万元，决算报表已按时报送。\n"},
		{"year heading of the budget year", 2022, "项目支出绩效自评表\n（2022年度）\n"},
		{"next year's targets in a suggestion", 2022, "建议科学设定2023年度绩效目标，细化量化年度目标值。\n"},
		{"next year's budget", 2022, "2023年度预算安排将向重点项目倾斜。\n"},
		{"award of an earlier year", 2022, "我厅被评为2021年度全区文化工作先进单位。\n"},
		{"statistics of an earlier year", 2022, "2021年度全区学前三年毛入园率达到95.6%，普惠性幼儿园覆盖率达到87%。\n"},
		{"budget year itself", 2022, "按照财政监控要求，我厅在2022年5月、9月、11月对绩效目标实现程度和预算执行进度开展监控。\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := runRule(t, checkYearMismatch, tc.text, tc.year); len(got) != 0 {
				t.Errorf("got %d findings, want none: %+v", len(got), got)
			}
		})
	}
}

// The real report: its monitoring paragraph is copied with 2020 for 2022.
func TestYearMismatchRealReport(t *testing.T) {
	raw, err := os.ReadFile("../../testdata/checks/xj-redcross-2022.txt")
	if err != nil {
		t.Fatal(err)
	}
	got := runRule(t, checkYearMismatch, string(raw), 2022)
	if len(got) != 1 {
		t.Fatalf("got %d findings, want 1: %+v", len(got), got)
	}
	f := got[0]
	if f.Values["budget_year"].Int != 2022 || f.Values["other_year"].Int != 2020 || len(f.Evidence) != 2 {
		t.Errorf("finding = %+v, want 2022 vs 2020 with both places", f)
	}
	if f.Evidence[0].Line >= f.Evidence[1].Line {
		t.Errorf("evidence lines %d, %d: want the two places in text order", f.Evidence[0].Line, f.Evidence[1].Line)
	}
}

// One wording repeated thousands of times with alternating years (a
// hostile text, or a table of years run together) pairs each date with a
// bounded number of later ones, not with every other: the pairing was
// quadratic (a 512 KB text of year headings took 249 s and 10 GB).
func TestAlikePairsBoundedPerDate(t *testing.T) {
	const n = 2000
	ctx := yearContext{left: []rune(strings.Repeat("年度项目支出绩效自评", 4)), right: []rune(strings.Repeat("报告基本情况如下所述", 4))}
	ctxs := make([]yearContext, n)
	years := make([]int, n)
	for i := range ctxs {
		ctxs[i], years[i] = ctx, 2020+i%2
	}
	pairs := alikePairs(ctxs, years)
	if limit := n * maxAlike; len(pairs) > limit {
		t.Fatalf("%d pairs for %d dates, want at most %d", len(pairs), n, limit)
	}
	// The pairs a copied sentence needs are still there: each date with
	// the next one of the other year.
	for i := 0; i+1 < n; i++ {
		if !containsPair(pairs, [2]int{i, i + 1}) {
			t.Fatalf("pair (%d, %d) missing", i, i+1)
		}
	}
}

func containsPair(ps [][2]int, p [2]int) bool {
	i := sort.Search(len(ps), func(i int) bool { return ps[i][0] > p[0] || ps[i][0] == p[0] && ps[i][1] >= p[1] })
	return i < len(ps) && ps[i] == p
}
