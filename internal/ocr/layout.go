package ocr

import (
	"image"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/jixiao/jixiao/internal/raster"
	"github.com/jixiao/jixiao/internal/tesseract"
)

// text is a run of characters as OCR read them, each with the confidence
// of the word it came from, so a figure's evidence can say how sure OCR
// was of exactly its characters.
type text struct {
	r    []rune
	conf []float64
}

func (t *text) add(s string, conf float64) {
	for _, r := range s {
		t.r = append(t.r, r)
		t.conf = append(t.conf, conf)
	}
}

func (t *text) join(u text) {
	t.r = append(t.r, u.r...)
	t.conf = append(t.conf, u.conf...)
}

func (t text) String() string { return string(t.r) }

// line is one line of text outside tables, in the page's pixels.
type line struct {
	box  image.Rectangle
	text text
}

// table is one ruled table: its rows of cells (a merged cell's text in its
// first row and column, the cells it covers empty) and the x of each
// column's left rule.
type table struct {
	top, bottom int
	xs          []int
	rows        [][]text
}

// pageLayout is a page as lines and tables in reading order (top to bottom).
type pageLayout struct {
	number int
	lines  []line
	tables []table
	// metrics of running text: left and right margin, line height
	left, right, height int
	size                image.Point
}

// layoutPage rebuilds lines and table cells from a page's word boxes.
func layoutPage(p Page) pageLayout {
	pl := pageLayout{number: p.Number, size: p.Size}
	inTable := make([][]tesseract.Word, len(p.Grids))
	var free []tesseract.Word
	for _, w := range p.Words {
		c := center(w.Box)
		k := -1
		for i, g := range p.Grids {
			if c.In(g.Bounds()) {
				k = i
				break
			}
		}
		if k >= 0 {
			inTable[k] = append(inTable[k], w)
		} else {
			free = append(free, w)
		}
	}
	pl.lines = textLines(free)
	for i, g := range p.Grids {
		pl.tables = append(pl.tables, gridTable(g, inTable[i]))
	}
	pl.metrics()
	return pl
}

func center(r image.Rectangle) image.Point {
	return image.Point{X: (r.Min.X + r.Max.X) / 2, Y: (r.Min.Y + r.Max.Y) / 2}
}

// textLines groups words into lines by Tesseract's own line numbers (it
// follows a line's slant better than any grouping by y), words ordered
// left to right.
func textLines(ws []tesseract.Word) []line {
	type key struct{ b, p, l int }
	idx := map[key]int{}
	var groups [][]tesseract.Word
	for _, w := range ws {
		k := key{w.Block, w.Par, w.Line}
		i, ok := idx[k]
		if !ok {
			i = len(groups)
			idx[k] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], w)
	}
	var out []line
	for _, g := range groups {
		out = append(out, wordsLine(g))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].box.Min.Y < out[j].box.Min.Y })
	return out
}

// wordsLine joins the words of one line: nothing between Chinese
// characters, a space where Latin letters or figures stand apart.
func wordsLine(ws []tesseract.Word) line {
	sort.Slice(ws, func(i, j int) bool { return ws[i].Box.Min.X < ws[j].Box.Min.X })
	var l line
	h := 0
	for _, w := range ws {
		h = max(h, w.Box.Dy())
	}
	for i, w := range ws {
		if i == 0 {
			l.box = w.Box
		} else {
			prev := ws[i-1]
			if spaced(prev, w, h) {
				l.text.add(" ", min(prev.Confidence, w.Confidence))
			}
			l.box = l.box.Union(w.Box)
		}
		l.text.add(w.Text, w.Confidence)
	}
	return l
}

// spaced: a space stands between two words when neither side is Chinese
// and they are apart by more than a narrow gap.
func spaced(a, b tesseract.Word, h int) bool {
	last := []rune(a.Text)
	first := []rune(b.Text)
	if isHan(last[len(last)-1]) || isHan(first[0]) {
		return false
	}
	return b.Box.Min.X-a.Box.Max.X > h/4
}

func isHan(r rune) bool {
	return unicode.Is(unicode.Han, r) || r >= 0x3000 && r <= 0x303F || r >= 0xFF00 && r <= 0xFF65
}

// gridTable places each word in the cell holding its centre; a cell's
// words are read line by line, left to right.
func gridTable(g *raster.Grid, ws []tesseract.Word) table {
	rows, cols := len(g.Ys)-1, len(g.Xs)-1
	cellWords := make([][][]tesseract.Word, rows)
	for i := range cellWords {
		cellWords[i] = make([][]tesseract.Word, cols)
	}
	for _, w := range ws {
		r, c, ok := g.Cell(center(w.Box))
		if !ok {
			continue
		}
		o := g.Owner[r][c]
		cellWords[o.Y][o.X] = append(cellWords[o.Y][o.X], w)
	}
	t := table{top: g.Ys[0], bottom: g.Ys[rows], xs: g.Xs}
	for i := range rows {
		row := make([]text, cols)
		empty := true
		for j := range cols {
			row[j] = cellText(cellWords[i][j])
			empty = empty && len(row[j].r) == 0
		}
		if !empty {
			t.rows = append(t.rows, row)
		}
	}
	return t
}

// joinTables continues table a with b, the same table carried over a page
// break: the columns of both are the union of their rules (a page shifts
// the rules by a few pixels; a part may lack rules the other has), and a
// cell spanning several union columns keeps its text in the first.
func joinTables(a, b table) table {
	xs := unionColumns(a.xs, b.xs)
	out := table{top: a.top, bottom: b.bottom, xs: xs}
	for _, t := range []table{a, b} {
		at := make([]int, len(t.xs))
		for j, x := range t.xs {
			at[j] = nearest(xs, x)
		}
		for _, r := range t.rows {
			row := make([]text, len(xs)-1)
			for j, c := range r {
				row[min(at[j], len(row)-1)] = c
			}
			out.rows = append(out.rows, row)
		}
	}
	return out
}

// unionColumns merges two tables' rule positions; rules within 15 pixels
// are one.
func unionColumns(a, b []int) []int {
	all := append(append([]int(nil), a...), b...)
	sort.Ints(all)
	var out []int
	for _, x := range all {
		if n := len(out); n > 0 && x-out[n-1] <= 15 {
			continue
		}
		out = append(out, x)
	}
	return out
}

func nearest(xs []int, x int) int {
	best := 0
	for i := range xs {
		if abs(xs[i]-x) < abs(xs[best]-x) {
			best = i
		}
	}
	return best
}

// cellText reads a cell's words: lines by their vertical overlap, each
// left to right; a wrapped cell's lines are joined.
func cellText(ws []tesseract.Word) text {
	if len(ws) == 0 {
		return text{}
	}
	sort.Slice(ws, func(i, j int) bool { return center(ws[i].Box).Y < center(ws[j].Box).Y })
	var out text
	var cur []tesseract.Word
	flush := func() {
		if len(cur) == 0 {
			return
		}
		l := wordsLine(cur)
		if len(out.r) > 0 && !isHan(out.r[len(out.r)-1]) && !isHan(l.text.r[0]) {
			out.add(" ", l.text.conf[0])
		}
		out.join(l.text)
		cur = nil
	}
	for _, w := range ws {
		if len(cur) > 0 {
			c := center(cur[0].Box).Y
			if abs(center(w.Box).Y-c) > cur[0].Box.Dy()/2 {
				flush()
			}
		}
		cur = append(cur, w)
	}
	flush()
	return out
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// metrics measures running text: the left margin most lines start at, the
// right margin full lines reach, and the usual line height.
func (pl *pageLayout) metrics() {
	if len(pl.lines) == 0 {
		return
	}
	var lefts, rights, hs []int
	for _, l := range pl.lines {
		lefts = append(lefts, l.box.Min.X)
		rights = append(rights, l.box.Max.X)
		hs = append(hs, l.box.Dy())
	}
	sort.Ints(lefts)
	sort.Ints(rights)
	sort.Ints(hs)
	pl.left = lefts[len(lefts)/10]
	pl.right = rights[len(rights)*9/10]
	pl.height = hs[len(hs)/2]
}

// furniture matches a page number printed in a page's margin: — 3 —, -3-,
// 第 3 页, 3 / 7, a bare 3.
var furniture = regexp.MustCompile(`^[—–\-－~～一]*\s*[0-9]{1,4}\s*[—–\-－~～一]*$|^第\s*[0-9]{1,4}\s*页.{0,8}$|^[0-9]{1,4}\s*/\s*[0-9]{1,4}$`)

// isFurniture: a page number in the top or bottom eighth of the page.
func (pl *pageLayout) isFurniture(l line) bool {
	if l.box.Min.Y > pl.size.Y/8 && l.box.Max.Y < pl.size.Y*7/8 {
		return false
	}
	return furniture.MatchString(strings.TrimSpace(l.text.String()))
}

// textBelow: a line of text (not a page number) stands below y.
func (pl *pageLayout) textBelow(y int) bool {
	for _, l := range pl.lines {
		if l.box.Min.Y > y && !pl.isFurniture(l) {
			return true
		}
	}
	return false
}

// textAbove: a line of text (not a page number) stands above y.
func (pl *pageLayout) textAbove(y int) bool {
	for _, l := range pl.lines {
		if l.box.Max.Y < y && !pl.isFurniture(l) {
			return true
		}
	}
	return false
}
