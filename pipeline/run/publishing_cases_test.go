package run

import (
	"os"
	"path/filepath"
	"testing"
)

// Class 1: web copies. Breadcrumbs, a metadata block (labels alone on their
// lines, labels in brackets, a list, a table), a footer: never a field.
func TestWebCopies(t *testing.T) {
	report := "三台县农业农村局2023年度部门整体支出绩效自评报告\n一、部门基本情况\n三台县农业农村局（以下简称“县农业农村局”）负责全县农业农村工作。2023年部门预算总金额845.20万元，其中：基本支出601.20万元，项目支出244.00万元。截至2023年12月31日，累计支出812.37万元，预算执行率96.12%。\n二、自评结论\n综合得分93.6分，自评等级为优。\n三、存在的问题\n1.部分项目前期准备不足，资金支付偏慢。\n"
	runCases(t, []publishingCase{
		{name: "labels on their own lines", text: "您当前的位置：网站首页 » 信息公开 » 财政预决算\n索引号\n115107227A1234567/2024-01122\n发布机构\n三台县财政局\n成文日期\n2024-04-02\n时效性\n有效\n" + report + "打印本页 关闭窗口\n主办：三台县人民政府办公室\n网站识别码：5107220011 蜀ICP备05012345号\n",
			want: want{"organization": "三台县农业农村局", "kind": "department", "year": "2023", "planned": "8452000", "executed": "8123700", "rate": "96.12", "items": "6012000 2440000", "score": "93.6", "grade": "优"}},
		{name: "labels in brackets", text: "[ 索引号 ] 115107227A1234567/2024-01122 [ 主题分类 ] 财政\n[ 发布机构 ] 三台县财政局\n[ 有效性 ][ 成文日期 ] 2024-04-02\n" + report,
			want: want{"organization": "三台县农业农村局", "year": "2023", "planned": "8452000"}},
		{name: "metadata as a list, twice", text: "财政资金\n· 信息索引号：2024-0317\n· 发文机关：三台县财政局\n· 发布时间：2024-04-02\n· 信息索引号：2024-0317\n· 发文机关：三台县财政局\n· 发布时间：2024-04-02\n" + report,
			want: want{"organization": "三台县农业农村局", "year": "2023"}, notRaised: []string{"text.duplicate_passage"}},
		{name: "metadata as a table", text: "| 索引号 | 115107227A1234567/2024-01122 | 发布机构 | 三台县财政局 |\n| 成文日期 | 2024-04-02 | 有效性 | 有效 |\n" + report,
			want: want{"organization": "三台县农业农村局", "year": "2023", "planned": "8452000"}},
		{name: "previous and next article links", text: report + "上一篇：三台县水务局2023年度部门整体支出绩效自评报告\n下一篇：三台县林业局2023年度部门整体支出绩效自评报告\n",
			want: want{"organization": "三台县农业农村局", "problems": "1"}},
		{name: "title printed above the metadata", text: "三台县农业农村局2023年度部门整体支出绩效自评报告\n发布时间：2024-04-02 来源：三台县财政局 浏览次数：37\n【字体：大 中 小】【打印本页】\n" + report[len("三台县农业农村局2023年度部门整体支出绩效自评报告\n"):],
			want: want{"organization": "三台县农业农村局", "year": "2023", "kind": "department"}},
	})
}

// Class 2: who reports. The title's body, the 实施单位 / 填报单位, never
// the 主管部门, the publisher or the issuer of a cited document; a short
// name is the full one.
func TestWhoReports(t *testing.T) {
	runCases(t, []publishingCase{
		{name: "implementer on the supervisor's line", text: "主管部门：南溪县教育局 实施单位：南溪县第二中学\n项目名称：学生营养改善计划\n一、项目概况\n南溪县第二中学（简称“二中”）组织实施学生营养改善计划，年初预算32.60万元，实际支出31.92万元。\n二、存在问题\n无。\n",
			want: want{"organization": "南溪县第二中学", "project": "学生营养改善计划", "planned": "326000", "executed": "319200"}},
		{name: "the issuer of a cited document", text: "一、基本情况\n根据南财社〔2023〕12号文件下达南溪县人民医院公共卫生服务经费86.00万元，由南溪县人民医院组织实施。截至2023年底，资金已支付81.30万元。\n二、存在问题\n1.绩效目标设置不够细化。\n南溪县人民医院\n2024年3月1日\n",
			want: want{"organization": "南溪县人民医院", "planned": "860000", "executed": "813000", "year": "2023"}},
		{name: "a short name used throughout", text: "2022年度沙湾区残疾人联合会康复救助资金绩效自评报告\n一、基本情况\n沙湾区残疾人联合会（以下简称“区残联”）承担全区残疾人康复工作。区残联年初安排康复救助资金56.00万元。\n二、自评结论\n区残联自评得分91分。\n",
			want: want{"organization": "沙湾区残疾人联合会", "project": "康复救助资金", "planned": "560000", "score": "91"}},
		{name: "a short name never introduced", text: "一、基本情况\n县卫健委负责全县卫生健康工作。2023年，剑阁县卫生健康委员会年初批复公共卫生经费120万元。县卫健委实际支出118万元。\n二、存在问题\n无。\n县卫健委\n2024年3月1日\n",
			want: want{"organization": "剑阁县卫生健康委员会", "planned": "1200000", "executed": "1180000"}},
		{name: "the publisher is not the body", text: "发布机构：金川县教育体育局\n发布日期：2023-05-10\n金川县实验小学2022年度项目支出绩效自评报告\n（校舍维修专项经费）\n一、项目概况\n金川县实验小学校舍维修专项经费年初批复45.00万元。\n",
			want: want{"organization": "金川县实验小学", "project": "校舍维修专项经费", "planned": "450000", "year": "2022"}},
		{name: "a title ending 情况说明", text: "阆中市文化广播电视和旅游局2023年度项目支出绩效自评情况说明\n（一）项目概况\n阆中市文化广播电视和旅游局年初批复文化惠民经费60万元。\n",
			want: want{"organization": "阆中市文化广播电视和旅游局", "year": "2023", "planned": "600000"}},
		{name: "a body in brackets under the title", text: "2021年度农村公路养护资金绩效自评报告\n（青川县交通运输局）\n一、基本情况\n青川县交通运输局年初预算农村公路养护资金120万元。\n",
			want: want{"organization": "青川县交通运输局", "project": "农村公路养护资金", "planned": "1200000", "year": "2021"}},
	})
}

// Class 3: the project's name from every place it stands; none for a
// department-wide report.
func TestProjectNames(t *testing.T) {
	form := func(title string) string {
		return title + "\n项目名称\t农机购置补贴\n主管部门\t东坡区农业农村局\t实施单位\t东坡区农机服务中心\n项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n\t年度资金总额\t210.00\t210.00\t204.60\t10\t97.43%\t9.74\n"
	}
	runCases(t, []publishingCase{
		{name: "form title with the project after the year", text: "项目支出绩效自评表（2022年度）公用经费\n项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n\t年度资金总额\t12.00\t12.00\t11.40\t10\t95%\t9.5\n",
			want: want{"project": "公用经费", "year": "2022", "planned": "120000"}},
		{name: "form cell", text: form("项目支出绩效自评表\n（2023年度）"), want: want{"project": "农机购置补贴", "organization": "东坡区农机服务中心", "year": "2023", "executed": "2046000", "rate": "97.43"}},
		{name: "a table of the project's facts", text: "2023年度项目支出绩效自评报告\n| 项目名称 | 农村饮水安全维修养护 |\n| 实施单位 | 苍溪县水利局 |\n| 主管部门 | 苍溪县人民政府 |\n一、项目概况\n年初批复资金50万元，资金已使用48万元。\n",
			want: want{"project": "农村饮水安全维修养护", "organization": "苍溪县水利局", "planned": "500000", "executed": "480000"}},
		{name: "a department's report has none", text: "东坡区农机服务中心2023年度整体支出绩效自评报告\n一、单位概况\n东坡区农机服务中心承担农机推广工作，负责农机购置补贴项目的组织实施。\n",
			want: want{"project": "", "kind": "department", "organization": "东坡区农机服务中心"}},
		{name: "a place is no project", text: "2022年度剑阁县绩效自评报告\n一、基本情况\n剑阁县财政局组织全县项目绩效自评。\n", want: want{"project": "", "year": "2022"}},
		{name: "a report on all the body's projects has none", text: "东坡区农机服务中心2023年度项目支出绩效自评报告\n一、项目概况\n本单位2023年共实施项目3个，年初预算合计310.00万元。\n",
			want: want{"project": "", "organization": "东坡区农机服务中心"}},
	})
}

// Class 4: budget wording.
func TestBudgetWording(t *testing.T) {
	runCases(t, []publishingCase{
		{name: "安排 and 调整 and 累计支出", text: "一、项目概况\n2023年财政安排乡村振兴衔接资金总额360万元。年内按程序调整，全年（调整）预算数为380万元。截至年底累计支出371.5万元。\n",
			want: want{"planned": "3600000", "adjusted": "3800000", "executed": "3715000"}},
		{name: "资金主要安排在以下方面", text: "一、项目概况\n年初预算总金额150万元，资金主要安排在以下方面：\n一是设备更新90万元；\n二是人员培训35万元；\n三是宣传推广25万元。\n二、绩效目标\n",
			want: want{"planned": "1500000", "items": "900000 350000 250000"}},
		{name: "按用途分", text: "项目资金96万元，按用途分：宣传印刷16万元，场地租赁30万元，专家劳务50万元。决算支出93.2万元。",
			want: want{"planned": "960000", "items": "160000 300000 500000", "executed": "932000"}},
		{name: "a total heading the only breakdown is the budget", text: "本项目资金共计80万元，具体用于：道路修缮55万元、路灯安装25万元。项目已于年内完工。",
			want: want{"planned": "800000", "items": "550000 250000"}},
		{name: "a change is never a total", text: "2023年度预算资金200万元，同比增加20万元，其中：基本支出150万元，项目支出50万元。拨付使用198万元。",
			want: want{"planned": "2000000", "items": "1500000 500000", "executed": "1980000"}},
		{name: "executed in plain sentences", text: "年初批复专项经费42万元。本年度实际使用42万元。", want: want{"planned": "420000", "executed": "420000"}},
		{name: "mid-year progress is no execution", text: "年初批复专项经费42万元。截至6月底已支付18万元，支出进度42.86%。", want: want{"executed": "null", "rate": "null"}},
		{name: "分别用于", text: "年初安排专项资金100万元，分别用于设备购置60万元、人员培训40万元。", want: want{"planned": "1000000", "items": "600000 400000"}},
		{name: "具体分配如下", text: "年初预算数为45万元，具体分配如下：\n1.档案数字化25万元；\n2.系统维护20万元。\n", want: want{"planned": "450000", "items": "250000 200000"}},
		{name: "parts in brackets after the total", text: "年初预算数为120万元（设备购置80万元、人员培训40万元），实际支出118万元。", want: want{"planned": "1200000", "items": "800000 400000", "executed": "1180000"}},
		{name: "parts after a colon", text: "2023年批复项目资金120万元：设备购置80万元；人员培训40万元。", want: want{"planned": "1200000", "items": "800000 400000"}},
		{name: "glued digits are no rate", text: "年初预算数为45万元。执行率10001000100%，实际支出45万元。", want: want{"rate": "null", "executed": "450000"}},
		{name: "amounts in 元 with separators", text: "经批复，预算为1,256,300.00元，资金分配如下：\n（1）培训费356,300.00元；\n（2）设备费900,000.00元。\n", want: want{"planned": "1256300", "items": "356300 900000"}},
	})
}

// Class 5: the national form in every text rendering. The same form: 年初
// 210.00, 全年 198.50, 执行 190.30, 10 分, 95.87%, 9.59; two indicator rows
// and the 预算执行率 in the money row; 总分 97.59; ticked 优.
func TestFormRenderings(t *testing.T) {
	base := want{"planned": "2100000", "adjusted": "1985000", "executed": "1903000", "rate": "95.87", "rows": "2", "score": "97.59",
		"project": "易地扶贫搬迁后续扶持", "organization": "兴文县乡村振兴局", "year": "2022", "grade": "优",
		"row0": "产出指标|数量指标|扶持搬迁户数|≥300户|312户|45|45", "row1": "效益指标|社会效益指标|搬迁户满意度|≥90%|88%|45|43"}
	pipe := "| 项目支出绩效自评表 |\n| （2022年度） |\n| 项目名称 | 易地扶贫搬迁后续扶持 |\n| 主管部门 | 兴文县人民政府 | 实施单位 | 兴文县乡村振兴局 |\n" +
		"| 项目资金（万元） |  | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |\n|  | 年度资金总额 | 210.00 | 198.50 | 190.30 | 10 | 95.87% | 9.59 |\n" +
		"|  | 其中：当年财政拨款 | 210.00 | 198.50 | 190.30 | — | — | — |\n|  | 上年结转资金 |  |  |  | — | — | — |\n" +
		"| 绩效指标 | 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |\n" +
		"|  | 产出指标 | 数量指标 | 扶持搬迁户数 | ≥300户 | 312户 | 45 | 45 |  |\n|  | 效益指标 | 社会效益指标 | 搬迁户满意度 | ≥90% | 88% | 45 | 43.00 | 个别户对就业安置不满意。 |\n" +
		"| 总分 |  |  |  |  |  | 100 | 97.59 |  |\n| 自评等级 | ☑优 □良 □中 □差 |\n"
	lines := func(sep, end string) string {
		var b []string
		for _, row := range [][]string{{"项目支出绩效自评表"}, {"（2022年度）"}, {"项目名称", "易地扶贫搬迁后续扶持"}, {"主管部门", "兴文县人民政府", "实施单位", "兴文县乡村振兴局"},
			{"项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"}, {"", "年度资金总额", "210.00", "198.50", "190.30", "10", "95.87%", "9.59"},
			{"", "其中：当年财政拨款", "210.00", "198.50", "190.30", "—", "—", "—"},
			{"绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"},
			{"", "产出指标", "数量指标", "扶持搬迁户数", "≥300户", "312户", "45", "45", ""}, {"", "效益指标", "社会效益指标", "搬迁户满意度", "≥90%", "88%", "45", "43.00", "个别户对就业安置不满意。"},
			{"总分", "", "", "", "", "", "100", "97.59", ""}, {"自评等级", "☑优 □良 □中 □差"}} {
			if sep == "\n" {
				for _, c := range row {
					b = append(b, c+end)
				}
				continue
			}
			b = append(b, joinCells(row, sep))
		}
		return joinLines(b)
	}
	flat := "项目支出绩效自评表 （2022年度） 项目名称 易地扶贫搬迁后续扶持 主管部门 兴文县人民政府 实施单位 兴文县乡村振兴局 项目资金（万元） 年初预算数 全年预算数 全年执行数 分值 执行率 得分 年度资金总额 210.00 198.50 190.30 10 95.87% 9.59 其中：当年财政拨款 210.00 198.50 190.30 — — — 绩效指标 一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施 产出指标 数量指标 扶持搬迁户数 ≥300户 312户 45 45 效益指标 社会效益指标 搬迁户满意度 ≥90% 88% 45 43.00 个别户对就业安置不满意。 总分 100 97.59 自评等级 ☑优 □良 □中 □差"
	ocr := "项目支出绩效自评表\n（2022年度）\n项目名称 易地扶贫搬迁后续扶持\n主管部门 兴文县人民政府 实施单位 兴文县乡村振兴局\n项目资金（万兀） 年初预匏数 全年预算数 全年执行数 分值 执行率 得分\n年度资金总额210.00198.50190.30 10 95.87%9.59\n其中：当年财政拨款210.00198.50190.30 — — —\n" +
		"绩效指标 一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施\n产出指标 数量指标 扶持搬迁户数 ≥300户 312户 45 45\n效益指标 社会效益指标 搬迁户满意度 ≥90% 88% 45 43.00 个别户对就业安置不满意。\n总分 100 97.59\n自评等级 R优 £良 £中 £差\n"
	runCases(t, []publishingCase{
		{name: "pipe cells", text: pipe, want: base},
		{name: "tabs", text: lines("\t", ""), want: base},
		{name: "one cell per line", text: lines("\n", ""), want: with(base, "row1", "效益指标|社会效益指标|搬迁户满意度|≥90%|88%|45|43")},
		{name: "one cell per line, each closed by a pipe", text: lines("\n", " |"), want: base},
		{name: "flattened onto one line after metadata", text: "某县2023年度项目绩效自评报告 附件：项目支出绩效自评表\nAdministrator WPS_1652 3 2023-02-14T08:01:12Z 2023-03-01T10:22:45Z False False " + flat + "\n", want: base},
		{name: "OCR with run-together figures and misread labels", text: ocr, want: base},
		{name: "a form without its title, after the narrative", text: "易地扶贫搬迁后续扶持绩效自评报告\n一、项目概况\n兴文县乡村振兴局组织实施。\n附件\n" + lines("\n", "")[len("项目支出绩效自评表\n（2022年度）\n"):],
			want: with(with(base, "year", "0"), "organization", "兴文县乡村振兴局")},
	})
}

// The amounts of an OCR row whose separators were lost are told apart by the
// form's own arithmetic: executed ÷ budget = rate.
func TestFormRunTogether(t *testing.T) {
	form := "项目支出绩效自评表\n（2021年度）\n项目资金（万元） 年初预算数 全年预算数 全年执行数 执行率\n年度资金总额52.352.352.3100%\n绩效指标 一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施\n产出指标 数量指标 培训人次 ≥500人次 520人次 90 90\n总分 100 100\n"
	runCases(t, []publishingCase{
		{name: "one decimal, rate glued on", text: form, want: want{"planned": "523000", "adjusted": "523000", "executed": "523000", "rate": "100", "rows": "1"}},
	})
}

// Class 6: score and grade outside plain sentences.
func TestScoreAndGrade(t *testing.T) {
	runCases(t, []publishingCase{
		{name: "label, figure on the next line", text: "三、自评结论\n综合得分\n88.40\n评价等级：良好\n", want: want{"score": "88.4", "grade": "良"}},
		{name: "label and figure in cells", text: "自评得分 |\n91.25 |\n自评等级 |\n优秀 |\n", want: want{"score": "91.25", "grade": "优"}},
		{name: "checkbox row in a sentence", text: "经综合评价，自评总分95.5分。\n等级：☑优 □良 □中 □差\n", want: want{"score": "95.5", "grade": "优"}},
		{name: "Wingdings boxes", text: "绩效自评总分95.5分。\n自评等级 £优 R良 £中 £差\n", want: want{"grade": "良"}, raised: []string{"score.grade_mismatch"}},
		{name: "quoted grade", text: "项目自评得分82分，自评结果为\"良\"。", want: want{"score": "82", "grade": "良"}},
		{name: "grade word cut by a wrap", text: "项目绩效自评得分90.2分，绩效自评为优\n秀。\n", want: want{"score": "90.2", "grade": "优"}},
		{name: "a heading's number after 总分 is no score", text: "部门整体支出总分 4.部门整体支出绩效目标完成情况\n", want: want{"score": "null"}},
		{name: "no grade inside a word", text: "自评工作为优化资金配置提供依据。", want: want{"grade": ""}},
	})
}

// Class 7: problems under headings worded otherwise; 无 means none.
func TestProblemHeadings(t *testing.T) {
	runCases(t, []publishingCase{
		{name: "存在问题及整改情况", text: "一、基本情况\n略。\n二、存在问题及整改情况\n（一）项目验收滞后，部分资金结转。\n（二）满意度调查覆盖面不足。\n三、下一步工作计划\n加强管理。\n",
			want: want{"problems": "2", "problem0": "项目验收滞后，部", "problem1": "满意度调查覆盖面"}},
		{name: "主要问题", text: "五、主要问题\n一是绩效目标不够量化；二是资金拨付进度偏慢。\n六、改进建议\n加快进度。\n", want: want{"problems": "2", "problem1": "资金拨付进度偏慢"}},
		{name: "存在的不足", text: "四、存在的不足\n1、档案资料整理不及时。\n2、部分指标难以考核。\n五、其他\n无。\n", want: want{"problems": "2"}},
		{name: "存在以下问题 inline", text: "四、评价结论\n项目绩效目标基本实现，但仍存在以下问题：一是资金到位较晚；二是验收资料不齐全。\n五、建议\n加快进度。\n", want: want{"problems": "2", "problem0": "资金到位较晚"}},
		{name: "a form's 存在问题 cell", text: "部门整体支出绩效自评表\n（2022年度）\n部门（单位）名称\t旺苍县林业局\n部门预算资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n\t年度资金总额\t500.00\t520.00\t500.00\t10\t96.15%\t9.62\n存在问题\t1.林区巡护经费不足；2.防火设施老化。\n改进措施\t争取专项资金。\n",
			want: want{"problems": "2", "problem0": "林区巡护经费不足", "organization": "旺苍县林业局", "kind": "department"}, notRaised: []string{"problems.missing"}},
		{name: "无 means none", text: "一、基本情况\n绩效目标全部完成。\n二、存在的问题\n无。\n三、有关建议\n无。\n", want: want{"problems": "0"}, raised: []string{"problems.missing"}},
	})
}

func with(w want, k, v string) want {
	out := want{}
	for key, val := range w {
		out[key] = val
	}
	out[k] = v
	return out
}

func joinCells(cells []string, sep string) string {
	s := ""
	for i, c := range cells {
		if i > 0 {
			s += sep
		}
		s += c
	}
	return s
}

func joinLines(ls []string) string {
	s := ""
	for _, l := range ls {
		s += l + "\n"
	}
	return s
}

// A grid copied without the cells a merged cell spans: rows shorter than
// the header, matched to it by their last figures.
func TestGridWithoutSpannedCells(t *testing.T) {
	form := "项目支出绩效自评表\n（2022年度）\n项目名称\t乡村道路养护\n实施单位\t剑阁县交通运输局\n" +
		"项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n年度资金总额\t80.00\t80.00\t76.00\t10\t95%\t9.5\n" +
		"绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n" +
		"产出指标\t数量指标\t养护里程\t≥120公里\t126公里\t45\t45\t无\n质量指标\t验收合格率\t100%\t100%\t20\t20\n效益指标\t社会效益指标\t群众满意度\t≥90%\t93%\t25\t25\n总分\t100\t99.5\n"
	runCases(t, []publishingCase{{name: "tabs without spanned cells", text: form, want: want{"planned": "800000", "executed": "760000", "rate": "95", "rows": "3", "score": "99.5",
		"row1": "产出指标|质量指标|验收合格率|100%|100%|20|20", "row2": "效益指标|社会效益指标|群众满意度|≥90%|93%|25|25"}}})
}

// Whole reports worded as other provinces word them (testdata/reports):
// a department's income and spending splits, a project report under a
// stamped head (项目单位（盖章）：…), a report written as a letter whose
// budget is the sum of two grants.
func TestWholeReports(t *testing.T) {
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join("testdata", "reports", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	none := []string{"budget.execution_exceeds_budget", "budget.execution_rate_mismatch", "budget.items_sum_mismatch", "structure.missing_section", "budget.missing_execution"}
	runCases(t, []publishingCase{
		{name: "department, income and spending split", text: read("department-income-split.txt"),
			want: want{"organization": "广水市财政局", "kind": "department", "project": "", "year": "2022", "planned": "12345600", "executed": "11987000",
				"rate": "97.1", "items": "8901200 3444400", "score": "95.6", "grade": "优", "problems": "2"}, notRaised: none},
		{name: "project under a stamped head", text: read("project-stamped-head.txt"),
			want: want{"organization": "会同县农业农村局", "project": "中央财政农业防灾减灾和水利救灾资金", "year": "2021", "planned": "860000",
				"executed": "824000", "rate": "95.81", "score": "92", "grade": "优", "problems": "2"}, notRaised: none},
		{name: "a letter, the budget a sum", text: read("project-letter-sum.txt"),
			want: want{"organization": "通道侗族自治县医疗保障局", "project": "城乡居民基本医疗保险补助资金", "year": "2023", "planned": "43800000",
				"executed": "43800000", "rate": "100", "score": "96", "grade": "优", "problems": "2"}, notRaised: none},
	})
}

// A name read wrong once and right elsewhere is the name as the text
// usually spells it (a scan's misread title).
func TestUsualSpelling(t *testing.T) {
	runCases(t, []publishingCase{{name: "title misread once", text: "自治区文化和旅游打2022年度部门整体支出绩效自评报告\n一、基本情况\n自治区文化和旅游厅负责全区文化工作。自治区文化和旅游厅年初预算500万元。\n",
		want: want{"organization": "自治区文化和旅游厅"}}})
}
