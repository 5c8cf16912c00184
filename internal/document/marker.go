package document

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/jixiao/jixiao/internal/money"
)

// Marker is the number a heading or list item opens with: the one grammar
// of section numbers, read by the outline, the list readers and the
// paragraph joiner alike.
type Marker struct {
	// Level: 1 一、 (and 第一部分), 2 （一）, 3 1. 1、, 4 （1）, 5 ①.
	Level int
	// Part: 第一部分 / 第一章, the level above 一、 in reports divided so.
	Part   bool
	Number string // the numeral as the outline shows it: "一", "（一）", "1", "①"
	Value  int    // the numeral's value: 1 for 一, （一）, 1 and ①
	Len    int    // bytes of the marker with the space after it
	// Title is the text after the marker up to its first sentence end or
	// colon, at most 40 characters.
	Title string
	// Inline: the paragraph runs on past the title (a run-in heading, or a
	// list item that is a sentence).
	Inline bool
}

var markerGrammar = []struct {
	level int
	part  bool
	re    *regexp.Regexp
}{
	{1, true, regexp.MustCompile(`^第([一二三四五六七八九十]+)(?:部分|章)\s*[、.．:：]?\s*`)},
	{1, false, regexp.MustCompile(`^([一二三四五六七八九十]{1,3})\s*[、.．，]\s*`)},
	{2, false, regexp.MustCompile(`^[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]\s*`)},
	{4, false, regexp.MustCompile(`^[（(]\s*(\d{1,2})\s*[）)]\s*`)},
	{3, false, regexp.MustCompile(`^(\d{1,2})\s*[、．.)）]\s*`)},
	{5, false, regexp.MustCompile(`^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮])\s*`)},
}

// markerFirst are the characters a marker can start with: most lines start
// with none of them, and are told so without a regular expression.
const markerFirst = "第一二三四五六七八九十（(0123456789①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮"

// ParseMarker reads the marker a line opens with, if any.
func ParseMarker(line string) (Marker, bool) {
	r, _ := utf8.DecodeRuneInString(line)
	if !strings.ContainsRune(markerFirst, r) {
		return Marker{}, false
	}
	for _, g := range markerGrammar {
		if !mayOpen(g.level, g.part, r) {
			continue
		}
		loc := g.re.FindStringSubmatchIndex(line)
		if loc == nil {
			continue
		}
		num := line[loc[2]:loc[3]]
		rest := line[loc[1]:]
		if g.level == 3 && strings.HasPrefix(line[loc[3]:], ".") && startsDigit(rest) {
			continue // 3.5万元 is a number, not a list item
		}
		m := Marker{Level: g.level, Part: g.part, Number: num, Value: numeralValue(num), Len: loc[1]}
		switch g.level {
		case 2, 4:
			m.Number = "（" + num + "）"
		case 5:
			m.Value = int(r-'①') + 1
		}
		m.Title, m.Inline = markerTitle(rest)
		return m, true
	}
	return Marker{}, false
}

// mayOpen: a marker of this kind can start with r (only the kinds that can
// are tried).
func mayOpen(level int, part bool, r rune) bool {
	switch {
	case part:
		return r == '第'
	case level == 1:
		return strings.ContainsRune("一二三四五六七八九十", r)
	case level == 2 || level == 4:
		return r == '（' || r == '('
	case level == 3:
		return r >= '0' && r <= '9'
	}
	return r >= '①' && r <= '⑮'
}

func startsDigit(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return r >= '0' && r <= '9'
}

// markerTitle is the title part of a numbered paragraph: up to the first
// 。 ： or ；, or the whole line when it has none.
func markerTitle(rest string) (string, bool) {
	// The title is short: look no further than its window, so a marker at
	// the head of a very long line costs no more than one at a short one.
	window := rest
	if len(window) > 400 {
		window = window[:400]
		for len(window) > 0 && !utf8.RuneStart(rest[len(window)]) {
			window = window[:len(window)-1]
		}
	}
	cut := len(window)
	for _, sep := range []string{"。", "：", ":", "；"} {
		if i := strings.Index(window, sep); i >= 0 && i < cut {
			cut = i
		}
	}
	title := strings.TrimSpace(window[:cut])
	if utf8.RuneCountInString(title) > 40 {
		title = string([]rune(title)[:40])
	}
	after := strings.TrimSpace(rest[cut:])
	return title, cut < len(rest) && (len(after) > 8 || utf8.RuneCountInString(after) > 1)
}

// numeralValue reads the number of a marker: 一…九十九 or 1…99.
func numeralValue(s string) int {
	d, ok := money.ParseDecimal(s)
	if !ok || d.Places != 0 {
		return 0
	}
	return int(d.Units)
}

// IsSectionMarker: a marker of the outline's top two levels (一、 （一）
// 第一部分), which no table row and no list item opens with.
func (m Marker) IsSectionMarker() bool { return m.Level <= 2 }

// itemMarker is the grammar of the items of a list run into one paragraph:
// 1、 （1） （一） 一是 第一， ① after the start, a colon, a sentence or clause
// end, or white space.
var itemMarker = regexp.MustCompile(`(?:^|[：:。；;\s])\s*((?:\d{1,2}\s*[、．.](?:[^\d]))|(?:[（(]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,2})\s*[）)])|(?:[一二三四五六七八九十]{1,2}是)|(?:第[一二三四五六七八九十]{1,2}[，,、])|[①②③④⑤⑥⑦⑧⑨⑩])`)

// ItemMarkers returns the list markers inside a stretch of text, each as
// submatch indexes: [0:1] the match with what precedes the marker, [2:3]
// the marker (for 1、 it includes the first character of the item).
func ItemMarkers(s string) [][]int { return itemMarker.FindAllStringSubmatchIndex(s, -1) }

// ItemMarkerAt returns the first list marker in s, or nil.
func ItemMarkerAt(s string) []int { return itemMarker.FindStringIndex(s) }

// IsSectionHeading reports a line opening with a section number of the
// outline's top two levels (一、 （一） 第一部分).
func IsSectionHeading(s string) bool {
	m, ok := ParseMarker(s)
	return ok && m.Level <= 2
}
