package normalize

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jixiao/jixiao/internal/document"
	"github.com/jixiao/jixiao/internal/vocab"
)

// opensBlock reports whether a line starts with a heading or list number,
// or opens an attachment (附件, 附表): such a line never continues the
// paragraph before it.
func opensBlock(s string) bool {
	s = strings.TrimSpace(s)
	if _, ok := document.ParseMarker(s); ok {
		return true
	}
	return strings.HasPrefix(s, "附件") || strings.HasPrefix(s, "附表") || fieldLine(s)
}

// fieldLabels are the labels of a report's head fields (项目名称, 实施单位,
// 主管部门, 联系人 …).
var fieldLabels = func() []string {
	var ls []string
	for _, c := range []string{"project", "supervisor", "implementer", "field"} {
		ls = append(ls, vocab.Form.Words(c)...)
	}
	return ls
}()

// fieldLine: a short line opening with a field label and a colon
// (项目名称：…, 主管部门：… 实施单位：…) is a field of its own.
func fieldLine(s string) bool {
	if utf8.RuneCountInString(s) > 60 {
		return false
	}
	for _, l := range fieldLabels {
		if rest, ok := strings.CutPrefix(s, l); ok {
			rest = strings.TrimLeft(rest, " \u3000")
			return strings.HasPrefix(rest, "：") || strings.HasPrefix(rest, ":")
		}
	}
	return false
}

// emit writes the lines to b: chrome lines and tables as blocks of their
// own, the other lines joined into paragraphs.
func emit(b *document.Builder, ls []srcLine, roles []role, tables []region) {
	// A full line is a high percentile of the text's lines; a few lines
	// say little, so it is never taken narrower than minFullWidth.
	j := &joiner{b: b, double: doubleSpaced(ls), full: max(typicalWidth(textLines(ls, roles))*0.85, minFullWidth)}
	for i := 0; i < len(ls); i++ {
		l := ls[i]
		switch roles[i] {
		case roleChrome:
			if !l.blank {
				b.Open(document.ChromeBlock)
				b.Write(strings.TrimSpace(l.text), l.addr())
				j.interrupt()
			}
		case roleTable:
			r := tables[0]
			tables = tables[1:]
			writeTable(b, ls[r.start:r.end], r.layout, j.double)
			j.interrupt()
			i = r.end - 1
		default:
			j.line(ls, i)
		}
	}
	b.Close()
}

// minFullWidth is the narrowest a full line of running text is taken to
// be: no report is set in columns this narrow, and a short heading is
// never a wrapped line.
const minFullWidth = 16

// textLines are the lines of running text: a full line is measured on
// them, not on a form's short cells or a web page's metadata.
func textLines(ls []srcLine, roles []role) []srcLine {
	var out []srcLine
	for i, l := range ls {
		if roles[i] == roleText {
			out = append(out, l)
		}
	}
	return out
}

// joiner joins hard-wrapped lines into paragraphs.
type joiner struct {
	b      *document.Builder
	double bool    // a blank line after nearly every line
	full   float64 // the width of a full line of running text
	open   bool    // a paragraph is open and the next line may continue it
	prev   string  // the last line written
	text   bool    // a line of text was written since the start
}

// interrupt: a block that is not text (a table, chrome) closes the open
// paragraph.
func (j *joiner) interrupt() {
	j.open = false
	j.b.Close()
}

func (j *joiner) line(ls []srcLine, i int) {
	l := ls[i]
	if l.blank {
		if (!j.double || blankRun(ls, i) >= 2) && !midSentence(j.prev) {
			j.open = false // a real paragraph gap; a sentence cut by a page break runs on
		}
		return
	}
	raw := l.text
	t := strings.TrimSpace(raw)
	indented := strings.HasPrefix(raw, "  ") || strings.HasPrefix(raw, "\u3000")
	t = closeCJKSpaces(t)
	if j.open && continues(j.prev, t, indented, l.pageStart) {
		j.b.Write(joinWith(j.prev, t)+digitsASCII(t), l.addr())
	} else {
		j.b.Open(document.ProseBlock)
		j.b.Write(digitsASCII(t), l.addr())
	}
	j.open = !endsParagraph(t, j.full) && !(!j.text && isTitle(t))
	j.prev = t
	j.text = true
}

// isTitle: the report's first line naming it (…绩效自评报告) stands alone
// however wide it is.
func isTitle(t string) bool {
	return strings.Contains(t, "绩效") && (strings.HasSuffix(t, "报告") || strings.HasSuffix(t, "自评"))
}

// midSentence: a line that stops where no sentence can end ("…全年执行数为")
// was cut by a page break, not ended.
func midSentence(t string) bool {
	if t == "" || opensBlock(t) && utf8.RuneCountInString(t) <= 30 {
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

// continues decides whether line t carries on the paragraph whose last line
// was prev.
func continues(prev, t string, indented, pageStart bool) bool {
	if opensBlock(t) && !splitNumber(prev, t) {
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
	if opensBlock(t) || standalone(t) {
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

// joinWith is what goes between two joined lines: nothing between CJK text, a
// space between two Latin words.
func joinWith(prev, next string) string {
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

// CleanText is the cleanup every paragraph and cell gets, whatever loaded
// it: white space trimmed, the spaces a justified or OCR'd line puts
// between Chinese characters closed up, full-width digits, point and
// percent made ASCII. Loaders that build the model themselves (Word, Excel,
// OCR) pass their text through it, so every later stage reads one form.
func CleanText(s string) string {
	return digitsASCII(closeCJKSpaces(strings.TrimSpace(s)))
}
