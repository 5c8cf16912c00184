package history

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/jixiao/jixiao/internal/passage"
	"github.com/jixiao/jixiao/pipeline"
	"github.com/jixiao/jixiao/pipeline/run"
)

func TestSimilaritySeparatesRewordedFromDifferentProblems(t *testing.T) {
	cases := []struct {
		a, b string
		same bool
	}{
		{"资金使用计划有待进一步细化，项目开展进度和绩效目标完成情况的跟踪还有待加强。",
			"资金使用计划有待进一步细化，项目开展进度和绩效目标完成情况的跟踪还有待进一步加强。", true},
		{"政府采购程序用时较长，在一定程度上影响了资金支出进度。",
			"政府采购程序耗时较长，一定程度上影响了资金的支出进度。", true},
		{"基层卫生信息系统互联互通程度不够，数据共享不充分，影响了服务效率。",
			"基层卫生信息系统互联互通程度不够，数据共享不充分，影响了服务效率。", true},
		{"政府采购程序用时较长，在一定程度上影响了资金支出进度。",
			"绩效监控工作不够深入，监控结果的应用还不充分。", false},
		{"资金使用计划有待进一步细化，项目开展进度和绩效目标完成情况的跟踪还有待加强。",
			"绩效目标设置不够细化量化，部分指标可衡量性不强，难以全面反映项目实施效果。", false},
		{"绩效管理人员业务能力有待提高，对绩效评价工作的重视程度还不够。",
			"部分基层农技推广人员年龄偏大、知识更新慢，技术服务能力不足。", false},
		{"", "绩效监控工作不够深入。", false},
	}
	for _, c := range cases {
		s := Similarity(c.a, c.b)
		if (s >= SameProblem) != c.same {
			t.Errorf("Similarity(%q, %q) = %.2f; same problem = %v wanted", c.a, c.b, s, c.same)
		}
	}
}

// read runs the pipeline on a corpus report and sets the organisation and
// year the test needs (the rules are under test, not the extractor).
func read(t *testing.T, name, org, project string, year int) *pipeline.Extraction {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("../../testdata/corpus", name))
	if err != nil {
		t.Fatal(err)
	}
	ext, err := (&run.Runner{}).File(context.Background(), name, data)
	if err != nil {
		t.Fatal(err)
	}
	ext.Report.Organization, ext.Report.Project, ext.Report.Year = org, project, year
	return ext
}

func stored(id int64, ext *pipeline.Extraction) *pipeline.StoredReport {
	return &pipeline.StoredReport{ID: id, Document: pipeline.Document{Name: ext.Source.Name}, Extraction: ext, Text: ext.Text}
}

func TestEvaluateFindsCopiedPassagesAndRecurringProblems(t *testing.T) {
	const org, project = "宁夏回族自治区文化和旅游厅", "公共文化服务体系建设专项"
	y2018 := read(t, "dev-004.txt", org, project, 2018)
	y2019 := read(t, "dev-026.txt", org, project, 2019)
	fs := Evaluate(y2019, []*pipeline.StoredReport{stored(1, y2018)})
	byRule := map[string]int{}
	for _, f := range fs {
		byRule[f.Rule]++
		if len(f.Evidence) != 1 || f.Evidence[0].Quote == "" || !strings.Contains(y2019.Text, f.Evidence[0].Quote) {
			t.Errorf("%s: evidence %+v is not a quote of the report", f.Rule, f.Evidence)
			continue
		}
		e := f.Evidence[0]
		if y2019.Text[e.Offset:e.Offset+len(e.Quote)] != e.Quote {
			t.Errorf("%s: evidence offset %d does not point at %q", f.Rule, e.Offset, e.Quote)
		}
		if want := sourceLine(t, "dev-026.txt", e.Quote); e.Line != want {
			t.Errorf("%s: evidence line %d, the quote %q starts on line %d", f.Rule, e.Line, e.Quote, want)
		}
		if f.Values["earlier_year"].Int != 2018 {
			t.Errorf("%s: earlier_year %v", f.Rule, f.Values["earlier_year"])
		}
	}
	// dev-026 repeats 2018's 绩效监控工作不够深入 word for word.
	if byRule[RuleRecurringProblem] != 1 {
		t.Errorf("%d recurring problems, want 1: %+v", byRule[RuleRecurringProblem], fs)
	}
	if byRule[RuleCopiedPassage] == 0 {
		t.Error("no copied passage between two years of the same template report")
	}
	for _, f := range fs {
		if f.Rule == RuleCopiedPassage && f.Values["chars"].Int < passage.MinRunes {
			t.Errorf("copied passage of %v characters, under %d", f.Values["chars"], passage.MinRunes)
		}
	}
}

func TestEvaluateIgnoresLaterOrSameYears(t *testing.T) {
	const org, project = "宁夏回族自治区文化和旅游厅", "公共文化服务体系建设专项"
	cur := read(t, "dev-026.txt", org, project, 2019)
	cases := map[string]*pipeline.Extraction{
		"the same year": read(t, "dev-004.txt", org, project, 2019),
		"a later year":  read(t, "dev-004.txt", org, project, 2020),
	}
	for name, other := range cases {
		if fs := Evaluate(cur, []*pipeline.StoredReport{stored(1, other)}); len(fs) != 0 {
			t.Errorf("%s: %d findings, want none", name, len(fs))
		}
	}
	unknown := read(t, "dev-026.txt", org, project, 0)
	if fs := Evaluate(unknown, []*pipeline.StoredReport{stored(1, read(t, "dev-004.txt", org, project, 2018))}); len(fs) != 0 {
		t.Errorf("a report without a year got %d cross-year findings", len(fs))
	}
	// Recurring problems compare with the same project only.
	other := read(t, "dev-004.txt", org, "另一个项目", 2018)
	for _, f := range Evaluate(cur, []*pipeline.StoredReport{stored(1, other)}) {
		if f.Rule == RuleRecurringProblem {
			t.Errorf("recurring problem across projects: %s", f.Message)
		}
	}
}

func TestRecurringFollowsAProblemThroughTheYears(t *testing.T) {
	reports := []YearProblems{
		{ReportID: 3, Year: 2021, Problems: []string{"政府采购程序耗时较长，一定程度上影响了资金的支出进度。"}},
		{ReportID: 1, Year: 2019, Problems: []string{"政府采购程序用时较长，在一定程度上影响了资金支出进度。", "绩效监控工作不够深入。"}},
		{ReportID: 2, Year: 2020, Problems: []string{"项目资料归档不够规范，部分佐证材料收集不齐全。"}},
		{ReportID: 4, Year: 2022, Problems: []string{"项目资料归档不够规范，部分佐证材料收集不齐全。", "政府采购程序用时较长，在一定程度上影响了资金支出进度。"}},
	}
	got := Recurring("某单位", "某项目", reports)
	if len(got) != 2 {
		t.Fatalf("%d recurring problems, want 2: %+v", len(got), got)
	}
	if p := got[0]; len(p.Years) != 3 || p.Years[0] != 2019 || p.Years[2] != 2022 || p.ReportIDs[1] != 3 ||
		!strings.HasPrefix(p.Earlier, "政府采购程序用时") || p.Similarity >= 1 {
		t.Errorf("first: %+v", p)
	}
	if p := got[1]; len(p.Years) != 2 || p.Years[0] != 2020 || p.Years[1] != 2022 || p.Similarity != 1 {
		t.Errorf("second: %+v", p)
	}
}

func TestChangesAreExactDifferences(t *testing.T) {
	amt := func(fen int64) *pipeline.Amount { return &pipeline.Amount{Fen: fen} }
	dec := func(s string) *pipeline.Decimal { d := pipeline.MustDecimal(s); return &d }
	points := []pipeline.TrendPoint{
		{Year: 2021, Planned: amt(240000000), Executed: amt(235620000), Score: dec("90.58"), ExecutionRate: dec("98.17")},
		{Year: 2022, Planned: amt(250000000), Executed: nil, Score: dec("88.1"), ExecutionRate: dec("100")},
	}
	ch := Changes(points)
	if ch[0] != nil {
		t.Error("the first year has no change")
	}
	c := ch[1]
	if c.Planned.Fen != 10000000 || c.Executed != nil || c.Score.Trim() != "-2.48" || c.ExecutionRate.Trim() != "1.83" {
		t.Errorf("change %+v (score %s, rate %s)", c, c.Score.Trim(), c.ExecutionRate.Trim())
	}
}

// sourceLine is the line of a corpus file on which a quote starts: the first
// line whose text, with the lines after it and without white space, begins
// with the quote's first characters.
func sourceLine(t *testing.T, name, quote string) int {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("../../testdata/corpus", name))
	if err != nil {
		t.Fatal(err)
	}
	squeeze := func(s string) string { return strings.Join(strings.Fields(s), "") }
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	head := []rune(squeeze(quote))
	want := string(head[:min(6, len(head))])
	for i := range lines {
		rest := squeeze(strings.Join(lines[i:min(len(lines), i+4)], ""))
		line := squeeze(lines[i])
		for k := range line {
			if strings.HasPrefix(rest[k:], want) {
				return i + 1
			}
		}
	}
	return -1
}

// A copied passage is quoted from the start of a sentence to the end of
// one, never from the middle of a sentence.
func TestCopiedPassagesAreWholeSentences(t *testing.T) {
	const org, project = "宁夏回族自治区文化和旅游厅", "公共文化服务体系建设专项"
	y2018 := read(t, "dev-004.txt", org, project, 2018)
	y2019 := read(t, "dev-026.txt", org, project, 2019)
	n := 0
	for _, f := range Evaluate(y2019, []*pipeline.StoredReport{stored(1, y2018)}) {
		if f.Rule != RuleCopiedPassage {
			continue
		}
		n++
		e := f.Evidence[0]
		before := strings.TrimRight(y2019.Text[:e.Offset], " \t\u3000")
		if before != "" && !strings.HasSuffix(before, "\n") && !strings.ContainsAny(lastRune(before), sentenceEnds) {
			t.Errorf("quote %q opens in the middle of a sentence (after %q)", e.Quote, tail(before, 10))
		}
		after := y2019.Text[e.Offset+len(e.Quote):]
		if !strings.ContainsAny(lastRune(e.Quote), sentenceEnds) && !strings.HasPrefix(strings.TrimLeft(after, " \t"), "\n") &&
			utf8.RuneCountInString(e.Quote) < 80 && after != "" {
			t.Errorf("quote %q closes in the middle of a sentence (before %q)", e.Quote, head(after, 10))
		}
	}
	if n == 0 {
		t.Fatal("no copied passage between two years of the same template report")
	}
}

// What every body writes alike — its functions, how the evaluation was
// done — is no copied passage; the same budget sentence two years running
// is.
func TestBoilerplateIsNoCopiedPassage(t *testing.T) {
	doc := func(year int) string {
		return "某某县文化和旅游局" + strconv.Itoa(year) + "年度部门整体支出绩效自评报告\n" +
			"一、部门基本情况\n" +
			"（一）部门职能\n" +
			"贯彻落实党中央关于文化和旅游工作的方针政策和决策部署，拟订全县文化和旅游政策措施，统筹规划全县文化事业、文化产业和旅游业发展，组织实施文化和旅游资源普查、挖掘、保护和利用工作。\n" +
			"（二）部门预算情况\n" +
			"本单位坚持把公共文化服务作为民生工程来抓，全年组织送戏下乡演出一百二十场次，惠及群众五万余人次，进一步丰富了基层群众的精神文化生活。\n" +
			"二、绩效评价工作开展情况\n" +
			"（一）评价依据\n" +
			"依据《中华人民共和国预算法》《项目支出绩效评价管理办法》（财预〔2020〕10号）等有关规定，按照全面实施预算绩效管理的要求开展本次绩效自评工作。\n" +
			"三、存在的问题\n本年度" + strconv.Itoa(year) + "无。\n"
	}
	read := func(year int) *pipeline.Extraction {
		ext, err := (&run.Runner{}).File(context.Background(), "r.txt", []byte(doc(year)))
		if err != nil {
			t.Fatal(err)
		}
		ext.Report.Organization, ext.Report.Year = "某某县文化和旅游局", year
		return ext
	}
	var quotes []string
	for _, f := range Evaluate(read(2023), []*pipeline.StoredReport{stored(1, read(2022))}) {
		if f.Rule == RuleCopiedPassage {
			quotes = append(quotes, f.Evidence[0].Quote)
		}
	}
	if len(quotes) != 1 || !strings.HasPrefix(quotes[0], "本单位坚持把公共文化服务") {
		t.Errorf("copied passages %q, want the budget section's only", quotes)
	}
}

func lastRune(s string) string {
	r, _ := utf8.DecodeLastRuneInString(s)
	return string(r)
}

func tail(s string, n int) string {
	r := []rune(s)
	return string(r[max(0, len(r)-n):])
}

func head(s string, n int) string {
	r := []rune(s)
	return string(r[:min(n, len(r))])
}

// A passage copied with its letters typed at the other width is one passage
// to both rules that look for copies: text.duplicate_passage, when the
// copy stands in the same report, and history.copied_passage, when it
// stands in the next year's.
func TestOnePassageMatcherForBothRules(t *testing.T) {
	const before = "本年度共组织送戏下乡演出一百二十场次，惠及群众五万余人次，丰富了基层群众的精神文化生活，"
	const after = "线上预约场次占比达到百分之九十六以上，较上年提高两个百分点，文化惠民工程成效明显。"
	full, half := before+"ＡＰＰ"+after, before+"APP"+after
	doc := func(year int, first, second string) string {
		return "某某县文化和旅游局" + strconv.Itoa(year) + "年度项目支出绩效自评报告\n" +
			"一、项目基本情况\n" + first + "\n" +
			"二、绩效目标实现程度\n" + second + "\n" +
			"三、存在的问题\n无。\n"
	}
	read := func(year int, text string) *pipeline.Extraction {
		ext, err := (&run.Runner{}).File(context.Background(), "r.txt", []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		ext.Report.Organization, ext.Report.Year = "某某县文化和旅游局", year
		return ext
	}
	var within *pipeline.Finding
	same := read(2022, doc(2022, full, half))
	for i, f := range same.Findings {
		if f.Rule == "text.duplicate_passage" {
			within = &same.Findings[i]
		}
	}
	if within == nil || len(within.Evidence) != 2 {
		t.Fatalf("the copy in the same report is not one duplicate passage of two places: %+v", same.Findings)
	}
	var across *pipeline.Finding
	later := read(2023, doc(2023, "本项目由县文化馆组织实施，资金全部用于演出补助。", half))
	fs := Evaluate(later, []*pipeline.StoredReport{stored(1, read(2022, doc(2022, "项目资金已全部拨付。", full)))})
	for i, f := range fs {
		if f.Rule == RuleCopiedPassage {
			across = &fs[i]
		}
	}
	if across == nil {
		t.Fatalf("the copy in the next year's report is not found: %+v", fs)
	}
	if within.Values["chars"].Int != across.Values["chars"].Int {
		t.Errorf("the same passage is %v characters in one report and %v across years", within.Values["chars"], across.Values["chars"])
	}
	if q := across.Evidence[0].Quote; !strings.HasPrefix(within.Evidence[1].Quote, q[:30]) {
		t.Errorf("quoted %q in the report, %q across years", within.Evidence[1].Quote, q)
	}
}
