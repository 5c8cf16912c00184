package ocr

import (
	"regexp"
	"strings"
	"unicode"
)

// This file is the one stage that knows how OCR misreads these reports.
// It runs on each line (or cell) before the model is built, so the
// extractor and the checks read the same text they read from a text
// layer, and it changes nothing a text layer would have written.

// fixText applies every repair to t, keeping each character's confidence:
// a replacement takes the lowest confidence of what it replaces.
func fixText(t text) text {
	t = rewrite(t, headingMarker, func(m []string) string { return "（" + m[1] + "）" })
	t = pairParens(t)
	t = rewrite(t, figureLetters, func(m []string) string { return figureDigits.Replace(m[0]) })
	t = widenPunct(t)
	return t
}

// headingMarker: a section number at the start of a line whose brackets
// OCR misread: 〈二)  《一)  4一)  (一）  <三>  C四).
var headingMarker = regexp.MustCompile(`^[〈《<(（4Cc［\[{]\s*([一二三四五六七八九十]{1,3})\s*[)）〉》>\]］}]`)

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

// pairParens makes a pair of ASCII brackets full-width when what they
// hold or what stands beside them is Chinese: OCR reads （ and ） as ( and )
// more often than not, and the text layer of these reports has full-width
// ones there. Brackets around figures alone stay ASCII.
func pairParens(t text) text {
	rs := t.r
	for i := 0; i < len(rs); i++ {
		if rs[i] != '(' && rs[i] != '（' {
			continue
		}
		for j := i + 1; j < len(rs) && j <= i+40; j++ {
			if rs[j] == '(' || rs[j] == '（' {
				break
			}
			if rs[j] != ')' && rs[j] != '）' {
				continue
			}
			if hasHan(rs[i+1:j]) || i > 0 && isHan(rs[i-1]) && isHanText(rs[i-1]) {
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

func isHanText(r rune) bool { return unicode.Is(unicode.Han, r) }

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
