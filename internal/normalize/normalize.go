// Package normalize builds the document model (internal/document) of a
// report's plain text, from a text file or a PDF's text layer: CRLF and
// form feeds, blank lines between every line, page furniture (— 3 —, 第 3
// 页 共 7 页, running headers), whole documents flattened onto one line
// (a .docx dump), site chrome, tables in every rendering a converter gives
// (pipe cells, tabs, columns aligned by spaces, one cell per line, a PDF's
// text flow), hard-wrapped lines joined into paragraphs (never across a
// heading, a list item or a table row), full-width digits made ASCII. Every
// piece of text keeps the source line and page it came from.
package normalize

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jixiao/jixiao/internal/document"
)

// JoinPages joins the text of PDF pages with form feeds, the page separator
// Normalize understands.
func JoinPages(pages []string) string { return strings.Join(pages, "\f") }

// srcLine is one line of the raw text, with where it came from.
type srcLine struct {
	text      string
	line      int  // 1-based source line
	page      int  // 1-based page, 0 while no page break was seen
	pageStart bool // first line after a page break
	blank     bool
}

func (l srcLine) addr() document.Addr { return document.Addr{Line: l.line, Page: l.page} }

// Parse builds the document model of a report's raw text.
func Parse(raw string) *document.Doc {
	b := &document.Builder{}
	pages := Write(b, raw, 0, 0)
	return b.Doc(pages)
}

// Write builds the model of raw text into b, after the blocks b already
// holds, and returns the number of pages it saw (0 when it saw no page
// break). A PDF whose other pages were recognised by OCR hands its text
// pages over this way: their source lines are numbered on from
// linesBefore, their pages from pagesBefore.
func Write(b *document.Builder, raw string, linesBefore, pagesBefore int) int {
	lines, pages := splitLines(raw)
	if pages <= 1 && pagesBefore == 0 {
		pages = 0
		for i := range lines {
			lines[i].page = 0
		}
	}
	for i := range lines {
		lines[i].line += linesBefore
		if pagesBefore > 0 {
			lines[i].page += pagesBefore
		}
	}
	lines = dropFurniture(lines)
	lines = unflatten(lines)
	roles, tables := classify(lines)
	emit(b, lines, roles, tables)
	return pages
}

// splitLines splits raw text into lines, numbering source lines and pages.
// A form feed starts a new page; so does a page-number footer line.
func splitLines(raw string) ([]srcLine, int) {
	raw = strings.TrimPrefix(raw, "\ufeff")
	raw = strings.ReplaceAll(raw, "\r\n", "\n")
	raw = strings.ReplaceAll(raw, "\r", "\n")
	var out []srcLine
	page := 1
	start := false
	for i, l := range strings.Split(raw, "\n") {
		parts := strings.Split(l, "\f")
		for k, p := range parts {
			if k > 0 {
				page++
				start = true
			}
			blank := strings.TrimSpace(p) == ""
			if p == "" && len(parts) > 1 && (k == 0 || k == len(parts)-1) {
				continue // "\ftext" or "text\f": the break, not an empty line
			}
			out = append(out, srcLine{text: strings.TrimRight(p, " \t\u3000\v"), line: i + 1, page: page, pageStart: start && !blank, blank: blank})
			if !blank {
				start = false
			}
		}
	}
	// A footer without a form feed also ends a page.
	maxPage := page
	var breaks []int // lines after which a footer (without a form feed) ends a page
	for i := range out {
		if isFooter(out[i].text) && !formFeedFollows(out, i) && markNextStart(out, i) {
			breaks = append(breaks, i)
		}
	}
	shift := 0
	for i := range out {
		out[i].page += shift
		if len(breaks) > 0 && breaks[0] == i {
			shift++
			breaks = breaks[1:]
		}
	}
	if shift > 0 {
		maxPage = out[len(out)-1].page
	}
	return out, maxPage
}

func formFeedFollows(ls []srcLine, i int) bool {
	for j := i + 1; j < len(ls) && j <= i+3; j++ {
		if ls[j].page != ls[i].page {
			return true
		}
		if !ls[j].blank {
			return false
		}
	}
	return false
}

// markNextStart marks the first line after a footer as a page start; false
// when nothing follows (the last page's footer opens no page).
func markNextStart(ls []srcLine, i int) bool {
	for j := i + 1; j < len(ls); j++ {
		if !ls[j].blank {
			ls[j].pageStart = true
			return true
		}
	}
	return false
}

var footerRes = []*regexp.Regexp{
	regexp.MustCompile(`^[—–\-－~～─]+\s*\d{1,4}\s*[—–\-－~～─]+$`),
	regexp.MustCompile(`^第\s*\d{1,4}\s*页(\s*[，,/、]?\s*共\s*\d{1,4}\s*页)?$`),
	regexp.MustCompile(`^共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页$`),
	regexp.MustCompile(`^\d{1,4}\s*/\s*\d{1,4}$`),
	regexp.MustCompile(`^(?i)page\s*\d{1,4}(\s*of\s*\d{1,4})?$`),
}

// isFooter recognises a page-number line.
func isFooter(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 40 || !strings.ContainsAny(s, "0123456789") {
		return false
	}
	for _, re := range footerRes {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

// dropFurniture removes page-number lines and running headers: a line that
// opens two or more pages with the same text (or opens a page with the text
// of the document's first line) is a header, kept only as the first line.
func dropFurniture(ls []srcLine) []srcLine {
	opens := map[string]int{}
	first := ""
	for _, l := range ls {
		if l.blank {
			continue
		}
		if first == "" {
			first = squeeze(l.text)
		}
		if l.pageStart {
			opens[squeeze(l.text)]++
		}
	}
	out := ls[:0:0]
	seenFirst := false
	dropped := false // blank lines right after furniture belong to it
	for _, l := range ls {
		if l.blank && dropped {
			continue
		}
		dropped = false
		if !l.blank {
			// Only a page's first line can be a running header; any line a
			// page number (its test is cheap on the line as written).
			if isFooter(l.text) || l.pageStart && seenFirst && runningHeader(squeeze(l.text), opens, first) {
				dropped = true
				continue
			}
			seenFirst = true
		}
		out = append(out, l)
	}
	return out
}

// runningHeader: a page's first line printed atop two pages or more, or the
// report's own first line again.
func runningHeader(t string, opens map[string]int, first string) bool {
	return utf8.RuneCountInString(t) <= 60 && (opens[t] >= 2 || t == first)
}

// squeeze trims and removes all white space, for comparing lines.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// width is a line's length in characters, the unit PDF-to-text wraps by
// closely enough (ASCII counts half).
func width(s string) float64 {
	w := 0.0
	for _, r := range s {
		if r < 0x80 {
			w += 0.5
		} else {
			w++
		}
	}
	return w
}

// typicalWidth is the width a full line of running text has: a high
// percentile of the longer lines.
func typicalWidth(ls []srcLine) float64 {
	var ws []float64
	for _, l := range ls {
		if !l.blank {
			ws = append(ws, width(strings.TrimSpace(l.text)))
		}
	}
	if len(ws) == 0 {
		return 0
	}
	sort.Float64s(ws)
	return ws[len(ws)*8/10]
}

// doubleSpaced reports a text with a blank line after nearly every line, as
// some PDF-to-text conversions produce.
func doubleSpaced(ls []srcLine) bool {
	text, blankAfter := 0, 0
	for i, l := range ls {
		if l.blank {
			continue
		}
		text++
		if i+1 < len(ls) && ls[i+1].blank {
			blankAfter++
		}
	}
	return text > 4 && blankAfter*10 >= text*6
}
