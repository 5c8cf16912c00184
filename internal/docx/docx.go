// Package docx reads a Word 2007+ document (.docx) into the text model
// (internal/document): the body's paragraphs in order, each with the list
// number Word renders for it (w:numPr, so an auto-numbered heading keeps its
// 一、 or （一）), tables as tables whose merged cells (gridSpan, vMerge) are
// resolved onto the grid, and text boxes after the paragraph they are
// anchored in. Headers, footers, footnotes and comments are other parts
// and are not read; tracked changes are read as accepted (insertions kept,
// deletions dropped); hidden text is left out.
//
// Only archive/zip and encoding/xml are used, through internal/ooxml's
// bounds. Evidence addresses are paragraphs: every paragraph with text,
// counted from 1 in reading order, a table cell's paragraphs included.
package docx

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jixiao/jixiao/internal/document"
	"github.com/jixiao/jixiao/internal/normalize"
	"github.com/jixiao/jixiao/internal/ooxml"
)

// Extractor is what source.extractor says for a document read here.
const Extractor = "docx"

// Read builds the model of a .docx given as bytes.
func Read(data []byte) (*document.Doc, error) {
	pkg, err := ooxml.Open(data)
	if err != nil {
		return nil, err
	}
	return ReadPackage(pkg)
}

// ReadPackage builds the model of an opened package.
func ReadPackage(pkg *ooxml.Package) (*document.Doc, error) {
	if pkg.Kind() != ooxml.Word {
		return nil, fmt.Errorf("%w（没有 word/document.xml）", ooxml.ErrNotOffice)
	}
	body, err := pkg.Read("word/document.xml")
	if err != nil {
		return nil, err
	}
	numXML, err := pkg.Optional("word/numbering.xml")
	if err != nil {
		return nil, err
	}
	stylesXML, err := pkg.Optional("word/styles.xml")
	if err != nil {
		return nil, err
	}
	blocks, err := parseBody(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%w：word/document.xml 无法解析：%v", ooxml.ErrNotZip, err)
	}
	num := parseNumbering(numXML, stylesXML)
	if hardWrapped(blocks) || flattened(blocks) {
		return normalize.Parse(asText(blocks, num)), nil
	}
	w := &writer{num: num}
	for _, b := range blocks {
		w.block(b)
	}
	return w.b.Doc(0), nil
}

// writer hands the blocks to a document.Builder, numbering paragraphs.
type writer struct {
	b    document.Builder
	num  *numbering
	para int // paragraphs with text written so far
}

func (w *writer) block(b block) {
	if b.table != nil {
		w.table(b.table)
		return
	}
	// The list counter moves even for an empty numbered paragraph, as Word's does.
	text := normalize.CleanText(layoutSpace.Replace(w.num.label(b.para) + b.para.text.String()))
	if text == "" {
		return
	}
	w.para++
	w.b.Open(document.ProseBlock)
	w.b.Write(text, document.Addr{Paragraph: w.para})
	w.b.Close()
}

// layoutSpace turns the tabs and page breaks a paragraph keeps for the
// text route into spaces.
var layoutSpace = strings.NewReplacer("\t", " ", "\f", " ")

// table writes a table row by row on its grid: a cell's text stands in its
// first column, the columns it spans and the rows a vertical merge covers
// are empty cells, and every row has the grid's width.
func (w *writer) table(t *table) {
	rows := gridRows(t)
	if len(rows) == 0 {
		return
	}
	w.b.Open(document.TableBlock)
	w.b.SetLayout(document.Grid)
	for _, cells := range rows {
		addrs := make([]document.Addr, len(cells))
		for i, c := range cells {
			if c != "" {
				w.para++
			}
			addrs[i] = document.Addr{Paragraph: max(w.para, 1)}
		}
		w.b.Row(cells, addrs)
	}
	w.b.Close()
}

// gridRows lays a table's cells on its grid, each cleaned: a cell's text in
// its first column, the columns it spans and the rows a vertical merge
// covers empty, every row the grid's width.
func gridRows(t *table) [][]string {
	width := t.cols
	for _, r := range t.rows {
		for _, c := range r {
			width = max(width, c.col+c.span)
		}
	}
	if width == 0 {
		return nil
	}
	out := make([][]string, 0, len(t.rows))
	for _, r := range t.rows {
		cells := make([]string, width)
		for _, c := range r {
			cells[c.col] = normalize.CleanText(layoutSpace.Replace(c.text))
		}
		out = append(out, cells)
	}
	return out
}

// hardWrapped reports a document whose paragraphs are the lines of a
// wrapped text (a PDF or a text file turned into Word: every line a
// paragraph, sentences cut mid-way). Its paragraphs are not the report's,
// so it is read as the text it is.
func hardWrapped(blocks []block) bool {
	long, cut := 0, 0
	for i, b := range blocks {
		if b.para == nil {
			continue
		}
		t := []rune(strings.TrimSpace(b.para.text.String()))
		if len(t) < 12 {
			continue
		}
		long++
		if i+1 < len(blocks) && blocks[i+1].para != nil && !strings.ContainsRune(sentenceEnds, t[len(t)-1]) {
			cut++
		}
	}
	return cut >= 5 && cut*10 >= long*4
}

// flattened reports a document that is a text dump turned back into Word:
// no table, and either a form written one cell per paragraph (a paragraph
// that is only 年度资金总额 or 一级指标) or a whole report run into one
// paragraph (its form's labels inside one paragraph, or a paragraph longer
// than any a report writes). internal/normalize cuts such text back into cells
// and paragraphs.
func flattened(blocks []block) bool {
	for _, b := range blocks {
		if b.table != nil {
			return false
		}
	}
	for _, b := range blocks {
		t := strings.TrimSpace(b.para.text.String())
		switch {
		case t == "年度资金总额", t == "一级指标":
			return true
		case len(t) > 600 && strings.Contains(t, "年度资金总额") && strings.Contains(t, "一级指标"):
			return true
		case utf8.RuneCountInString(t) > 1200: // no report writes a paragraph this long
			return true
		}
	}
	return false
}

// sentenceEnds are the characters a real paragraph ends with.
const sentenceEnds = "。！？；：…”’）)!?;:"

// asText renders blocks as the text a converter would have written:
// paragraphs one per line, tables as pipe rows, for internal/normalize.
func asText(blocks []block, num *numbering) string {
	var b strings.Builder
	for _, bl := range blocks {
		if bl.para != nil {
			b.WriteString(num.label(bl.para) + bl.para.text.String())
			b.WriteByte('\n')
			continue
		}
		for _, row := range gridRows(bl.table) {
			b.WriteString("| " + strings.Join(row, " | ") + " |\n")
		}
	}
	return b.String()
}
