package document

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Date is a year the text names, with its month and day when written:
// 2022年, 2022年度, 2022年底, 2022年5月, 2022 年 5 月 31 日.
type Date struct {
	Start, End int // byte range in Doc.Text, from the year's first digit
	YearEnd    int // byte offset just after the year's four digits
	Year       int
	Month      int    // 0 when not written
	Day        int    // 0 when not written
	Suffix     string // "度" (a fiscal year: 2022年度), "底" or "末" (the year's end), else ""
	Block      int    // index in Doc.Blocks
}

// YearEndMonth: 年底 / 年末, the last month of the year.
func (d Date) YearEndMonth() bool { return d.Suffix == "底" || d.Suffix == "末" }

// Fiscal: 2022年度, a budget year.
func (d Date) Fiscal() bool { return d.Suffix == "度" }

var dateGrammar = regexp.MustCompile(`^([0-9０-９]{4})[\s\x{3000}]*年(?:[\s\x{3000}]*([0-9０-９]{1,2})[\s\x{3000}]*月(?:[\s\x{3000}]*([0-9０-９]{1,2})[\s\x{3000}]*日)?|[\s\x{3000}]*(底|末|度))?`)

// findDates appends the dates of text[start:end] (block bi) to out. The
// pattern is tried only where four digits start: most of a text is not a
// date, and Go's regexp has no literal prefilter for a leading class.
func findDates(text string, start, end, bi int, out []Date) []Date {
	for i := start; i < end; {
		r, w := utf8.DecodeRuneInString(text[i:])
		if !isDigit(r) {
			i += w
			continue
		}
		if prev, _ := utf8.DecodeLastRuneInString(text[:i]); i > start && isDigit(prev) {
			i += w
			continue
		}
		m := dateGrammar.FindStringSubmatchIndex(text[i:min(end, i+96)])
		if m == nil {
			i += w
			continue
		}
		d := Date{Start: i, End: i + m[1], YearEnd: i + m[3], Year: atoiWide(text[i+m[2] : i+m[3]]), Block: bi}
		if m[4] >= 0 {
			if d.Month = atoiWide(text[i+m[4] : i+m[5]]); d.Month < 1 || d.Month > 12 {
				d.Month = 0
			}
		}
		if m[6] >= 0 && d.Month > 0 {
			if d.Day = atoiWide(text[i+m[6] : i+m[7]]); d.Day < 1 || d.Day > 31 {
				d.Day = 0
			}
		}
		if m[8] >= 0 {
			d.Suffix = text[i+m[8] : i+m[9]]
		}
		if d.Year >= 1949 && d.Year <= 2100 {
			out = append(out, d)
		}
		i += m[1]
	}
	return out
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' || r >= '０' && r <= '９' }

// atoiWide reads ASCII or full-width digits.
func atoiWide(s string) int {
	s = strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return r - '０' + '0'
		}
		return r
	}, s)
	n, _ := strconv.Atoi(s)
	return n
}
