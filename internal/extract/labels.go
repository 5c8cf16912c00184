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
	if r, _ := utf8.DecodeRuneInString(s); r < 0x2E80 {
		return "", "" // a figure, a dash, a percentage: every label starts with a Chinese character
	}
	f := foldLabel(s)
	n := utf8.RuneCountInString(f)
	if f == "" || n > 24 {
		return "", ""
	}
	for _, c := range classes {
		if w, ok := labels.exact[c][f]; ok {
			return c, w
		}
	}
	if n < 4 {
		return "", ""
	}
	for _, c := range classes {
		for _, e := range labels.byLength[c][n] {
			if oneSlip(f, e.folded) {
				return c, e.word
			}
		}
	}
	return "", ""
}

// labelIndex is the form vocabulary folded once: each class's labels by
// their folded text, and by their length for the one-slip comparison.
type labelIndex struct {
	exact    map[string]map[string]string    // class → folded → label
	byLength map[string]map[int][]labelEntry // class → runes → labels
}

type labelEntry struct{ folded, word string }

var labels = func() labelIndex {
	ix := labelIndex{exact: map[string]map[string]string{}, byLength: map[string]map[int][]labelEntry{}}
	for class, words := range vocab.Form {
		ix.exact[class] = map[string]string{}
		ix.byLength[class] = map[int][]labelEntry{}
		for _, w := range words {
			f := foldLabel(w)
			if _, seen := ix.exact[class][f]; !seen {
				ix.exact[class][f] = w
			}
			if n := utf8.RuneCountInString(f); n >= 4 {
				ix.byLength[class][n] = append(ix.byLength[class][n], labelEntry{f, w})
			}
		}
	}
	return ix
}()

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
