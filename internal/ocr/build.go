package ocr

import (
	"math"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/jixiao/jixiao/internal/document"
	"github.com/jixiao/jixiao/internal/normalize"
)

// source is one page of a document as the model is built from it: either
// recognised (layout) or read from a PDF's text layer (text).
type source struct {
	number int
	layout *pageLayout
	text   string
}

// builder writes pages into a document.Builder: OCR'd pages as paragraphs
// and tables from their geometry, runs of text-layer pages through
// internal/normalize, as any PDF's text.
type builder struct {
	b     *document.Builder
	line  int // source lines written so far
	para  bool
	prevR int // right edge of the paragraph's last line, for continuation over a page break
	lastW *pageLayout
	last  rune // the last character written
	next2 int  // the （N） the next second-level heading should carry; 0 before any 一、
}

func buildDoc(srcs []source) *document.Doc {
	bd := &builder{b: &document.Builder{}}
	pages := 0
	joinCarriedTables(srcs)
	for i := 0; i < len(srcs); {
		if srcs[i].layout != nil {
			bd.page(srcs[i].layout)
			pages = srcs[i].number
			i++
			continue
		}
		j := i
		var texts []string
		for j < len(srcs) && srcs[j].layout == nil {
			texts = append(texts, srcs[j].text)
			j++
		}
		bd.closePara()
		raw := normalize.JoinPages(texts)
		normalize.Write(bd.b, raw, bd.line, srcs[i].number-1)
		bd.line += strings.Count(raw, "\n") + 1
		pages = srcs[j-1].number
		i = j
	}
	return bd.b.Doc(pages)
}

func (bd *builder) closePara() {
	if bd.para {
		bd.b.Close()
		bd.para = false
	}
}

// page writes one recognised page: lines and tables top to bottom.
func (bd *builder) page(pl *pageLayout) {
	ti := 0
	first := true
	for li := 0; li <= len(pl.lines); li++ {
		for ti < len(pl.tables) && (li == len(pl.lines) || pl.tables[ti].top < pl.lines[li].box.Min.Y) {
			bd.closePara()
			bd.table(pl, pl.tables[ti])
			ti++
			first = false
		}
		if li == len(pl.lines) {
			break
		}
		l := pl.lines[li]
		if pl.isFurniture(l) {
			continue
		}
		bd.line++
		t := fixText(l.text)
		if len(t.r) == 0 {
			continue
		}
		fresh := !bd.para || bd.startsParagraph(pl, li, first)
		if fresh {
			t = bd.outline(t)
		}
		if fresh {
			bd.closePara()
			bd.b.Open(document.ProseBlock)
			bd.para = true
		}
		bd.write(t, pl.number, fresh)
		bd.prevR = l.box.Max.X
		bd.lastW = pl
		first = false
	}
}

// startsParagraph decides from the geometry whether line li opens a new
// paragraph: it is indented, the line before it stopped short of the
// right margin, a gap stands above it, or it opens with a section or item
// number. The first line of a page carries on a paragraph the last page
// left running, unless it is indented.
func (bd *builder) startsParagraph(pl *pageLayout, li int, first bool) bool {
	l := pl.lines[li]
	h := max(pl.height, 1)
	if l.box.Min.X > pl.left+h {
		return true
	}
	if _, ok := document.ParseMarker(string(l.text.r)); ok {
		return true
	}
	if first {
		prev := bd.lastW
		return prev == nil || bd.prevR < prev.right-2*max(prev.height, 1)
	}
	p := pl.lines[li-1]
	if p.box.Max.X < pl.right-2*h {
		return true
	}
	return l.box.Min.Y-p.box.Max.Y > h*3/2
}

// outline follows the section numbers of the paragraphs that open lines,
// and gives a second-level heading whose number OCR garbled beyond the
// fixed confusions (僵)项目概况, 亿)绩效评价原则) the number the outline
// expects there: one or two characters and a closing bracket at the start
// of a line, under a first-level heading. The characters keep their low
// confidence, so a reader can see the number was not read.
func (bd *builder) outline(t text) text {
	if m, ok := document.ParseMarker(string(t.r)); ok {
		switch m.Level {
		case 1:
			bd.next2 = 1
		case 2:
			bd.next2 = m.Value + 1
		}
		return t
	}
	if bd.next2 == 0 || bd.next2 > len(numerals) {
		return t
	}
	m := garbledMarker.FindStringSubmatchIndex(string(t.r))
	if m == nil {
		return t
	}
	n := len([]rune(string(t.r)[:m[1]]))
	var out text
	out.add("（"+numerals[bd.next2-1]+"）", lowest(t.conf[:n]))
	out.r = append(out.r, t.r[n:]...)
	out.conf = append(out.conf, t.conf[n:]...)
	bd.next2++
	return out
}

var numerals = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

// garbledMarker: an opening bracket or none, one or two characters that
// are no numeral (nor 注, 附, 续, 略, which open notes), a closing bracket,
// opening a line: 僵) （志）.
var garbledMarker = regexp.MustCompile(`^[（(]?[^0-9一二三四五六七八九十（(注附续略\s]{1,2}[)）]`)

// write appends a line's text to the open paragraph (fresh: the line
// opens it), in pieces of equal confidence, through the one cleanup every
// loader's text gets.
func (bd *builder) write(t text, page int, fresh bool) {
	s := string(t.r)
	clean := normalize.CleanText(s)
	if clean == "" {
		return
	}
	if !fresh && needsSpace(bd.last, clean) {
		bd.b.Write(" ", bd.addr(page, t.conf[0]))
	}
	last, _ := utf8.DecodeLastRuneInString(clean)
	bd.last = last
	if clean != s {
		// The cleanup changed the text (spaces closed up, digits made
		// ASCII): it is written whole, at the line's lowest confidence.
		bd.b.Write(clean, bd.addr(page, lowest(t.conf)))
		return
	}
	for i := 0; i < len(t.r); {
		j := i + 1
		for j < len(t.r) && t.conf[j] == t.conf[i] {
			j++
		}
		bd.b.Write(string(t.r[i:j]), bd.addr(page, t.conf[i]))
		i = j
	}
}

func (bd *builder) addr(page int, conf float64) document.Addr {
	return document.Addr{Line: bd.line, Page: page, Confidence: roundConf(conf)}
}

// needsSpace: two Latin words joined over a line break keep a space.
func needsSpace(prev rune, next string) bool {
	r, _ := utf8.DecodeRuneInString(next)
	return isLatin(prev) && isLatin(r)
}

func isLatin(r rune) bool { return r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') }

// table writes a ruled table as a grid, a row per row of the rules, each
// cell through the same cleanup.
func (bd *builder) table(pl *pageLayout, t table) {
	bd.b.Open(document.TableBlock)
	bd.b.SetLayout(document.Grid)
	for _, row := range t.rows {
		bd.line++
		cells := make([]string, len(row))
		at := make([]document.Addr, len(row))
		for j, c := range row {
			c = fixCell(c)
			cells[j] = normalize.CleanText(string(c.r))
			at[j] = document.Addr{Line: bd.line, Page: pl.number}
			if len(c.r) > 0 {
				at[j].Confidence = roundConf(lowest(c.conf))
			}
		}
		bd.b.Row(cells, at)
	}
	bd.b.Close()
}

// roundConf keeps a confidence to one decimal, and above zero: 0 means
// "not recognised" in the model.
func roundConf(c float64) float64 { return max(math.Round(c*10)/10, 0.1) }

// joinCarriedTables joins a table that ends a recognised page to the one
// that opens the next: a table printed over a page break is one table to
// the reader (its header on the first page, rows on the next).
func joinCarriedTables(srcs []source) {
	for i := 0; i+1 < len(srcs); i++ {
		a, b := srcs[i].layout, srcs[i+1].layout
		if a == nil || b == nil || len(a.tables) == 0 || len(b.tables) == 0 {
			continue
		}
		last, first := a.tables[len(a.tables)-1], b.tables[0]
		if a.textBelow(last.bottom) || b.textAbove(first.top) {
			continue
		}
		a.tables[len(a.tables)-1] = joinTables(last, first)
		b.tables = b.tables[1:]
	}
}
