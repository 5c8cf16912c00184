package report

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jixiao/jixiao/pipeline"
	"github.com/jixiao/jixiao/pipeline/run"
)

// handText is a fragment of the real Red Cross report (with its planted
// typo) plus a line that would run as a script if the renderer failed to
// escape report text.
const handText = "（一）项目概况。红十字专项业务费为财政拨款。\n" +
	"2022年年初安排资金 240 万元，其中：红十字事业发展的宣传费用 85 万元，备灾物资仓储费 76.3 万元。\n" +
	"推动无偿献血、造血干细胞捐献者资料库建设及人休器官捐献。\n" +
	"2020年5月开展监测。<script>alert(1)</script> a|b *c*\n"

func amountPtr(fen int64) *pipeline.Amount { return &pipeline.Amount{Fen: fen} }
func decPtr(s string) *pipeline.Decimal    { d := pipeline.MustDecimal(s); return &d }

// evidenceOf builds evidence the way the normaliser does: the quote's byte
// offset in text.
func evidenceOf(t *testing.T, text, quote string, line int) pipeline.Evidence {
	t.Helper()
	i := strings.Index(text, quote)
	if i < 0 {
		t.Fatalf("fixture: %q not in text", quote)
	}
	return pipeline.Evidence{Quote: quote, Line: line, Page: 2, Offset: i}
}

// handExtraction is an extraction with known findings of every severity,
// one evidence with a stale offset, one whose quote is not in the text, and
// an audited indicator table.
func handExtraction(t *testing.T) *pipeline.Extraction {
	ext := pipeline.NewExtraction()
	ext.Text = handText
	ext.Source = pipeline.Source{Name: "redcross-fragment.txt", Format: "text", Pages: 7, Extractor: "text"}
	ext.Report.Organization = "自治区红十字会"
	ext.Report.Project = "红十字专项业务费"
	ext.Report.Kind = pipeline.KindProject
	ext.Report.Year = 2022
	ext.Report.Budget.Planned = amountPtr(240_0000_00)
	ext.Report.Score = decPtr("90.58")
	ext.Report.Grade = "优"
	typo := evidenceOf(t, handText, "人休器官", 61)
	typo.Offset += 3 // stale: must be found by searching the quote
	ext.Findings = []pipeline.Finding{
		{Rule: "text.suspected_typo", Severity: pipeline.SeverityWarning,
			Message:  "疑似错别字“人休器官”，应为“人体器官”",
			Values:   pipeline.Values{"typo": pipeline.TextValue("人休"), "correct": pipeline.TextValue("人体")},
			Evidence: []pipeline.Evidence{typo}},
		{Rule: "budget.items_sum_mismatch", Severity: pipeline.SeverityError,
			Message: "分项金额合计 256.3 万元，与年初安排资金 240 万元不符（差 16.3 万元）",
			Values: pipeline.Values{"total_yuan": pipeline.AmountValue(&pipeline.Amount{Fen: 240_0000_00}),
				"items_sum_yuan": pipeline.AmountValue(&pipeline.Amount{Fen: 2563000_00})},
			Evidence: []pipeline.Evidence{evidenceOf(t, handText, "年初安排资金 240 万元", 57)}},
		{Rule: "date.year_mismatch", Severity: pipeline.SeverityError,
			Message:  "监测日期 2020 年不在预算年度 2022 年内",
			Evidence: []pipeline.Evidence{evidenceOf(t, handText, "2020年5月开展监测。<script>alert(1)</script>", 97)}},
		{Rule: "structure.numbering", Severity: pipeline.SeverityInfo,
			Message:  "章节编号跳号：（一）之后是（三）",
			Evidence: []pipeline.Evidence{{Quote: "（三）项目绩效目标", Line: 30, Page: 1, Offset: 5}}},
	}
	ext.Audit = &pipeline.IndicatorAudit{
		Rows: []pipeline.AuditRow{
			{Name: "培训人数", Target: "≥5000人", Actual: "5230人", Status: "met",
				Weight: decPtr("10"), Stated: decPtr("10"), Recomputed: decPtr("10"), Difference: decPtr("0")},
			{Name: "救护员持证率", Target: "≥90%", Actual: "80%", Status: "missed",
				Weight: decPtr("10"), Stated: decPtr("10"), Recomputed: decPtr("8.89"), Difference: decPtr("1.11"),
				Arithmetic: "10 × 80 ÷ 90 = 8.89"},
		},
		StatedTotal:     decPtr("90.58"),
		RecomputedTotal: decPtr("89.47"),
	}
	return ext
}

func render(t *testing.T, f func(*bytes.Buffer) error) string {
	t.Helper()
	var b bytes.Buffer
	if err := f(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestLocate(t *testing.T) {
	text := "资金 240 万元；宣传 85 万元；资金 240 万元。"
	second := strings.LastIndex(text, "资金 240 万元")
	cases := []struct {
		name   string
		quote  string
		offset int
		want   int
	}{
		{"offset matches", "宣传 85 万元", strings.Index(text, "宣传"), strings.Index(text, "宣传")},
		{"stale offset, nearest occurrence", "资金 240 万元", second - 2, second},
		{"stale offset near the start", "资金 240 万元", 1, 0},
		{"offset beyond the text", "宣传 85 万元", 10_000, strings.Index(text, "宣传")},
		{"negative offset", "宣传 85 万元", -4, strings.Index(text, "宣传")},
		{"not in the text", "执行率 98%", 0, -1},
		{"empty quote", "", 0, -1},
	}
	for _, c := range cases {
		got, ok := Locate(text, pipeline.Evidence{Quote: c.quote, Offset: c.offset})
		if got != max(c.want, 0) || ok != (c.want >= 0) {
			t.Errorf("%s: Locate = %d, %v; want %d", c.name, got, ok, c.want)
		}
	}
}

// Overlapping and nested quotes must each stay whole: the runs a quote
// covers, joined, are the quote.
func TestSegmentsKeepEveryQuoteWhole(t *testing.T) {
	text := "推动无偿献血、造血干细胞捐献者资料库建设及人休器官捐献、红十字青少年。"
	quotes := []string{
		"造血干细胞捐献者资料库建设及人休器官捐献", // a duplicated passage
		"人休器官",       // a typo inside it
		"人休器官捐献、红十字", // overlapping the end of the first
		"人休器官",       // the same range again (another finding)
	}
	var evs []*evidenceView
	for i, q := range quotes {
		fv := &findingView{N: i + 1, ID: "f-" + itoa(i+1), Severity: pipeline.SeverityWarning}
		evs = append(evs, &evidenceView{Evidence: pipeline.Evidence{Quote: q, Offset: strings.Index(text, q)}, ID: fv.ID + "-e1", Start: -1, End: -1, Finding: fv})
	}
	if n := placeEvidence(evs, text); n != 0 {
		t.Fatalf("%d quotes not placed", n)
	}
	segs := cutSegments(text, evs)
	var all strings.Builder
	for _, s := range segs {
		all.WriteString(s.Text)
	}
	if all.String() != text {
		t.Fatalf("segments do not rebuild the text: %q", all.String())
	}
	for _, e := range evs {
		var got strings.Builder
		starts, ends := 0, 0
		for _, s := range segs {
			for _, m := range s.Marks {
				if m == e {
					got.WriteString(s.Text)
				}
			}
			for _, m := range s.Starts {
				if m == e {
					starts++
				}
			}
			for _, m := range s.Ends {
				if m == e {
					ends++
				}
			}
		}
		if got.String() != e.Quote || starts != 1 || ends != 1 {
			t.Errorf("%s: marked %q (starts %d, ends %d), want %q once", e.ID, got.String(), starts, ends, e.Quote)
		}
	}
}

func TestValueFormatting(t *testing.T) {
	cases := []struct {
		v    pipeline.Value
		want string
	}{
		{pipeline.AmountValue(&pipeline.Amount{Fen: 240_0000_00}), "240 万元"},
		{pipeline.AmountValue(&pipeline.Amount{Fen: 2563000_00}), "256.3 万元"},
		{pipeline.AmountValue(&pipeline.Amount{Fen: 1234_56}), "0.123456 万元"},
		{pipeline.AmountValue(nil), "—"},
		{pipeline.PercentValue(decPtr("98.50")), "98.5%"},
		{pipeline.NumberValue(decPtr("90.58")), "90.58"},
		{pipeline.NumberValue(nil), "—"},
		{pipeline.RatioValue(0.87), "87%"},
		{pipeline.YearValue(2022), "2022"},
		{pipeline.CountValue(3), "3"},
		{pipeline.ListValue([]string{"有关建议", "其他需要说明的问题"}), "有关建议、其他需要说明的问题"},
		{pipeline.TextValue(""), "—"},
	}
	for _, c := range cases {
		if got := ValueText(c.v); got != c.want {
			t.Errorf("ValueText(%+v) = %q, want %q", c.v, got, c.want)
		}
	}
	fields := valueFields("budget.items_sum_mismatch", pipeline.Values{"total_yuan": pipeline.AmountValue(&pipeline.Amount{Fen: 2400000_00}),
		"items_sum_yuan": pipeline.AmountValue(&pipeline.Amount{Fen: 2563000_00}), "zz_custom": pipeline.TextValue("x")})
	got := []string{}
	for _, f := range fields {
		got = append(got, f.Label+"="+f.Value)
	}
	if want := "分项合计=256.3 万元|合计=240 万元|zz_custom=x"; strings.Join(got, "|") != want {
		t.Errorf("valueFields = %q, want %q", strings.Join(got, "|"), want)
	}
	// The same key can mean different things to different rules.
	for rule, want := range map[string]string{"budget.execution_score_mismatch": "应得分", "structure.numbering": "应为编号", "other.rule": "应为"} {
		if got := valueFields(rule, pipeline.Values{"expected": pipeline.CountValue(6)})[0].Label; got != want {
			t.Errorf("%s: expected is labelled %q, want %q", rule, got, want)
		}
	}
}

// FindingValues keeps each figure's key beside its label (the web page
// shows both) and leaves the label empty for a key without a Chinese name.
func TestFindingValues(t *testing.T) {
	got := FindingValues("budget.items_sum_mismatch", pipeline.Values{
		"total_yuan":     pipeline.AmountValue(&pipeline.Amount{Fen: 2400000_00}),
		"items_sum_yuan": pipeline.AmountValue(&pipeline.Amount{Fen: 2563000_50}),
		"missing":        pipeline.ListValue([]string{"有关建议", "其他需要说明的问题"}),
		"rate":           pipeline.PercentValue(decPtr("98.50")),
		"note":           pipeline.NumberValue(nil),
	})
	want := []Figure{
		{"items_sum_yuan", "分项合计", "256.30005 万元"},
		{"missing", "缺少", "有关建议、其他需要说明的问题"},
		{"note", "", "—"},
		{"rate", "执行率", "98.5%"},
		{"total_yuan", "合计", "240 万元"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("FindingValues = %q, want %q", got, want)
	}
}

func TestOneLineAndEscapes(t *testing.T) {
	cases := []struct{ in, line, md string }{
		{"年初安排资金 240 万元", "年初安排资金 240 万元", "年初安排资金 240 万元"},
		{"红十字会法》赋予的\n职责，大力开展", "红十字会法》赋予的 职责，大力开展", "红十字会法》赋予的 职责，大力开展"},
		{"第\f3 页", "第 3 页", "第 3 页"},
		// A report cannot drive the reviewer's terminal.
		{"合计\x1b[2J清屏\u009b", "合计\uFFFD[2J清屏\uFFFD", "合计\uFFFD\\[2J清屏\uFFFD"},
		{"a|b *c* <b>_d_</b> `e` [f](g) &amp;", "a|b *c* <b>_d_</b> `e` [f](g) &amp;", "a\\|b \\*c\\* \\<b\\>\\_d\\_\\</b\\> \\`e\\` \\[f\\](g) \\&amp;"},
	}
	for _, c := range cases {
		if got := oneLine(c.in); got != c.line {
			t.Errorf("oneLine(%q) = %q, want %q", c.in, got, c.line)
		}
		if got := mdCell(c.in); got != c.md {
			t.Errorf("mdCell(%q) = %q, want %q", c.in, got, c.md)
		}
	}
}

func TestTextReport(t *testing.T) {
	ext := handExtraction(t)
	out := render(t, func(b *bytes.Buffer) error { return Text(b, ext, false) })
	for _, want := range []string{
		"绩效自评报告审核结果：自治区红十字会 2022年度 红十字专项业务费",
		"  单位：自治区红十字会\n",
		"  页数：7 页\n",
		"年初预算 240 万元 | 全年预算 — | 全年执行 — | 执行率 — | 得分 90.58 | 等级 优",
		"发现问题 4 项（错误 2 项，警告 1 项，提示 1 项）",
		"  1. 分项金额合计 256.3 万元，与年初安排资金 240 万元不符（差 16.3 万元） [分项之和与合计不符 budget.items_sum_mismatch]\n",
		"     数据：分项合计 256.3 万元；合计 240 万元\n",
		"     依据：第57行，第2页  「年初安排资金 240 万元」\n",
		"  3. 疑似错别字“人休器官”，应为“人体器官” [疑似错别字 text.suspected_typo]\n",
		"     数据：应为 人体；疑似错字 人休\n",
		"救护员持证率  ≥90%     80%     未达成  10    10        8.89      +1.11\n",
		"  自评总分 90.58，复核总分 89.47，自评−复核 +1.11\n",
		"  救护员持证率：10 × 80 ÷ 90 = 8.89\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q\n%s", want, out)
		}
	}
	// Most serious first.
	if e, w, i := strings.Index(out, "错误（2）"), strings.Index(out, "警告（1）"), strings.Index(out, "提示（1）"); !(e >= 0 && e < w && w < i) {
		t.Errorf("severity groups out of order: 错误 %d, 警告 %d, 提示 %d", e, w, i)
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("colour codes without colour")
	}
	colored := render(t, func(b *bytes.Buffer) error { return Text(b, ext, true) })
	if !strings.Contains(colored, ansiRed) || !strings.Contains(colored, ansiReset) {
		t.Error("no colour codes with colour on")
	}
}

func TestTextReportWithoutFindings(t *testing.T) {
	ext := pipeline.NewExtraction()
	ext.Source.Name = "clean.txt"
	out := render(t, func(b *bytes.Buffer) error { return Text(b, ext, false) })
	if !strings.Contains(out, "绩效自评报告审核结果：clean.txt\n") || !strings.Contains(out, "未发现问题。") {
		t.Errorf("report of a clean extraction:\n%s", out)
	}
	if strings.Contains(out, "指标复核") {
		t.Error("indicator table shown without an audit")
	}
}

func TestMarkdownReport(t *testing.T) {
	out := render(t, func(b *bytes.Buffer) error { return Markdown(b, handExtraction(t)) })
	for _, want := range []string{
		"# 绩效自评报告审核结果：自治区红十字会 2022年度 红十字专项业务费\n",
		"| 单位 | 自治区红十字会 |\n",
		"| 年初预算 | 全年预算 | 全年执行 | 执行率 | 得分 | 等级 |\n",
		"| 240 万元 | — | — | — | 90.58 | 优 |\n",
		"### 错误（2）\n",
		"1. **分项金额合计 256.3 万元，与年初安排资金 240 万元不符（差 16.3 万元）**（分项之和与合计不符 `budget.items_sum_mismatch`）\n",
		"   - 依据（第57行，第2页）：「年初安排资金 240 万元」\n",
		// Report text cannot become markup or break a table.
		`：「2020年5月开展监测。\<script\>alert(1)\</script\>」`,
		"| 救护员持证率 | ≥90% | 80% | 未达成 | 10 | 10 | 8.89 | +1.11 | 10 × 80 ÷ 90 = 8.89 |\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q\n%s", want, out)
		}
	}
}

func TestHTMLReport(t *testing.T) {
	out := render(t, func(b *bytes.Buffer) error { return HTML(b, handExtraction(t)) })
	for _, want := range []string{
		"<title>绩效自评报告审核结果：自治区红十字会 2022年度 红十字专项业务费</title>",
		`<li id="f-1" value="1" class="finding sev-error">`,
		`<a class="goto" href="#f-1-e1">第57行，第2页</a>`,
		`<span class="anchor" id="f-1-e1"></span><mark class="sev-error" data-ev="f-1-e1"`,
		`&lt;script&gt;alert(1)&lt;/script&gt;`,
		"（正文中未找到此引文）", // the 章节 quote is not in the text
		"有 1 处引文未能在正文中找到",
		`<tr class="off">`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("html lacks %q", want)
		}
	}
	if strings.Contains(out, "<script>") {
		t.Error("report text reached the page unescaped")
	}
	// Standalone: no external resource of any kind.
	for _, bad := range []string{"http://", "https://", "<link", "<img", "@import", "url("} {
		if strings.Contains(out, bad) {
			t.Errorf("page refers to something outside itself: %q", bad)
		}
	}
}

// An extraction read back from its JSON (the store, the contract) has no
// text: the page shows the findings without a text section to link into.
func TestHTMLOfExtractionReadFromJSON(t *testing.T) {
	b, err := json.Marshal(handExtraction(t))
	if err != nil {
		t.Fatal(err)
	}
	var ext pipeline.Extraction
	if err := json.Unmarshal(b, &ext); err != nil {
		t.Fatal(err)
	}
	out := render(t, func(w *bytes.Buffer) error { return HTML(w, &ext) })
	for _, want := range []string{"分项金额合计 256.3 万元", "<th>分项合计</th><th>合计</th></tr><tr><td>256.3 万元</td><td>240 万元</td>", "第57行，第2页"} {
		if !strings.Contains(out, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, bad := range []string{"报告正文", "正文中未找到", `class="goto"`} {
		if strings.Contains(out, bad) {
			t.Errorf("page without text shows %q", bad)
		}
	}
}

func TestHTMLPageOfSeveralReportsHasUniqueAnchors(t *testing.T) {
	a, b := handExtraction(t), handExtraction(t)
	b.Source.Name = "second.txt"
	out := render(t, func(w *bytes.Buffer) error { return HTMLPage(w, []*pipeline.Extraction{a, b}) })
	for _, want := range []string{`id="r1-f-1"`, `id="r2-f-1"`, `href="#r2-f-1-e1"`, `<a href="#r2-report">`} {
		if !strings.Contains(out, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(out, `id="f-1"`) {
		t.Error("unprefixed anchor in a page of several reports")
	}
}

// runFixture reads a real report through the whole pipeline.
func runFixture(t *testing.T, name string) *pipeline.Extraction {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "corpus", name))
	if err != nil {
		t.Fatal(err)
	}
	ext, err := (&run.Runner{}).File(context.Background(), name, data)
	if err != nil {
		t.Fatal(err)
	}
	return ext
}

// On the real Red Cross report, whatever the rules find must be shown with
// every quote placed in the text and highlighted in the page.
func TestRealReport(t *testing.T) {
	ext := runFixture(t, "xj-redcross-2022.txt")
	if len(ext.Findings) == 0 {
		t.Fatal("no findings on a report with five planted defects")
	}
	v := newView(ext, "", nil)
	if v.Unplaced != 0 {
		t.Errorf("%d evidence quotes not found in the normalised text", v.Unplaced)
	}
	text := render(t, func(b *bytes.Buffer) error { return Text(b, ext, false) })
	md := render(t, func(b *bytes.Buffer) error { return Markdown(b, ext) })
	page := render(t, func(b *bytes.Buffer) error { return HTML(b, ext) })
	for _, f := range ext.Findings {
		if !strings.Contains(text, f.Message) {
			t.Errorf("text report lacks the message %q", f.Message)
		}
		if !strings.Contains(md, mdCell(f.Message)) {
			t.Errorf("markdown lacks the message %q", f.Message)
		}
	}
	if got, want := strings.Count(page, `<span class="anchor"`), len(v.allEvidence()); got != want {
		t.Errorf("%d highlight anchors in the page, want one per evidence (%d)", got, want)
	}
}

// corpusExtractions reads every text report of testdata/corpus (the real
// Red Cross report first).
func corpusExtractions(t *testing.T) []*pipeline.Extraction {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "corpus", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus reports: %v", err)
	}
	exts := []*pipeline.Extraction{runFixture(t, "xj-redcross-2022.txt")}
	for _, f := range files {
		if name := filepath.Base(f); name != "xj-redcross-2022.txt" {
			exts = append(exts, runFixture(t, name))
		}
	}
	return exts
}

// The page highlights a quote only where the text holds it; the contract
// says every quote is an exact substring of the normalised text, at its
// offset. Checked on every corpus report so a rule that breaks it shows.
func TestCorpusEvidenceIsInTheText(t *testing.T) {
	for _, ext := range corpusExtractions(t) {
		for _, e := range newView(ext, "", nil).allEvidence() {
			switch {
			case !e.Placed():
				t.Errorf("%s %s: quote %q is not in the text", ext.Source.Name, e.Finding.Rule, e.Quote)
			case e.Start != e.Offset:
				t.Errorf("%s %s: quote %q is at %d, evidence says %d", ext.Source.Name, e.Finding.Rule, e.Quote, e.Start, e.Offset)
			}
		}
	}
}

// Columns line up on a terminal, where a Chinese character is two columns
// wide; a cell never breaks its line and no line ends in padding.
func TestAlignColumns(t *testing.T) {
	got := AlignColumns([][]string{
		{"项目", "年度", "执行数变化"},
		{"（部门整体）", "2022", ""},
		{"a\nb", "2023", "+1.5"},
	})
	want := []string{
		"项目          年度  执行数变化",
		"（部门整体）  2022",
		"a b           2023  +1.5",
	}
	if !slices.Equal(got, want) {
		t.Errorf("AlignColumns =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Every output given a review carries the report's status and each marked
// finding's mark, reviewer and comment.
func TestOutputsCarryTheReview(t *testing.T) {
	ext := handExtraction(t)
	m := pipeline.MarkOf(7, ext.Findings[1])
	m.Status, m.Comment, m.Reviewer = pipeline.MarkFalseAlarm, "监测在上年末开展，属正常", "李审核"
	m.At = time.Date(2025, 6, 1, 2, 3, 4, 5, time.UTC)
	rev := &Review{State: pipeline.ReviewState{Status: pipeline.ReviewDone, Reviewer: "李审核"}, Marks: []pipeline.Mark{m}}
	want := []string{"已审（李审核", "误报（李审核，" + m.At.Local().Format("2006-01-02 15:04:05") + "）：监测在上年末开展，属正常"}
	outputs := map[string]func(io.Writer) error{
		"text":     func(w io.Writer) error { return TextReviewed(w, ext, rev, false) },
		"markdown": func(w io.Writer) error { return MarkdownReviewed(w, ext, rev) },
		"html":     func(w io.Writer) error { return HTMLReviewed(w, ext, rev) },
	}
	for name, write := range outputs {
		var b strings.Builder
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		for _, s := range want {
			if !strings.Contains(b.String(), s) {
				t.Errorf("%s lacks %q", name, s)
			}
		}
		if strings.Count(b.String(), "误报") != 1 {
			t.Errorf("%s: only the marked finding shows a mark", name)
		}
	}
}
