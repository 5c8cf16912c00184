package ocr

import (
	"image"
	"regexp"
	"strings"
	"unicode"

	"github.com/jixiao/jixiao/dictionaries"
	"github.com/jixiao/jixiao/internal/segment"
	"github.com/jixiao/jixiao/internal/tesseract"
)

// This file is the one stage that knows how OCR misreads these reports.
// It runs on each line (or cell) before the model is built, so the
// extractor and the checks read the same text they read from a text
// layer, and it changes nothing a text layer would have written.

// fixText applies every repair to t, keeping each character's confidence:
// a replacement takes the lowest confidence of what it replaces.
func fixText(t text) text {
	t = rewrite(t, headingMarker, func(m []string) string { return "（" + m[1] + "）" })
	t = rewrite(t, itemMarker, func(m []string) string { return m[1] + "（" + m[2] + "）" })
	t = rewrite(t, atLeast, func(m []string) string { return m[1] + "≥" + m[2] })
	t = rewrite(t, atMost, func(m []string) string { return m[1] + "≤" + m[2] })
	t = pairParens(t)
	t = rewrite(t, figureLetters, func(m []string) string { return figureDigits.Replace(m[0]) })
	t = rewrite(t, thousandsPoint, func(m []string) string { return m[1] + "," + m[2] + "." + m[3] })
	t = rewrite(t, percentNine, func(m []string) string { return m[1] + "%" })
	t = rewrite(t, percentTail, func(m []string) string { return "%" + m[1] })
	t = rewrite(t, percentAsDigits, func(m []string) string { return m[1] + "%" + m[2] })
	t = widenPunct(t)
	t = fixGlyphs(t)
	return t
}

// fixCell repairs a table cell: fixText; a pipe at either end dropped (a
// piece of a rule, never a cell's text); and a quotation mark at either
// end with no partner inside the cell dropped — the form's cells quote
// nothing, and OCR puts one where a rule was erased.
func fixCell(t text) text {
	const edge = "|丨｜ "
	for len(t.r) > 0 && strings.ContainsRune(edge, t.r[0]) {
		t.r, t.conf = t.r[1:], t.conf[1:]
	}
	for n := len(t.r); n > 0 && strings.ContainsRune(edge, t.r[n-1]); n = len(t.r) {
		t.r, t.conf = t.r[:n-1], t.conf[:n-1]
	}
	t = fixText(t)
	t = rewrite(t, cellPercent, func(m []string) string { return m[1] + "%" })
	for len(t.r) > 0 && strings.ContainsRune("“”\"'‘’", t.r[0]) && !strings.ContainsAny(string(t.r[1:]), "“”\"'‘’") {
		t.r, t.conf = t.r[1:], t.conf[1:]
	}
	for n := len(t.r); n > 0 && strings.ContainsRune("“”\"'‘’", t.r[n-1]) && !strings.ContainsAny(string(t.r[:n-1]), "“”\"'‘’"); n = len(t.r) {
		t.r, t.conf = t.r[:n-1], t.conf[:n-1]
	}
	return t
}

// cellPercent: a rate cell whose % sign was read as digits set apart
// (98.87 06).
var cellPercent = regexp.MustCompile(`^([0-9]+\.[0-9]{1,2})\s(?:96|94|90|06|0)$`)

// headingMarker: a section number at the start of a line whose brackets
// OCR misread: 〈二)  《一)  4一)  (一）  <三>  C四).
var headingMarker = regexp.MustCompile(`^[〈《<(（4Cc［\[{]\s*([一二三四五六七八九十]{1,3})\s*[)）〉》>\]］}]`)

// itemMarker: a bracketed item number after a colon or a full stop, or at
// the start of a line, with brackets OCR misread or left half-width:
// 问题：〈1)基层…  (2)资金…  《3)…
var itemMarker = regexp.MustCompile(`(^|[：:。；;])\s*[〈《<(（]\s*([0-9]{1,2})\s*[)）〉》>]`)

// atLeast and atMost: the signs ≥ and ≤ before a figure, which Tesseract's
// Chinese model reads as a character that never stands before a figure in
// these reports (之 这 立 袜 衬 关 for ≥, 委 for ≤), as a quotation mark
// (“1100人次), or as > and <. (之 after 分 is 百分之, kept.)
var (
	atLeast = regexp.MustCompile(`(^|[^0-9分])[之这立袜衬关>＞“]\s*([0-9])`)
	atMost  = regexp.MustCompile(`(^|[^0-9])[委<＜]\s*([0-9])`)
)

// The percent sign is the glyph Tesseract's Chinese model misreads most:
// as 9% (88.959%), with a digit after it (93.8%4), or as two digits
// (104.596, 88.9594). A rate in these reports has at most two decimals, so
// a third decimal is the misread sign; a digit right after % is a piece of
// it; a rate of three or more decimals ending in 96, 94, 90 or 06 where a
// sentence goes on is the sign read as digits.
var (
	percentNine     = regexp.MustCompile(`([0-9]+\.[0-9]{1,2})9%`)
	percentTail     = regexp.MustCompile(`%[0-9]([^0-9.]|$)`)
	percentAsDigits = regexp.MustCompile(`([0-9]+\.[0-9]{1,2})(?:96|94|90|06)([。，；、）)]|$)`)
)

// thousandsPoint: a figure with two decimal points, the first a thousands
// comma OCR read as a point (2.956.00 is 2,956.00).
var thousandsPoint = regexp.MustCompile(`([0-9]{1,3})\.([0-9]{3})\.([0-9]{1,2})`)

// figureLetters: letters OCR puts for digits inside a figure — O and o
// for 0, l, I and | for 1 — when digits stand on both sides or a digit and
// a decimal point or percent sign: 1O0%, 2l.5, 9O.5.
var figureLetters = regexp.MustCompile(`[0-9][0-9OolI|]*[OolI|][0-9OolI|]*(?:[.%][0-9OolI|]*)?|[OolI|][0-9]+(?:\.[0-9]+)?%?`)

var figureDigits = strings.NewReplacer("O", "0", "o", "0", "l", "1", "I", "1", "|", "1")

// rewrite replaces every match of re in t by repl's text. The replacement
// runes take the lowest confidence of the matched runes.
func rewrite(t text, re *regexp.Regexp, repl func([]string) string) text {
	s := string(t.r)
	locs := re.FindAllStringSubmatchIndex(s, -1)
	if locs == nil {
		return t
	}
	// byte offset → rune index
	idx := make([]int, len(s)+1)
	n := 0
	for i := range s {
		idx[i] = n
		n++
	}
	idx[len(s)] = n
	var out text
	prev := 0
	for _, loc := range locs {
		if !wholeFigure(s, loc[0], loc[1], re) {
			continue
		}
		m := make([]string, len(loc)/2)
		for k := range m {
			if loc[2*k] >= 0 {
				m[k] = s[loc[2*k]:loc[2*k+1]]
			}
		}
		a, b := idx[loc[0]], idx[loc[1]]
		out.r = append(out.r, t.r[idx[prev]:a]...)
		out.conf = append(out.conf, t.conf[idx[prev]:a]...)
		out.add(repl(m), lowest(t.conf[a:b]))
		prev = loc[1]
	}
	out.r = append(out.r, t.r[idx[prev]:]...)
	out.conf = append(out.conf, t.conf[idx[prev]:]...)
	return out
}

// wholeFigure: a figure repair only applies where the match is not part
// of a Latin word (PDF, OK, Excel stay as they are).
func wholeFigure(s string, start, end int, re *regexp.Regexp) bool {
	if re != figureLetters {
		return true
	}
	before, after := rune(0), rune(0)
	if start > 0 {
		before = []rune(s[:start])[len([]rune(s[:start]))-1]
	}
	if end < len(s) {
		after = []rune(s[end:])[0]
	}
	latin := func(r rune) bool { return r < 0x80 && unicode.IsLetter(r) }
	return !latin(before) && !latin(after)
}

func lowest(cs []float64) float64 {
	if len(cs) == 0 {
		return 0
	}
	m := cs[0]
	for _, c := range cs[1:] {
		m = min(m, c)
	}
	return m
}

// pairParens makes a pair of brackets full-width when what they hold or
// what stands before them is Chinese: OCR reads （ and ） as ( and ) more
// often than not, and （ as 〈 or 《 beside a ) — a pair no writer mixes
// (〈万元) is （万元）). The text layer of these reports has full-width
// ones there. Brackets around figures alone, and 《…》 title marks, stay.
func pairParens(t text) text {
	rs := t.r
	for i := 0; i < len(rs); i++ {
		if !strings.ContainsRune("(（〈《<", rs[i]) {
			continue
		}
		for j := i + 1; j < len(rs) && j <= i+40; j++ {
			if strings.ContainsRune("(（〈《<", rs[j]) {
				break
			}
			if !strings.ContainsRune(")）〉》>", rs[j]) {
				continue
			}
			open, close := rs[i], rs[j]
			mixed := !(open == '(' || open == '（') || !(close == ')' || close == '）')
			same := open == '《' && close == '》' || open == '〈' && close == '〉' || open == '<' && close == '>'
			chinese := hasHan(rs[i+1:j]) || i > 0 && unicode.Is(unicode.Han, rs[i-1])
			if !same && chinese && (!mixed || open != '<' && close != '>') {
				rs[i], rs[j] = '（', '）'
			}
			break
		}
	}
	return t
}

func hasHan(rs []rune) bool {
	for _, r := range rs {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// widenPunct makes a comma, colon, semicolon, question or exclamation mark
// after a Chinese character full-width, as the text layer has it; between
// figures (1,076  12:30) they stay.
func widenPunct(t text) text {
	for i, r := range t.r {
		w, ok := fullWidth[r]
		if !ok || i == 0 || !unicode.Is(unicode.Han, t.r[i-1]) {
			continue
		}
		t.r[i] = w
	}
	return t
}

var fullWidth = map[rune]rune{',': '，', ':': '：', ';': '；', '?': '？', '!': '！'}

// dropFragments removes the characters OCR reads a second time out of one
// glyph: Tesseract's Chinese model often reads % as 9% or %0 (88.95% comes
// out 88.959%40), the extra digits' boxes lying over the % sign's or over
// one another's. The symbols whose boxes overlap a % sign, directly or
// through each other, are that one glyph: their digits are dropped.
//
// And the quotation marks it puts before a word after a wide gap (a
// table's cells, the space a rule left): such a mark has no ink of its
// own, its box a pixel wide or lying over the next character's. (One with
// ink of its own before a figure is a misread ≥, see atLeast.)
func dropFragments(w tesseract.Word) tesseract.Word {
	w = dropPhantomQuote(w)
	if !strings.Contains(w.Text, "%") {
		return w
	}
	glyph := make([]bool, len(w.Symbols))
	for i, s := range w.Symbols {
		glyph[i] = s.Text == "%"
	}
	for grown := true; grown; {
		grown = false
		for i, s := range w.Symbols {
			if glyph[i] {
				continue
			}
			for j, t := range w.Symbols {
				if glyph[j] && overlaps(s.Box, t.Box) {
					glyph[i], grown = true, true
					break
				}
			}
		}
	}
	kept := w.Symbols[:0:0]
	for i, s := range w.Symbols {
		if !(glyph[i] && isDigits(s.Text)) {
			kept = append(kept, s)
		}
	}
	return keep(w, kept)
}

func dropPhantomQuote(w tesseract.Word) tesseract.Word {
	if len(w.Symbols) < 2 || !strings.Contains("“”\"'‘’", w.Symbols[0].Text) {
		return w
	}
	q, next := w.Symbols[0].Box, w.Symbols[1].Box
	if q.Dx() > 2 && !overlapsThird(q, next) {
		return w
	}
	return keep(w, w.Symbols[1:])
}

// keep rebuilds a word from the symbols kept of it. Tesseract's confidence
// of the word counted the dropped ones (a phantom mark drags "469.20" to
// 60 while each digit is read at 94–99), so the word's confidence becomes
// its kept characters' lowest.
func keep(w tesseract.Word, kept []tesseract.Symbol) tesseract.Word {
	if len(kept) == len(w.Symbols) {
		return w
	}
	var sb strings.Builder
	low := 100.0
	for _, s := range kept {
		sb.WriteString(s.Text)
		low = min(low, s.Confidence)
	}
	w.Symbols, w.Text = kept, sb.String()
	if len(kept) > 0 {
		w.Confidence = low
	}
	return w
}

// overlapsThird: at least a third of a's width lies over b.
func overlapsThird(a, b image.Rectangle) bool {
	in := min(a.Max.X, b.Max.X) - max(a.Min.X, b.Min.X)
	return a.Dx() > 0 && in*3 >= a.Dx()
}

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// overlaps: a and b share at least 60% of the narrower one's width.
func overlaps(a, b image.Rectangle) bool {
	in := min(a.Max.X, b.Max.X) - max(a.Min.X, b.Min.X)
	return in > 0 && in*10 >= min(a.Dx(), b.Dx())*6
}

// glyphs are the characters OCR reads for others (dictionaries/
// ocr_confusions.tsv): misread → the characters it may stand for.
var glyphs = func() map[rune][]rune {
	m := map[rune][]rune{}
	for _, line := range strings.Split(dictionaries.OCRConfusions, "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(strings.TrimSpace(line), "\t")
		if len(f) != 2 {
			continue
		}
		a, b := []rune(f[0]), []rune(f[1])
		if len(a) == 1 && len(b) == 1 {
			m[a[0]] = append(m[a[0]], b[0])
		}
	}
	return m
}()

// fixGlyphs puts back a character OCR misread for another: where the
// character read makes no word of the dictionary with either neighbour,
// and the one it may stand for makes a word with one of them (归档个够规范:
// 档个 and 个够 are no words, 不够 is). A character that makes a word
// stays as read, so right text is never changed.
func fixGlyphs(t text) text {
	var seg *segment.Segmenter
	for i, r := range t.r {
		alts := glyphs[r]
		if len(alts) == 0 {
			continue
		}
		if seg == nil {
			seg = segment.Default()
		}
		if makesWord(seg, t.r, i, r) {
			continue
		}
		for _, a := range alts {
			if makesWord(seg, t.r, i, a) {
				t.r[i] = a
				break
			}
		}
	}
	return t
}

// makesWord: c at position i forms a word of two or three characters with
// its neighbours.
func makesWord(seg *segment.Segmenter, rs []rune, i int, c rune) bool {
	han := func(k int) bool { return k >= 0 && k < len(rs) && unicode.Is(unicode.Han, rs[k]) }
	for _, span := range [][2]int{{i - 1, i}, {i, i + 1}, {i - 2, i}, {i - 1, i + 1}, {i, i + 2}} {
		if !han(span[0]) || !han(span[1]) {
			continue
		}
		w := []rune(string(rs[span[0] : span[1]+1]))
		w[i-span[0]] = c
		if seg.Contains(string(w)) {
			return true
		}
	}
	return false
}
