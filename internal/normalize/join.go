package normalize

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

var (
	// headingRe matches the start of a numbered heading or list item.
	headingRe = regexp.MustCompile(`^(` +
		`第[一二三四五六七八九十]+(部分|章|节|条)` +
		`|[一二三四五六七八九十]{1,3}\s*[、.．，]` +
		`|[（(]\s*[一二三四五六七八九十]{1,3}\s*[）)]` +
		`|[（(]\s*\d{1,2}\s*[）)]` +
		`|\d{1,2}\s*[、．)）]` +
		`|\d{1,2}\.(\D|$)` +
		`|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮]` +
		`|附件|附表)`)
	// tableTitleRe matches the title line of a self-evaluation table.
	tableTitleRe = regexp.MustCompile(`(自评表|绩效目标(完成|自评)情况表|评分表|指标表)\s*[(（]?[^。，；]{0,12}[)）]?[:：]?$`)
	// sectionHeadingRe matches a top-level section heading, which a table
	// never contains.
	sectionHeadingRe = regexp.MustCompile(`^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]{1,3}\s*[、.．])`)
)

// IsHeading reports whether a line starts with a heading or list marker.
func IsHeading(s string) bool {
	s = strings.TrimSpace(s)
	r, _ := utf8.DecodeRuneInString(s)
	if !strings.ContainsRune("第一二三四五六七八九十（(0123456789①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮附", r) {
		return false // the cheap test first: most lines start with none of these
	}
	return headingRe.MatchString(s)
}

// paragraphs joins hard-wrapped lines and writes the result to b.
func paragraphs(ls []srcLine, b *builder) {
	b.tableStart, b.tableEnd = -1, -1
	double := doubleSpaced(ls)
	full := typicalWidth(ls) * 0.85
	inTable := false
	open := false // a paragraph is open and the next line may continue it
	var prev string
	for i, l := range ls {
		if l.blank {
			if (!double || blankRun(ls, i) >= 2) && !midSentence(prev) {
				open = false // a real paragraph gap; a sentence cut by a page break runs on
			}
			if inTable && !double {
				b.newline() // an empty table cell keeps its place
				b.write("", l)
			}
			continue
		}
		raw := l.text
		t := strings.TrimSpace(raw)
		if !inTable && isTableTitle(t) {
			inTable = true
			b.newline()
			b.tableStart = b.text.Len()
			b.write(digitsASCII(t), l)
			open = false
			continue
		}
		if inTable && sectionHeadingRe.MatchString(t) {
			inTable = false // the report goes on after the table
			b.newline()
			b.tableEnd = b.text.Len()
			b.write(digitsASCII(t), l)
			prev, open = t, !endsParagraph(t, full)
			continue
		}
		if inTable {
			b.newline()
			b.write(digitsASCII(strings.TrimRight(raw, " ")), l)
			continue
		}
		indented := strings.HasPrefix(raw, "  ") || strings.HasPrefix(raw, "\u3000")
		t = closeCJKSpaces(t)
		if open && continues(prev, t, indented, l.pageStart) {
			b.write(joiner(prev, t)+digitsASCII(t), l)
		} else {
			b.newline()
			b.write(digitsASCII(t), l)
		}
		open = !endsParagraph(t, full) && !(prev == "" && isTitle(t))
		prev = t
	}
}

// isTitle: the report's first line naming it (…绩效自评报告) stands alone
// however wide it is.
func isTitle(t string) bool {
	return strings.Contains(t, "绩效") && (strings.HasSuffix(t, "报告") || strings.HasSuffix(t, "自评"))
}

// midSentence: a line that stops where no sentence can end ("…全年执行数为")
// was cut by a page break, not ended.
func midSentence(t string) bool {
	if t == "" || IsHeading(t) && utf8.RuneCountInString(t) <= 30 {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(t)
	return strings.ContainsRune("为的是和与及或、，,（(“《：:", last) || last >= '0' && last <= '9'
}

func blankRun(ls []srcLine, i int) int {
	n := 0
	for j := i; j < len(ls) && ls[j].blank; j++ {
		n++
	}
	for j := i - 1; j >= 0 && ls[j].blank; j-- {
		n++
	}
	return n
}

func isTableTitle(t string) bool {
	return strings.Contains(t, "表") && utf8.RuneCountInString(t) <= 30 && tableTitleRe.MatchString(t) && !strings.ContainsAny(t, "。，")
}

// continues decides whether line t carries on the paragraph whose last line
// was prev.
func continues(prev, t string, indented, pageStart bool) bool {
	if IsHeading(t) && !splitNumber(prev, t) {
		return false
	}
	if indented && !pageStart {
		return false
	}
	if hasColumns(t) || hasColumns(prev) {
		return false // a table row laid out with spaces
	}
	return true
}

// hasColumns: a run of three spaces inside a line separates table columns.
func hasColumns(t string) bool {
	return strings.Contains(strings.TrimSpace(t), "   ")
}

// splitNumber: "…资金 240" + "万元…" or "76." + "3万元": a figure broken by
// the wrap, which a heading pattern must not split.
func splitNumber(prev, t string) bool {
	last, _ := utf8.DecodeLastRuneInString(prev)
	if !(last >= '0' && last <= '9') && last != '.' {
		return false
	}
	first, _ := utf8.DecodeRuneInString(t)
	return (first >= '0' && first <= '9') || strings.ContainsRune("万元亿千%％", first)
}

// endsParagraph: a line that is short and ends a sentence (or a short
// heading) closes its paragraph; a full line runs on.
func endsParagraph(t string, full float64) bool {
	if width(t) >= full {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(t)
	if strings.ContainsRune("。！？!?；;：:", last) {
		return true
	}
	if midSentence(t) {
		return false // "…万元，资金来源为" cut short by a page break
	}
	if IsHeading(t) || standalone(t) {
		return true
	}
	return false
}

// standaloneRe: short lines that stand on their own — a title, a signature,
// a date, a caption.
var standaloneRe = regexp.MustCompile(`(报告|表|年度[)）]?|局|厅|会|委|院|中心|办公室|政府|日|月)$|^[(（].{0,20}[)）]$|^附`)

func standalone(t string) bool {
	return utf8.RuneCountInString(t) <= 30 && standaloneRe.MatchString(t)
}

func endsMidFigure(r rune) bool { return r >= '0' && r <= '9' || r == '.' || r == '，' || r == '、' }

// joiner is what goes between two joined lines: nothing between CJK text, a
// space between two Latin words.
func joiner(prev, next string) string {
	a, _ := utf8.DecodeLastRuneInString(prev)
	b, _ := utf8.DecodeRuneInString(next)
	if isLatin(a) && isLatin(b) {
		return " "
	}
	return ""
}

func isLatin(r rune) bool { return r < 0x80 && (unicode.IsLetter(r)) }

// closeCJKSpaces removes a space between two CJK characters: justified PDF
// lines come out letter-spaced ("实 际 支 出"), and a space never separates
// Chinese words. Spaces next to digits and Latin text stay.
func closeCJKSpaces(s string) string {
	if !strings.Contains(s, " ") {
		return s
	}
	rs := []rune(s)
	out := rs[:0:0]
	for i, r := range rs {
		if r == ' ' && i > 0 && i+1 < len(rs) && isCJK(rs[i-1]) && isCJK(nextNonSpace(rs, i+1)) {
			continue
		}
		out = append(out, r)
	}
	return string(out)
}

func nextNonSpace(rs []rune, i int) rune {
	for ; i < len(rs); i++ {
		if rs[i] != ' ' {
			return rs[i]
		}
	}
	return ' '
}

// isCJK: Han characters and the full-width punctuation that goes with them.
func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || r >= 0x3000 && r <= 0x303F || r >= 0xFF01 && r <= 0xFF0F || r >= 0xFF1A && r <= 0xFF20 || r == '“' || r == '”' || r == '‘' || r == '’' || r == '—' || r == '…'
}

// digitsASCII turns full-width digits, point and percent sign into ASCII so
// every later stage reads one form.
func digitsASCII(s string) string {
	if !strings.ContainsAny(s, "０１２３４５６７８９．％") {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return r - '０' + '0'
		case r == '．':
			return '.'
		case r == '％':
			return '%'
		}
		return r
	}, s)
}
