package normalize

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/jixiao/jixiao/internal/document"
	"github.com/jixiao/jixiao/internal/vocab"
)

// region is a run of lines that form one table, and how they render it.
type region struct {
	start, end int // lines [start, end)
	layout     rendering
}

// rendering is how a converter printed a table as text.
type rendering uint8

const (
	rOneCell   rendering = iota // one cell per line, or columns aligned by runs of spaces
	rPipeRows                   // | a | b | c |
	rPipeCells                  // a |  — one cell per line, each closed by a pipe
	rTabs                       // a<TAB>b<TAB>c
	rFlow                       // cells separated by single spaces (a PDF text layer, OCR, a flattened form)
)

// findTables marks the lines of every table: from a table's title (…自评表,
// 绩效目标完成情况表) or a flattened form to the next section heading, and
// runs of pipe or tab rows wherever they stand.
func findTables(ls []srcLine, roles []role) []region {
	var out []region
	last := 0 // end of the last table
	for i := 0; i < len(ls); i++ {
		if roles[i] != roleText || ls[i].blank {
			continue
		}
		t := strings.TrimSpace(ls[i].text)
		start, end := i, -1
		switch {
		case isTableTitle(unpipe(t)) || formStart(t+" ") && strings.Contains(t, " "):
			end = titledTableEnd(ls, roles, i)
		case gridRow(t) != rOneCell && gridRow(nextLine(ls, i)) == gridRow(t):
			end = gridRunEnd(ls, roles, i, gridRow(t))
		case formHeader(ls, i):
			// A form without a title: its header rows, and the labelled
			// lines just above them (项目名称, 主管部门, （2022年度）).
			start = formHeadStart(ls, roles, i, last)
			end = titledTableEnd(ls, roles, i)
		default:
			continue
		}
		last = end
		r := region{start: start, end: end, layout: renderingOf(ls[start:end])}
		for k := r.start; k < r.end; k++ {
			roles[k] = roleTable
		}
		out = append(out, r)
		i = end - 1
	}
	return out
}

// formHeaderClasses are the column titles of the form's money and indicator
// parts: three of them within a few lines, each a cell of its own, are a
// form's header whether or not a title stands above it.
var formHeaderClasses = []string{"col_planned", "col_adjusted", "col_executed", "col_rate", "indicators"}

var indicatorColumns = map[string]bool{"一级指标": true, "二级指标": true, "三级指标": true, "年度指标值": true, "实际完成值": true}

// formHeader: line i starts a form's header rows.
func formHeader(ls []srcLine, i int) bool {
	if n := headerCells(ls[i].text); n == 0 {
		return false
	}
	found := 0
	for k, n := i, 0; k < len(ls) && n < 8; k++ {
		if ls[k].blank {
			continue
		}
		n++
		found += headerCells(ls[k].text)
	}
	return found >= 3
}

// headerCells counts the cells of a line that are a form's column titles.
func headerCells(line string) int {
	if !strings.Contains(line, "数") && !strings.Contains(line, "指标") && !strings.Contains(line, "率") {
		return 0 // every column title holds one of these
	}
	n := 0
	for _, c := range anySpace.Split(strings.Trim(strings.TrimSpace(line), "|"), -1) {
		c = strings.Trim(c, "| ")
		if indicatorColumns[c] {
			n++
			continue
		}
		for _, class := range formHeaderClasses {
			if vocab.Form.Is(class, c) {
				n++
				break
			}
		}
	}
	return n
}

// formHeadStart walks back from a title-less form's header over the short
// lines that belong to it (labels and their values), no further than the
// last table, a section heading, a sentence or ten lines.
func formHeadStart(ls []srcLine, roles []role, i, floor int) int {
	start := i
	for k, n := i-1, 0; k >= floor && n < 10; k-- {
		if ls[k].blank {
			continue
		}
		t := strings.TrimSpace(ls[k].text)
		if roles[k] != roleText || document.IsSectionHeading(t) || utf8.RuneCountInString(t) > 30 || strings.ContainsAny(t, "。；，") {
			break
		}
		start, n = k, n+1
	}
	return start
}

func nextLine(ls []srcLine, i int) string {
	if j := nextText(ls, i); j >= 0 {
		return strings.TrimSpace(ls[j].text)
	}
	return ""
}

// titledTableEnd: a titled table runs to the next section heading (一、,
// 第二部分) or the page's chrome; blank lines at its end are not its own.
func titledTableEnd(ls []srcLine, roles []role, start int) int {
	end := len(ls)
	for i := start + 1; i < len(ls); i++ {
		if roles[i] == roleChrome {
			end = i
			break
		}
		if _, ok := sectionMarker(unpipe(strings.TrimSpace(ls[i].text))); ok && !strings.Contains(strings.TrimSpace(ls[i].text), "   ") {
			end = i
			break
		}
	}
	for end > start+1 && ls[end-1].blank {
		end--
	}
	return end
}

// gridRunEnd: a table without a title is a run of rows of one rendering
// (blank lines between them allowed).
func gridRunEnd(ls []srcLine, roles []role, start int, r rendering) int {
	end := start + 1
	for i := start + 1; i < len(ls) && roles[i] == roleText; i++ {
		if ls[i].blank {
			continue
		}
		if gridRow(strings.TrimSpace(ls[i].text)) != r {
			break
		}
		end = i + 1
	}
	return end
}

// sectionMarker: the line opens a top-level section (一、 第二部分).
func sectionMarker(t string) (document.Marker, bool) {
	m, ok := document.ParseMarker(t)
	if !ok || m.Level != 1 || strings.HasPrefix(t[len(m.Number):], "，") {
		return document.Marker{}, false
	}
	return m, true
}

// tableTitle matches the title line of a self-evaluation table.
var tableTitle = regexp.MustCompile(vocab.Form.Pattern("title") + `\s*[(（]?[^。，；]{0,12}[)）]?[:：]?$`)

func isTableTitle(t string) bool {
	return strings.Contains(t, "表") && utf8.RuneCountInString(t) <= 30 && tableTitle.MatchString(t) && !strings.ContainsAny(t, "。，")
}

// unpipe drops the pipes a web copy prints around a cell.
func unpipe(t string) string {
	return strings.TrimSpace(strings.Trim(t, "| "))
}

// gridRow tells a row of a rendering with explicit cells: pipe rows
// (| a | b |), pipe-closed cells (a |), tab-separated cells.
func gridRow(t string) rendering {
	switch {
	case t == "":
		return rOneCell
	case strings.Count(t, "|") >= 2 && strings.HasPrefix(t, "|"):
		return rPipeRows
	case strings.HasSuffix(t, "|") && strings.Count(t, "|") == 1:
		return rPipeCells
	case strings.Contains(t, "\t") && len(strings.Split(t, "\t")) >= 3:
		return rTabs
	}
	return rOneCell
}

// renderingOf decides how a table's lines render it: by the rendering of
// most of its rows with explicit cells, else a text flow when the money or
// indicator header is printed with single spaces, else one cell (or one
// aligned row) per line.
func renderingOf(ls []srcLine) rendering {
	count := map[rendering]int{}
	for _, l := range ls {
		count[gridRow(strings.TrimSpace(l.text))]++
	}
	best, n := rOneCell, 1
	for _, r := range []rendering{rPipeRows, rPipeCells, rTabs} {
		if count[r] > n {
			best, n = r, count[r]
		}
	}
	if best != rOneCell {
		return best
	}
	if isFlow(ls) {
		return rFlow
	}
	return rOneCell
}

// cellGap separates the columns of a laid-out row: two or more spaces, a
// tab, an ideographic space.
type gapFinder struct{}

var cellGap gapFinder

// MatchString reports a gap in s.
func (gapFinder) MatchString(s string) bool {
	return strings.Contains(s, "  ") || strings.ContainsAny(s, "\t\u3000")
}

// FindAllStringIndex returns the gaps of s, scanned by hand: a table line
// is split on every line of every table, and a regular expression was a
// tenth of normalising.
func (gapFinder) FindAllStringIndex(s string, _ int) [][]int {
	var out [][]int
	for i := 0; i < len(s); {
		start := i
		spaces, gap := 0, false
		for i < len(s) {
			switch {
			case s[i] == ' ':
				spaces++
				i++
				continue
			case s[i] == '\t':
				gap = true
				i++
				continue
			case strings.HasPrefix(s[i:], "\u3000"):
				gap = true
				i += len("\u3000")
				continue
			}
			break
		}
		if i == start {
			i++
			continue
		}
		if gap || spaces >= 2 {
			out = append(out, []int{start, i})
		}
	}
	return out
}

// isFlow: a table printed in reading order with single spaces between cells
// (a PDF text layer, OCR, a flattened form): a line holding a money or
// indicator header, or a form's first cells, with single spaces only.
func isFlow(ls []srcLine) bool {
	for _, l := range ls {
		t := strings.TrimSpace(l.text)
		if cellGap.MatchString(t) || !strings.Contains(t, " ") {
			continue
		}
		if strings.Contains(t, "资金总额") || strings.Contains(t, "三级指标") || strings.Contains(t, "年初预算数") {
			return true
		}
	}
	return false
}

// writeTable writes a table's lines to b as one block, and its cells.
func writeTable(b *document.Builder, ls []srcLine, r rendering, double bool) {
	b.Open(document.TableBlock)
	b.SetLayout(layoutOf(ls, r))
	row, first := 0, true
	for _, l := range ls {
		if l.blank && double {
			continue
		}
		if !first {
			b.NewLine()
		}
		first = false
		text := digitsASCII(strings.TrimRight(l.text, " \t\u3000"))
		off := b.Write(text, l.addr())
		if l.blank {
			continue // an empty line keeps its place; it is no cell
		}
		cells := splitCells(text, r)
		for _, c := range cells {
			b.Cell(row, off+c.start, off+c.end, c.x)
		}
		if len(cells) > 0 {
			row++
		}
	}
	b.Close()
}

// layoutOf names the document layout of a rendering: explicit rows are a
// grid; aligned columns where a row has cells apart by runs of spaces; a
// stream otherwise.
func layoutOf(ls []srcLine, r rendering) document.Layout {
	switch r {
	case rPipeRows, rTabs:
		return document.Grid
	case rOneCell:
		for _, l := range ls {
			if cellGap.MatchString(strings.TrimSpace(l.text)) {
				return document.Aligned
			}
		}
	}
	return document.Stream
}

// span is a cell's byte range within its line and its display column.
type cellSpan struct {
	start, end int
	x          int
}

// splitCells cuts a table line into cells by its rendering.
func splitCells(line string, r rendering) []cellSpan {
	switch r {
	case rPipeRows:
		if gridRow(strings.TrimSpace(line)) == rPipeRows {
			return splitOn(trimPipes(line), "|")
		}
	case rPipeCells:
		t := strings.TrimRight(line, " ")
		if i := strings.LastIndexByte(t, '|'); i >= 0 && i == len(t)-1 {
			return []cellSpan{{0, i, -1}} // "a |" or a lone "|": one cell, maybe empty
		}
	case rTabs:
		if strings.Contains(line, "\t") {
			return splitOn(fullSpan(line), "\t")
		}
	case rFlow:
		return flowCells(line)
	}
	return gapCells(line)
}

type lineSpan struct {
	text  string
	start int
}

func fullSpan(line string) lineSpan { return lineSpan{line, 0} }

// trimPipes drops the row's outer pipes: | a | b | → " a | b ".
func trimPipes(line string) lineSpan {
	start := strings.IndexByte(line, '|') + 1
	end := strings.LastIndexByte(line, '|')
	if end < start {
		end = len(line)
	}
	return lineSpan{line[start:end], start}
}

// splitOn cuts at every separator, keeping empty cells.
func splitOn(s lineSpan, sep string) []cellSpan {
	var out []cellSpan
	at := 0
	for _, part := range strings.Split(s.text, sep) {
		out = append(out, trimmed(s.start+at, part))
		at += len(part) + len(sep)
	}
	return out
}

// trimmed is the span of part (starting at off) without its white space;
// an all-blank part is an empty cell where it stands.
func trimmed(off int, part string) cellSpan {
	t := strings.TrimSpace(part)
	if t == "" {
		return cellSpan{off, off, -1}
	}
	i := strings.Index(part, t)
	return cellSpan{off + i, off + i + len(t), -1}
}

// pageFurniture is a page number inside a table's lines.
var pageFurniture = regexp.MustCompile(`^[-—－–]+\s*\d{1,3}\s*[-—－–]+$|^第\s*\d+\s*页`)

// gapCells cuts a laid-out row at runs of two or more spaces; each cell
// keeps its display column. A lone operator joins the figure after it (≥ /
// 95%).
func gapCells(line string) []cellSpan {
	var out []cellSpan
	for _, p := range splitKeep(line, cellGap) {
		c, ok := cellOf(line, p)
		if !ok {
			continue
		}
		if n := len(out); n > 0 && loneOperator.MatchString(line[out[n-1].start:out[n-1].end]) {
			out[n-1].end = c.end
			continue
		}
		out = append(out, c)
	}
	return out
}

var anySpace = regexp.MustCompile(`[ \t\x{3000}]+`)

// flowCells cuts a line of a text flow at every space, joining a figure the
// PDF spaced apart from its operator or unit (≥ 95%, 150 个).
func flowCells(line string) []cellSpan {
	var out []cellSpan
	parts := splitKeep(line, anySpace)
	for i, p := range parts {
		c, ok := cellOf(line, p)
		if !ok {
			continue
		}
		after := ""
		if i+1 < len(parts) {
			after = strings.TrimSpace(parts[i+1].text)
		}
		if n := len(out); n > 0 {
			prev := line[out[n-1].start:out[n-1].end]
			if spacedFigure(prev, line[c.start:c.end], after) || loneOperator.MatchString(prev) {
				out[n-1].end = c.end
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

// cellOf is the cell a piece of a line holds, without page furniture.
func cellOf(line string, p part) (cellSpan, bool) {
	s := strings.TrimSpace(p.text)
	if s == "" || pageFurniture.MatchString(s) {
		return cellSpan{}, false
	}
	lead := len(p.text) - len(strings.TrimLeft(p.text, " \t\u3000\f"))
	off := p.start + lead
	return cellSpan{off, off + len(s), document.DisplayWidth(line[:off])}, true
}

type part struct {
	text  string
	start int
}

// gapIndex finds the separators of a line: a regular expression, or the
// hand-written cellGap.
type gapIndex interface {
	FindAllStringIndex(s string, n int) [][]int
}

func splitKeep(s string, gap gapIndex) []part {
	var out []part
	prev := 0
	for _, loc := range gap.FindAllStringIndex(s, -1) {
		out = append(out, part{s[prev:loc[0]], prev})
		prev = loc[1]
	}
	return append(out, part{s[prev:], prev})
}

var (
	loneOperator = regexp.MustCompile(`^(≥|≤|＞|＜|>|<|=|＝|≧|≦|>=|<=)$`)
	operatorEnd  = regexp.MustCompile(`(≥|≤|＞|＜|>|<|=|＝|≧|≦|不低于|不少于|不超过|不高于|不大于|不小于|大于|小于|高于|低于|至少|达到|控制在|[0-9]{4}\s*年)$`)
	bareNumber   = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)
	dateTail     = regexp.MustCompile(`^[年月日][底末前内份以之]*$|^月\d{1,2}日[之以]?前$`)
)

// spacedFigure: two pieces on one line of the flow layout that are one
// figure the PDF spaced apart: an operator and its number (≥ 95%, 不低于
// 90%), a number and its unit (150 个) or date word (12 月底前).
func spacedFigure(prev, next, after string) bool {
	r, _ := utf8.DecodeRuneInString(next)
	if r >= '0' && r <= '9' {
		// Two bare numbers after a word are the next cells (基本达到 | 10 |
		// 9.2: an actual value, the weight and the score), not its figure.
		if bareNumber.MatchString(next) && bareNumber.MatchString(after) {
			return false
		}
		return operatorEnd.MatchString(prev)
	}
	return endsWithDigit(prev) && (document.IsUnitTail(next) || dateTail.MatchString(next))
}

func endsWithDigit(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r >= '0' && r <= '9'
}
