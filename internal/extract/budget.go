package extract

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/jixiao/jixiao/internal/document"
	"github.com/jixiao/jixiao/internal/money"
	"github.com/jixiao/jixiao/internal/vocab"
	"github.com/jixiao/jixiao/pipeline"
)

// figure is an amount in the body text with the words that lead up to it.
type figure struct {
	money.Match
	Context string // the clause before the amount, from the last amount or clause start
	CtxAt   int    // byte offset of Context
	Item    bool   // part of a breakdown
}

var (
	// midYearRe: a cut-off date before December (截至2022年6月底) dates a
	// figure of part of the year.
	midYearRe = regexp.MustCompile(`截至\s*(?:\d{4}\s*年\s*)?(?:[1-9]|1[01])\s*月`)
)

// cue reports whether the words before a figure hold a cue of class; white
// space is ignored (a .docx dump's wraps: 全年 (调整)预算数).
func cue(class, ctx string) bool { return vocab.Cues.Contains(class, squeezeSpace(ctx)) }

// interim: a sentence about part of the year (支出进度, 截至6月底).
func interim(sentence string) bool {
	return cue("interim", sentence) || midYearRe.MatchString(sentence)
}

func squeezeSpace(s string) string {
	if !strings.ContainsAny(s, " \t\u3000") {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\u3000' {
			return -1
		}
		return r
	}, s)
}

// figures lists every amount of the body text with its lead-in words.
func figures(body string) []figure {
	var fs []figure
	prevEnd := 0
	for _, m := range money.Find(body) {
		from := document.ClauseStart(body, prevEnd, m.Start)
		fs = append(fs, figure{Match: m, Context: body[from:m.Start], CtxAt: from})
		prevEnd = m.End
	}
	return fs
}

// breakdownsOf finds every stated total followed by its parts
// (…240万元。其中：A 85万元，B 76.3万元…).
func breakdownsOf(doc *document.Doc, body string, fs []figure) ([]pipeline.Breakdown, []figure) {
	out := []pipeline.Breakdown{}
	var totals []figure
	for _, op := range openers(body, fs) {
		at := [2]int{op.start, op.end}
		total := totalBefore(fs, at[0])
		// A change (同比增加20万元，其中…) is never the total its parts add
		// up to: the figure before it is.
		for total > 0 && isChange(fs[total].Context) && near(body, fs[total-1].End, at[0]) && !fs[total-1].Item {
			total--
		}
		if total >= 0 && isChange(fs[total].Context) {
			continue
		}
		if total < 0 || !near(body, fs[total].End, at[0]) {
			continue
		}
		end := -1
		var items []int
		for i := total + 1; i < len(fs); i++ {
			f := fs[i]
			if f.Start < at[1] {
				continue
			}
			if end < 0 {
				end = itemsEnd(body, at[1], f.Start)
				if op.close > 0 {
					end = op.close // the parts in brackets after the total
				}
			}
			if f.Start >= end || (len(items) > 0 && cue("total_word", f.Context)) {
				break
			}
			items = append(items, i)
		}
		if len(items) < 2 {
			continue
		}
		b := pipeline.Breakdown{Total: fs[total].Amount}
		b.Evidence = quoteFigure(doc, fs[total])
		b.TotalQuote = b.Evidence.Quote
		for _, i := range items {
			fs[i].Item = true
			ev := quoteFigure(doc, fs[i])
			b.Items = append(b.Items, pipeline.BreakdownItem{Label: itemLabel(fs[i].Context), Amount: fs[i].Amount, Quote: ev.Quote, Evidence: ev})
		}
		out = append(out, b)
		totals = append(totals, fs[total])
	}
	return out, totals
}

// totalBefore is the last figure not yet a part that ends before off, or
// -1. Only a figure near off (see near: at most 60 characters, 4 bytes
// each) can be a total, so the search looks no further back than that:
// a text of many openers costs a binary search each, not a pass.
func totalBefore(fs []figure, off int) int {
	const reach = 4 * 61
	i := sort.Search(len(fs), func(i int) bool { return fs[i].End > off }) - 1
	for ; i >= 0 && fs[i].End >= off-reach; i-- {
		if !fs[i].Item {
			return i
		}
	}
	return -1
}

// opener is where a total's parts begin: a cue (其中, 资金分配如下：), or a
// colon or bracket right after the total (120万元：A…；B…, 120万元（A…、B…）),
// whose closing bracket ends the parts.
type opener struct {
	start, end int
	close      int // the closing bracket's offset, 0 when the parts end with their sentence
}

// openers lists a text's openers in order.
func openers(body string, fs []figure) []opener {
	var out []opener
	cues := vocab.Cues.FindCues("breakdown", body)
	for _, c := range cues {
		out = append(out, opener{start: c[0], end: c[1]})
	}
	for _, f := range fs {
		at := skipSpace(body, f.End)
		r, w := utf8.DecodeRuneInString(body[at:])
		switch r {
		case '：', ':':
			out = append(out, opener{start: at, end: at + w})
		case '（', '(':
			close := strings.IndexAny(body[at:min(len(body), at+300)], "）)\n")
			if close < 0 || body[at+close] == '\n' || cueWithin(cues, at, at+w+12) {
				continue // no bracket of its own, or 其中 opens it
			}
			out = append(out, opener{start: at, end: at + w, close: at + close})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
}

func cueWithin(cues [][2]int, from, to int) bool {
	for _, c := range cues {
		if c[0] >= from && c[0] < to {
			return true
		}
	}
	return false
}

// itemsEnd is where the parts listed after a cue end: the sentence of the
// first part, or — when the parts stand one per line as a numbered list
// (其中：\n1.设备购置200万元；\n2.培训100万元。) — the last such line.
func itemsEnd(body string, cueEnd, first int) int {
	end := document.SentenceEnd(body, first)
	if !strings.Contains(body[cueEnd:first], "\n") && (end == 0 || body[end-1] != '\n') {
		return end // the parts run on in the cue's sentence
	}
	for end < len(body) {
		line, _, _ := strings.Cut(body[end:], "\n")
		if !opensItem(line) || len(money.Find(line)) == 0 {
			break
		}
		end += len(line) + 1
	}
	return min(end, len(body))
}

// opensItem: a line opening with a list number (1. （1） ①) or an item
// word (一是, 第一，).
func opensItem(line string) bool {
	if _, ok := document.ParseMarker(line); ok {
		return true
	}
	m := document.ItemMarkerAt(line)
	return m != nil && m[0] == 0
}

// near: the cue follows the total within the same or the next sentence and
// no more than 60 characters of other words.
func near(s string, from, to int) bool {
	if to < from {
		return false
	}
	gap := s[from:to]
	return utf8.RuneCountInString(gap) <= 60 && strings.Count(gap, "。")+strings.Count(gap, "\n") <= 1
}

// itemLabel is what an item's words say it is, without list glue.
func itemLabel(ctx string) string {
	l := strings.TrimSpace(ctx)
	for _, p := range []string{"其中", "：", ":", "，", "用于", "主要", "是", "为"} {
		l = strings.TrimPrefix(strings.TrimSpace(l), p)
	}
	l = strings.TrimSpace(l)
	l = strings.TrimSuffix(l, "为")
	l = strings.TrimSuffix(l, "共")
	return strings.TrimSpace(l)
}

// quoteFigure quotes an amount with the words just before it, at most 80
// characters, as evidence.
func quoteFigure(doc *document.Doc, f figure) pipeline.Evidence {
	start := f.CtxAt
	for utf8.RuneCountInString(doc.Text[start:f.End]) > 40 {
		_, w := utf8.DecodeRuneInString(doc.Text[start:])
		start += w
	}
	return doc.Evidence(start, f.End)
}

// budgetFrom classifies the body's amounts into the year's budget figures:
// the first planned, adjusted and executed amounts the text states.
func budgetFrom(doc *document.Doc, body string, fs []figure, ev map[string]pipeline.Evidence) pipeline.Budget {
	var b pipeline.Budget
	plannedSentence := -1
	sentences := document.SentenceBounds{Text: body}
	for _, f := range fs {
		if f.Item {
			continue
		}
		ctx := f.Context
		start, end := sentences.At(f.Start)
		sent := body[start:end]
		if isChange(ctx) {
			continue // a change, not a budget: 追加预算345.1万元 (but 追加后全年预算数 is one)
		}
		amt := f.Amount
		if start == plannedSentence && cue("sum_word", ctx) && amt.Fen > b.Planned.Fen {
			// 上级下达X万元，本级配套Y万元，合计Z万元: the sum is the budget.
			b.Planned = &amt
			ev["planned"] = quoteFigure(doc, f)
			continue
		}
		switch {
		case cue("adjusted", ctx):
			if b.Adjusted == nil {
				b.Adjusted = &amt
				ev["adjusted"] = quoteFigure(doc, f)
			}
		case cue("executed", ctx) || strings.HasSuffix(strings.TrimSpace(ctx), "支出") && !strings.Contains(ctx, "项目支出") && !strings.Contains(ctx, "基本支出"):
			if b.Executed == nil && !interim(sent) {
				b.Executed = &amt
				ev["executed"] = quoteFigure(doc, f)
			}
		case cue("planned", ctx):
			if b.Planned == nil {
				b.Planned = &amt
				ev["planned"] = quoteFigure(doc, f)
				plannedSentence = start
			}
		}
	}
	sentences = document.SentenceBounds{Text: body}
	for _, p := range money.FindPercents(body) {
		from := document.ClauseStart(body, 0, p.Start)
		ctx := body[from:p.Start]
		if p.Value.Cmp(maxRate) > 0 {
			continue // 10001000100%: a form's cells run together, no rate
		}
		if !cue("rate", ctx) || cue("other_rate", ctx) {
			continue
		}
		if start, end := sentences.At(p.Start); !interim(body[start:end]) {
			v := p.Value
			b.ExecutionRate = &v
			ev["execution_rate"] = doc.Evidence(max(from, p.Start-30), p.End)
			break
		}
	}
	return b
}

// lineItems picks the breakdown of the main budget: the one whose total is
// the planned or adjusted budget, never a funding-source or spending split.
func lineItems(bs []pipeline.Breakdown, budget pipeline.Budget) []pipeline.LineItem {
	out := []pipeline.LineItem{}
	for _, b := range bs {
		if !isBudgetTotal(b.Total, budget) || isFundingSplit(b) {
			continue
		}
		for _, it := range b.Items {
			out = append(out, pipeline.LineItem{Purpose: it.Label, Amount: it.Amount, Evidence: it.Evidence})
		}
		return out
	}
	return out
}

func isBudgetTotal(a pipeline.Amount, b pipeline.Budget) bool {
	for _, x := range []*pipeline.Amount{b.Planned, b.Adjusted} {
		if x != nil && x.Fen == a.Fen {
			return true
		}
	}
	return false
}

// isFundingSplit: items that say where the money came from, not what it was
// for (其中：中央财政资金…，地方配套…).
func isFundingSplit(b pipeline.Breakdown) bool {
	n := 0
	for _, it := range b.Items {
		if fundingLabel(it.Label) {
			n++
		}
	}
	return n*2 > len(b.Items)
}

// fundingLabel: a part named for where the money came from (其中：中央财政
// 资金, 当年财政拨款, 上年结转), not for what it was spent on.
func fundingLabel(label string) bool {
	l := strings.TrimLeft(strings.TrimPrefix(strings.TrimSpace(label), "其中"), "：:，, ")
	l = strings.TrimPrefix(l, "当年")
	for _, end := range vocab.Cues.Words("funding_end") {
		if strings.HasSuffix(l, end) {
			return true
		}
	}
	return vocab.Cues.Prefix("funding", l) != ""
}

// maxRate is the highest execution rate a report can state: spending
// twice the budget is already a finding; more is figures run together.
var maxRate = pipeline.MustDecimal("300")

// isChange: the words before a figure make it a change or a remainder (追加,
// 同比增加, 结余), not a total — unless they name the new total (追加后).
func isChange(ctx string) bool { return cue("delta", ctx) && !cue("after_change", ctx) }

// soleBreakdownBudget: a report that states no budget but one total with its
// parts (项目资金共计80万元，具体用于：…) states its budget there. A total of
// spending or of funding sources is not one.
func soleBreakdownBudget(r *pipeline.Report, totals []figure) {
	if r.Budget.Planned != nil || r.Budget.Adjusted != nil {
		return
	}
	k := -1
	for i, b := range r.Breakdowns {
		if i >= len(totals) || isFundingSplit(b) {
			continue
		}
		if k >= 0 {
			return // two breakdowns: which is the budget is not said
		}
		k = i
	}
	if k < 0 || cue("executed", totals[k].Context) || cue("adjusted", totals[k].Context) {
		return
	}
	a := r.Breakdowns[k].Total
	r.Budget.Planned = &a
	r.Evidence["planned"] = r.Breakdowns[k].Evidence
}
