package extract

import (
	"strings"
	"unicode/utf8"

	"github.com/jixiao/jixiao/internal/vocab"
)

// foldLabel is a cell's text the way labels are compared: no white space,
// full-width brackets and colons as ASCII, no trailing colon or pipe.
func foldLabel(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\u3000':
			return -1
		case '（':
			return '('
		case '）':
			return ')'
		case '：':
			return ':'
		}
		return r
	}, s)
	return strings.TrimRight(s, ":|")
}

// labelOf returns the first class among classes whose label the cell's text
// is: exactly (folded), else with one character misread when the label has
// four or more (OCR reads 年初预匏数 for 年初预算数, 项目资金（万兀） for
// （万元）). It returns the class and the label matched, or "".
func labelOf(s string, classes ...string) (class, label string) {
	f := foldLabel(s)
	if f == "" || utf8.RuneCountInString(f) > 24 {
		return "", ""
	}
	for _, c := range classes {
		for _, w := range vocab.Form.Words(c) {
			if f == foldLabel(w) {
				return c, w
			}
		}
	}
	for _, c := range classes {
		for _, w := range vocab.Form.Words(c) {
			if fw := foldLabel(w); utf8.RuneCountInString(fw) >= 4 && oneSlip(f, fw) {
				return c, w
			}
		}
	}
	return "", ""
}

// isLabel reports a cell that is a label of one of classes.
func isLabel(s string, classes ...string) bool {
	c, _ := labelOf(s, classes...)
	return c != ""
}

// oneSlip: a and b have the same length in characters and differ in exactly
// one of them.
func oneSlip(a, b string) bool {
	if utf8.RuneCountInString(a) != utf8.RuneCountInString(b) {
		return false
	}
	diff := 0
	for len(a) > 0 {
		ra, wa := utf8.DecodeRuneInString(a)
		rb, wb := utf8.DecodeRuneInString(b)
		if ra != rb {
			diff++
		}
		a, b = a[wa:], b[wb:]
	}
	return diff == 1
}

// labelValue splits a cell holding its label and value (项目名称：X, 实施
// 单位:X) for one of classes; ok is false when the cell is not such.
func labelValue(s string, classes ...string) (class, value string, ok bool) {
	i := strings.IndexAny(s, ":：")
	if i <= 0 {
		return "", "", false
	}
	c, _ := labelOf(s[:i], classes...)
	if c == "" {
		return "", "", false
	}
	_, w := utf8.DecodeRuneInString(s[i:])
	return c, strings.TrimSpace(s[i+w:]), true
}

// anyFormLabel: the cell is a label of the form (so it is no header cell's
// value).
func anyFormLabel(s string) bool {
	return isLabel(s, "project", "supervisor", "implementer", "money_head", "col_planned", "col_adjusted",
		"col_executed", "col_weight", "col_rate", "col_score", "row_total", "row_source", "goal", "indicators", "total", "grade") ||
		isHeaderWord(s)
}
