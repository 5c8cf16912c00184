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
	w := &writer{num: parseNumbering(numXML, stylesXML)}
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
	text := normalize.CleanText(w.num.label(b.para) + b.para.text.String())
	if text == "" {
		return
	}
	w.para++
	w.b.Open(document.ProseBlock)
	w.b.Write(text, document.Addr{Paragraph: w.para})
	w.b.Close()
}

// table writes a table row by row on its grid: a cell's text stands in its
// first column, the columns it spans and the rows a vertical merge covers
// are empty cells, and every row has the grid's width.
func (w *writer) table(t *table) {
	width := t.cols
	for _, r := range t.rows {
		for _, c := range r {
			width = max(width, c.col+c.span)
		}
	}
	if width == 0 || len(t.rows) == 0 {
		return
	}
	w.b.Open(document.TableBlock)
	w.b.SetLayout(document.Grid)
	for _, r := range t.rows {
		cells := make([]string, width)
		addrs := make([]document.Addr, width)
		for _, c := range r {
			text := normalize.CleanText(c.text)
			if c.vmergeOn && text == "" {
				continue
			}
			if text != "" {
				w.para++
			}
			cells[c.col] = text
			addrs[c.col] = document.Addr{Paragraph: w.para}
		}
		for i := range addrs { // an empty cell points where its row does
			if addrs[i] == (document.Addr{}) {
				addrs[i] = document.Addr{Paragraph: max(w.para, 1)}
			}
		}
		w.b.Row(cells, addrs)
	}
	w.b.Close()
}
