package extract

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/jixiao/jixiao/internal/money"
	"github.com/jixiao/jixiao/internal/normalize"
	"github.com/jixiao/jixiao/pipeline"
)

// para is one line of the normalised text (a joined paragraph, or a table
// line), with its byte range.
type para struct {
	Start, End int
	Text       string
}

// heading is a numbered heading or list item that opens a paragraph.
type heading struct {
	Level  int    // 1 一、/第一部分, 2 （一）, 3 1. 1、, 4 （1）
	Number string // the numeral as written: "一", "1"
	Value  int    // the numeral's value
	Title  string // the heading's text up to its first sentence end
	Para   int    // index of its paragraph
	Start  int    // byte offset of the marker
	Inline bool   // the paragraph runs on past the title (a run-in heading)
	part   bool   // 第一部分: the level above 一、
}

// sectionDepth is how deep the outline's sections go: 一、 and （一） — one
// level more in a report divided into 第一部分….
func sectionDepth(hs []heading) int {
	for _, h := range hs {
		if h.part {
			return 3
		}
	}
	return 2
}

var markerRes = []struct {
	level int
	re    *regexp.Regexp
}{
	{1, regexp.MustCompile(`^第([一二三四五六七八九十]+)(?:部分|章)\s*[、.．:：]?\s*`)},
	{1, regexp.MustCompile(`^([一二三四五六七八九十]{1,3})\s*[、.．，]\s*`)},
	{2, regexp.MustCompile(`^[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]\s*`)},
	{4, regexp.MustCompile(`^[（(]\s*(\d{1,2})\s*[）)]\s*`)},
	{3, regexp.MustCompile(`^(\d{1,2})\s*[、．.]\s*`)},
}

// splitParas cuts the text into its lines.
func splitParas(text string) []para {
	var ps []para
	start := 0
	for start <= len(text) {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		ps = append(ps, para{Start: start, End: end, Text: text[start:end]})
		start = end + 1
	}
	return ps
}

// findHeadings returns the headings of the body's paragraphs.
func findHeadings(ps []para) []heading {
	var hs []heading
	for i, p := range ps {
		if h, ok := parseHeading(p.Text); ok {
			h.Para = i
			h.Start = p.Start
			hs = append(hs, h)
		}
	}
	// A report divided into 第一部分… puts 一、 one level below them.
	parts := false
	for _, h := range hs {
		parts = parts || h.part
	}
	if parts {
		for i := range hs {
			if !hs[i].part {
				hs[i].Level++
			}
		}
	}
	return hs
}

func parseHeading(t string) (heading, bool) {
	for i, m := range markerRes {
		loc := m.re.FindStringSubmatchIndex(t)
		if loc == nil {
			continue
		}
		num := t[loc[2]:loc[3]]
		rest := t[loc[1]:]
		if m.level == 3 && strings.HasPrefix(t[loc[3]:], ".") && startsDigit(rest) {
			continue // 3.5万元 is a number, not a list item
		}
		h := heading{Level: m.level, Number: num, Value: numeralValue(num), part: i == 0}
		if m.level == 2 || m.level == 4 {
			h.Number = "（" + num + "）"
		}
		h.Title, h.Inline = headingTitle(rest)
		return h, true
	}
	return heading{}, false
}

func startsDigit(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return r >= '0' && r <= '9'
}

// headingTitle is the title part of a heading paragraph: up to the first
// 。 or ：, or the whole line when it is short.
func headingTitle(rest string) (string, bool) {
	cut := len(rest)
	for _, sep := range []string{"。", "：", ":", "；"} {
		if i := strings.Index(rest, sep); i >= 0 && i < cut {
			cut = i
		}
	}
	title := strings.TrimSpace(rest[:cut])
	if utf8.RuneCountInString(title) > 40 {
		r := []rune(title)
		title = string(r[:40])
	}
	return title, cut < len(rest) && utf8.RuneCountInString(strings.TrimSpace(rest[cut:])) > 1
}

// numeralValue reads the number of a heading: 一…九十九 or 1…99.
func numeralValue(s string) int {
	d, ok := money.ParseDecimal(s)
	if !ok || d.Places != 0 {
		return 0
	}
	return int(d.Units)
}

// canonical maps a section title to the template section it stands for.
var canonicalRes = []struct {
	name string
	re   *regexp.Regexp
}{
	{"other", regexp.MustCompile(`其他|其它`)},
	{"suggestions", regexp.MustCompile(`建议|下一步|改进措施|整改|改进意见|改进方向`)},
	{"problems", regexp.MustCompile(`问题|不足`)},
	{"experience", regexp.MustCompile(`经验|做法`)},
	{"analysis", regexp.MustCompile(`指标分析|绩效分析|指标完成|目标完成|完成情况|绩效情况|分析|目标实现|实现情况|绩效表现`)},
	{"conclusion", regexp.MustCompile(`结论|综合评价|评价结果|自评结果|总体评价|自评得分|评价得分`)},
	{"work", regexp.MustCompile(`工作开展|开展情况|评价工作|自评工作|工作情况|组织实施|评价过程|工作过程`)},
	{"basic", regexp.MustCompile(`基本情况|概况|基本信息|项目简介|单位简介|部门职能`)},
}

// Canonical names the template section a heading title stands for, "" if none.
func Canonical(title string) string {
	for _, c := range canonicalRes {
		if c.re.MatchString(title) {
			if c.name == "problems" && strings.Contains(title, "经验") {
				return "experience" // 主要经验及做法、存在的问题: section five whole
			}
			return c.name
		}
	}
	return ""
}

// sections turns level-1 and level-2 headings into the contract's outline.
func sections(doc *normalize.Doc, hs []heading) []pipeline.Section {
	out := []pipeline.Section{}
	depth := sectionDepth(hs)
	for _, h := range hs {
		if h.Level > depth {
			continue
		}
		line, page := doc.Pos(h.Start)
		s := pipeline.Section{Number: h.Number, Value: h.Value, Level: h.Level, Title: h.Title, Line: line, Page: page, Offset: h.Start}
		if h.Level == 1 {
			s.Canonical = Canonical(h.Title)
		}
		out = append(out, s)
	}
	return out
}
