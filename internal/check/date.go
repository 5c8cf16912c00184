package check

import (
	"cmp"
	"fmt"
	"github.com/jixiao/jixiao/internal/document"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/jixiao/jixiao/pipeline"
)

// date.year_mismatch: a statement about the evaluated period names another
// year. Two shapes are caught:
//   - a copied sentence whose year was changed in one copy (the same words
//     around 2022年 in one place and 2020年 in the other);
//   - a monitoring or execution date (监控, 执行, 支出, 截至…, 拨付) that
//     falls outside the budget year.
//
// Not mismatches: the report's own date and the self-evaluation work in the
// following year, document numbers (〔2020〕10号), laws and plans named with
// a year, comparisons with earlier years, ranges, things that started or
// were issued in an earlier year, and money released early in the previous
// December.

func init() {
	register(Rule{
		ID:       "date.year_mismatch",
		Severity: pipeline.SeverityError,
		Check:    checkYearMismatch,
		Values:   map[string]pipeline.ValueKind{"budget_year": pipeline.ValueYear, "other_year": pipeline.ValueYear},
	})
}

// dateMention is one "YYYY年" of the document model, with the sentence it
// stands in.
type dateMention struct {
	start, end   int // byte range in the text, from the first digit
	yearEnd      int // byte offset just after the four digits
	year         int
	month        int  // 0 when only the year is written
	yearEndMonth bool // 年底 / 年末: the end of that year
	fiscal       bool // 2021年度
	sStart, sEnd int  // the sentence (or table cell) holding it
}

// mentions are the model's dates with their sentences.
func mentions(doc *document.Doc) []dateMention {
	out := make([]dateMention, 0, len(doc.Dates))
	for _, d := range doc.Dates {
		m := dateMention{start: d.Start, end: d.End, yearEnd: d.YearEnd, year: d.Year, month: d.Month,
			yearEndMonth: d.YearEndMonth(), fiscal: d.Fiscal(), sStart: d.Start, sEnd: d.End}
		if s, ok := doc.SentenceAt(d.Start); ok {
			m.sStart, m.sEnd = s.Start, max(s.End, d.End)
		}
		out = append(out, m)
	}
	return out
}

func checkYearMismatch(in *Input) []pipeline.Finding {
	if in.Doc == nil {
		return nil
	}
	text := in.Doc.Text
	dates := mentions(in.Doc)
	year := 0
	if in.Report != nil {
		year = in.Report.Year
	}
	if year == 0 {
		year = likelyBudgetYear(dates)
	}
	findings, used := copiedSentenceYears(in, dates, year)
	if year == 0 {
		return findings
	}
	reported := map[int]bool{} // sentence starts already reported
	for i, d := range dates {
		if used[i] || d.year == year || !outOfPeriodStatement(text, d, dates, year) {
			continue
		}
		s, e := d.sStart, d.sEnd
		if reported[s] {
			continue
		}
		reported[s] = true
		what := "执行/监控时间"
		if d.month == 0 && !d.yearEndMonth {
			what = "本年度的表述"
		}
		findings = append(findings, pipeline.Finding{
			Message: fmt.Sprintf("评价年度为 %d年，但%s写作“%s”，不在评价年度内",
				year, what, compactString(text[d.start:d.end])),
			Values:   pipeline.Values{"budget_year": pipeline.YearValue(year), "other_year": pipeline.YearValue(d.year)},
			Evidence: []pipeline.Evidence{quoteAround(in, d, s, e)},
		})
	}
	return findings
}

// likelyBudgetYear guesses the evaluated year when the extractor found
// none: the year most often written as "YYYY年度".
func likelyBudgetYear(dates []dateMention) int {
	count := map[int]int{}
	best := 0
	for _, d := range dates {
		if !d.fiscal {
			continue
		}
		count[d.year]++
		if count[d.year] > count[best] || count[d.year] == count[best] && d.year > best {
			best = d.year
		}
	}
	return best
}

// copiedSentenceYears finds year mentions whose surrounding words are the
// same while the years differ: one sentence copied and its year changed (or
// left unchanged from an old report). One finding per pair of places.
func copiedSentenceYears(in *Input, dates []dateMention, budgetYear int) ([]pipeline.Finding, map[int]bool) {
	text := in.Doc.Text
	ct := in.compactText()
	ctxs := make([]yearContext, len(dates))
	for i, d := range dates {
		at := ct.At(d.start)
		after := ct.At(d.yearEnd)
		ctxs[i] = yearContext{left: ct.Runes[max(0, at-copyContext):at], right: ct.Runes[after:min(len(ct.Runes), after+copyContext)]}
	}
	used := map[int]bool{}
	var out []pipeline.Finding
	years := make([]int, len(dates))
	for i, d := range dates {
		years[i] = d.year
	}
	for _, p := range alikePairs(ctxs, years) {
		i, j := p[0], p[1]
		if used[i] || used[j] || dates[i].year == dates[j].year {
			continue
		}
		l := commonSuffix(ctxs[i].left, ctxs[j].left)
		r := commonPrefix(ctxs[i].right, ctxs[j].right)
		if !sameWording(l, r) || notAStatement(text, dates[i]) || notAStatement(text, dates[j]) {
			continue
		}
		used[i], used[j] = true, true
		out = append(out, copiedYearFinding(in, dates[i], dates[j], budgetYear))
	}
	return out, used
}

// yearContext is the text on each side of a year, white space dropped.
type yearContext struct {
	left, right []rune
}

// runeHash folds runes into h (FNV-1a): a group key; two contexts that
// share it are compared rune by rune anyway.
func runeHash(h uint64, rs []rune) uint64 {
	h ^= 14695981039346656037
	for _, r := range rs {
		h ^= uint64(r)
		h *= 1099511628211
	}
	return h
}

// maxAlike bounds how many later dates of a group each date is paired
// with: a report repeats one wording a handful of times, a hostile text
// thousands, and pairing every one with every other would be quadratic.
const maxAlike = 8

// alikePairs lists, in order, the pairs of dates (i < j) whose contexts
// could be the same wording with another year: sameWording needs four
// equal characters on each side of the year, or one whole side equal;
// dates are grouped by those keys, and only the years of a group that
// differ are paired (each with its next maxAlike), so a long text is not
// compared pair by pair.
func alikePairs(ctxs []yearContext, years []int) [][2]int {
	groups := map[uint64][]int{}
	for i, c := range ctxs {
		if len(c.left) >= 4 && len(c.right) >= 4 {
			k := runeHash(runeHash(1, c.left[len(c.left)-4:]), c.right[:4])
			groups[k] = append(groups[k], i)
		}
		if len(c.left) == copyContext {
			k := runeHash(2, c.left)
			groups[k] = append(groups[k], i)
		}
		if len(c.right) == copyContext {
			k := runeHash(3, c.right)
			groups[k] = append(groups[k], i)
		}
	}
	var out [][2]int
	for _, g := range groups {
		for x, a := range g { // g is in text order
			for _, b := range g[x+1 : min(len(g), x+1+maxAlike)] {
				if years[a] != years[b] {
					out = append(out, [2]int{a, b})
				}
			}
		}
	}
	slices.SortFunc(out, func(p, q [2]int) int {
		if c := cmp.Compare(p[0], q[0]); c != 0 {
			return c
		}
		return cmp.Compare(p[1], q[1])
	})
	return slices.Compact(out) // a pair two keys share, once
}

// notAStatement: a year in a title or a range names no period of work.
func notAStatement(text string, d dateMention) bool {
	return inTitle(text, d.start) || isRangeOrStart(text, d)
}

// copyContext is how many characters on each side of a year are compared.
const copyContext = 40

// sameWording: enough identical characters around the two years that they
// are the same statement, not two sentences that merely start alike
// (截至2021年12月31日 … / 截至2022年12月31日 …).
func sameWording(left, right int) bool {
	return left+right >= 30 && (min(left, right) >= 4 || max(left, right) >= copyContext)
}

func copiedYearFinding(in *Input, a, b dateMention, budgetYear int) pipeline.Finding {
	kept, other := a.year, b.year
	if b.year == budgetYear {
		kept, other = b.year, a.year
	}
	if budgetYear == 0 {
		budgetYear = kept
	}
	sa, ea := a.sStart, a.sEnd
	sb, eb := b.sStart, b.sEnd
	values := pipeline.Values{"budget_year": pipeline.YearValue(budgetYear), "other_year": pipeline.YearValue(other)}
	return pipeline.Finding{
		Message:  fmt.Sprintf("同一表述出现两个不同年份：%d年 与 %d年", kept, other),
		Values:   values,
		Evidence: []pipeline.Evidence{quoteAround(in, a, sa, ea), quoteAround(in, b, sb, eb)},
	}
}

func commonSuffix(a, b []rune) int {
	n := 0
	for n < len(a) && n < len(b) && a[len(a)-1-n] == b[len(b)-1-n] {
		n++
	}
	return n
}

func commonPrefix(a, b []rune) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// Words that tie a date to the evaluated period's work.
var periodWork = []string{"监控", "执行", "支出", "支付", "拨付", "下达", "到位", "开展", "实施", "上报", "报送", "采购"}

// Statements that name the evaluated period itself; a year alone (2021年度,
// 2021年) in them is the evaluated year.
var periodItself = []string{"评价对象", "自评对象", "绩效目标为", "年度目标", "得分", "自评结果", "年初预算", "年初安排", "全年预算", "全年执行", "执行率", "实际支出", "产出情况", "监控"}

// Words of a comparison or of history: a year beside them is not the
// evaluated period.
var comparisonWords = []string{"较", "同比", "环比", "比上", "相比", "对比", "同期", "增长", "下降", "减少", "增加", "提高", "降低", "高于", "低于", "持平"}

// Words that put a whole sentence about an earlier year: carry-overs and
// last year's figures.
var earlierYearWords = []string{"上年", "上一年", "去年", "往年", "历年", "以前年度", "结转", "今年", "本年", "当年"}

// Events that are dated in their own year whatever year is evaluated.
var pastEvents = []string{"印发", "发布", "颁布", "出台", "修订", "修正", "成立", "设立", "组建", "启动", "立项", "开工", "竣工", "建成", "投入使用", "投入运行", "挂牌", "评为", "荣获", "获评", "表彰", "授予", "审计", "巡视", "巡察", "整改"}

// Phrases that name the evaluated period in any report, whatever year is
// beside them.
var periodNamed = []string{"评价对象", "自评对象", "得分", "自评结果", "产出情况", "绩效目标为", "年度目标"}

// evaluatedYear: 对2023年度…开展绩效自评, 开展2023年度绩效自评 — the year
// is the object of the self-evaluation.
func evaluatedYear(before, after string) bool {
	before = strings.TrimRight(before, " \u3000")
	return (strings.HasSuffix(before, "对") || strings.HasSuffix(before, "开展")) && strings.Contains(after, "自评")
}

// What a fiscal year is named for in a self-evaluation: its budget, money,
// work and evaluation (not statistics or awards of that year).
var fiscalWork = append([]string{"绩效", "预算", "资金", "自评"}, append(periodWork, periodItself...)...)

// Last year's results and accounts, legitimately cited by fiscal year.
var priorYearAccounts = []string{"评价结果", "结果运用", "结果应用", "决算"}

// Words of plans and targets: a later year beside them is a goal.
var planWords = []string{"计划", "预计", "力争", "争取", "将于", "拟于", "拟在"}

// Work done after the year on the year: the self-evaluation itself.
var evaluationWork = []string{"自评", "评价", "报告", "决算", "审计", "整改"}

// outOfPeriodStatement reports whether date d, in a year other than the
// budget year, dates the evaluated period's monitoring or execution.
func outOfPeriodStatement(text string, d dateMention, dates []dateMention, year int) bool {
	if inTitle(text, d.start) || isRangeOrStart(text, d) {
		return false
	}
	if isYearHeading(text, d) {
		return true // （2021年度） over the self-evaluation table of 2022
	}
	s, e := d.sStart, d.sEnd
	sentence := text[s:e]
	if mentionsYear(dates, s, e, year) {
		return false // a comparison or a carry-over told next to the year itself
	}
	clause := text[document.ClauseStart(text, s, d.start):document.ClauseEnd(text, d.end, e)]
	if containsAny(clause, comparisonWords) || containsAny(sentence, pastEvents) {
		return false
	}
	// From the clause of the date to the end of the sentence: what was done then.
	rest := text[document.ClauseStart(text, s, d.start):e]
	dated := d.month > 0 || d.yearEndMonth || strings.Contains(text[s:d.start], "截至") || strings.Contains(text[s:d.start], "截止")
	switch {
	case d.year < year:
		if containsAny(sentence, earlierYearWords) {
			return false
		}
		if d.year == year-1 && (d.month >= 11 || d.yearEndMonth) && containsAny(sentence, []string{"提前", "预拨", "下达", "拨付", "到位"}) {
			return false // money released early for the year: defensible either way
		}
		switch {
		case dated:
			return containsAny(rest, periodWork)
		case d.fiscal:
			// 2021年度 names a fiscal year: in a 2022 report only last
			// year's results and accounts are told by it.
			return containsAny(sentence, fiscalWork) && !containsAny(sentence, priorYearAccounts)
		}
		return containsAny(sentence, periodItself)
	case d.year == year+1:
		// The following year is when reports are written and evaluated;
		// only the evaluated object, targets and score, monitoring, or
		// execution counted up to past mid-year (when the report is long
		// written: 截至2023年12月31日 in a 2022 report), are misplaced there.
		if containsAny(sentence, planWords) || containsAny(sentence, []string{"建议", "下一步", "将在", "将进一步"}) {
			return false
		}
		if !dated {
			return evaluatedYear(text[document.ClauseStart(text, s, d.start):d.start], text[d.end:document.ClauseEnd(text, d.end, e)]) ||
				containsAny(sentence, periodNamed)
		}
		if containsAny(sentence, evaluationWork) {
			return false
		}
		late := d.month >= 7 || d.yearEndMonth
		return strings.Contains(rest, "监控") || late && containsAny(rest, periodWork)
	default:
		return dated && containsAny(rest, periodWork) && !containsAny(sentence, planWords) && !containsAny(sentence, evaluationWork)
	}
}

// isYearHeading: a sentence (a line, a cell) that is only the year, as
// printed under a table's title: （2021年度）.
func isYearHeading(text string, d dateMention) bool {
	before := strings.Trim(text[d.sStart:d.start], " \u3000\t（(|")
	after := strings.Trim(text[d.end:d.sEnd], " \u3000\t）)\r|")
	return before == "" && after == "" && d.fiscal
}

// isRangeOrStart: 2021—2025年, 2021年至2023年, 2019年以来, 2019年起, 自2019年.
func isRangeOrStart(text string, d dateMention) bool {
	before := strings.TrimRight(text[max(0, d.start-12):d.start], " \u3000")
	if strings.HasSuffix(before, "截至") {
		return false // a cut-off date, not a range
	}
	for _, p := range []string{"—", "-", "－", "–", "~", "～", "至", "到", "自", "从"} {
		if strings.HasSuffix(before, p) {
			return true
		}
	}
	after := strings.TrimLeft(text[d.end:min(len(text), d.end+24)], " \u3000")
	for _, p := range []string{"—", "-", "－", "–", "~", "～", "至", "以来", "起", "开始", "以前", "之前", "前", "修订", "修正", "版"} {
		if strings.HasPrefix(after, p) {
			return true
		}
	}
	return false
}

// inTitle reports whether offset off lies inside 《…》 (a law, plan or
// notice named with its year).
func inTitle(text string, off int) bool {
	from := max(0, off-300)
	before := text[from:off]
	open := strings.LastIndex(before, "《")
	return open >= 0 && strings.LastIndex(before, "》") < open
}

// mentionsYear: a date of the given year stands in text[start:end].
func mentionsYear(dates []dateMention, start, end, year int) bool {
	// dates are in text order (the model's): look only inside [start, end).
	i := sort.Search(len(dates), func(i int) bool { return dates[i].start >= start })
	for ; i < len(dates) && dates[i].start < end; i++ {
		if dates[i].end <= end && dates[i].year == year {
			return true
		}
	}
	return false
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// quoteAround is the evidence for a date: its sentence from the start of
// the date's clause (or the clause before, when the date opens a short
// one: 按照财政监控要求，在 2020 年 5 月…), so that the date is well inside
// the 80-character quote.
func quoteAround(in *Input, d dateMention, s, e int) pipeline.Evidence {
	text := in.Doc.Text
	from := document.ClauseStart(text, s, d.start)
	if from > s && utf8.RuneCountInString(text[from:d.start]) < 8 {
		_, size := utf8.DecodeLastRuneInString(text[:from])
		if prev := document.ClauseStart(text, s, from-size); utf8.RuneCountInString(text[prev:d.start]) <= 30 {
			from = prev
		}
	}
	for utf8.RuneCountInString(text[from:d.start]) > 30 {
		_, size := utf8.DecodeRuneInString(text[from:])
		from += size
	}
	to := strings.TrimRight(text[from:e], "\n\f")
	return in.Doc.Evidence(from, from+len(to))
}

// compactString drops whitespace: "2020 年 5 月" reads "2020年5月".
func compactString(s string) string {
	return strings.Join(strings.Fields(s), "")
}
