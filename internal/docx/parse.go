package docx

import (
	"encoding/xml"
	"io"
	"strconv"
	"strings"
)

// The body of word/document.xml as the blocks a reader sees: paragraphs
// (with their list numbering still to be rendered) and tables (with each
// row's cells placed on the table's grid).

type block struct {
	para  *paragraph
	table *table
}

type paragraph struct {
	text  strings.Builder
	style string
	num   *numRef // direct w:numPr; nil falls back to the style's
	boxes []block // text boxes anchored in the paragraph, read after it
}

type numRef struct {
	numID string
	ilvl  int
}

type table struct {
	cols int // w:tblGrid's columns
	rows [][]gridCell
}

// gridCell is one w:tc: its text, where it starts on the grid, how many
// grid columns it spans, and whether it continues a vertical merge.
type gridCell struct {
	text     string
	col      int
	span     int
	vmergeOn bool // w:vMerge without "restart": covered by the cell above
}

// parser walks the XML tokens once. Elements it does not know are
// transparent (w:sdt, w:ins, w:hyperlink, w:smartTag, mc:Choice …): their
// children are read as if they stood in the parent. Elements whose text is
// not part of the accepted document are skipped whole.
type parser struct {
	dec *xml.Decoder
}

const wNS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

// skipped: deleted and moved-away text (tracked changes read as accepted),
// field instructions, the markup-compatibility fallback (a copy of the
// mc:Choice it stands beside), properties.
var skipped = map[string]bool{
	"del": true, "moveFrom": true, "delText": true, "instrText": true, "delInstrText": true,
	"Fallback": true, "pPr": true, "rPr": true, "sectPr": true, "tblPr": true, "trPr": true,
	"footnoteReference": true, "endnoteReference": true, "commentReference": true,
}

func parseBody(r io.Reader) ([]block, error) {
	p := &parser{dec: xml.NewDecoder(r)}
	return p.blocks("")
}

// each reads up to the end element named end ("" reads to the end of the
// input), calling fn on every start element on the way. An element fn did
// not consume is skipped whole when it is in skipped, and otherwise
// transparent: its children come to fn in turn.
func (p *parser) each(end string, fn func(t xml.StartElement) (consumed bool, err error)) error {
	for {
		tok, err := p.dec.Token()
		if err == io.EOF && end == "" {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			consumed, err := fn(t)
			if err != nil {
				return err
			}
			if !consumed && skipped[t.Name.Local] {
				if err := p.dec.Skip(); err != nil {
					return err
				}
			}
		case xml.EndElement:
			if t.Name.Local == end {
				return nil
			}
		}
	}
}

// blocks reads paragraphs and tables until the end element named end.
func (p *parser) blocks(end string) ([]block, error) {
	var out []block
	err := p.each(end, func(t xml.StartElement) (bool, error) {
		switch {
		case t.Name.Local == "p" && t.Name.Space == wNS:
			para, err := p.paragraph()
			out = append(out, block{para: para})
			out = append(out, para.boxes...)
			para.boxes = nil
			return true, err
		case t.Name.Local == "tbl" && t.Name.Space == wNS:
			tb, err := p.table()
			out = append(out, block{table: tb})
			return true, err
		}
		return false, nil
	})
	return out, err
}

func (p *parser) paragraph() (*paragraph, error) {
	para := &paragraph{}
	hidden := false // the current run is w:vanish (hidden text)
	write := func(s string) {
		if !hidden {
			para.text.WriteString(s)
		}
	}
	err := p.each("p", func(t xml.StartElement) (bool, error) {
		switch t.Name.Local {
		case "pPr":
			return true, p.paraProps(para)
		case "r":
			hidden = false
		case "rPr":
			h, err := p.runHidden()
			hidden = h
			return true, err
		case "t":
			s, err := p.text()
			write(s)
			return true, err
		case "tab", "ptab":
			write("\t") // a tab-separated row keeps its columns
		case "br", "cr":
			if attr(t, "type") == "page" {
				write("\f") // a page break, which a wrapped text's reader uses
			} else {
				write(" ")
			}
		case "noBreakHyphen":
			write("-")
		case "sym":
			write(symbol(attr(t, "char")))
		case "txbxContent":
			box, err := p.blocks("txbxContent")
			para.boxes = append(para.boxes, box...)
			return true, err
		case "tbl": // a table inside a text box's paragraph
			tb, err := p.table()
			para.boxes = append(para.boxes, block{table: tb})
			return true, err
		}
		return false, nil
	})
	return para, err
}

// paraProps reads a w:pPr: the style and the list numbering.
func (p *parser) paraProps(para *paragraph) error {
	return p.each("pPr", func(t xml.StartElement) (bool, error) {
		switch t.Name.Local {
		case "pStyle":
			para.style = attr(t, "val")
		case "numPr":
			para.num = &numRef{}
		case "ilvl":
			if para.num != nil {
				para.num.ilvl, _ = strconv.Atoi(attr(t, "val"))
			}
		case "numId":
			if para.num != nil {
				para.num.numID = attr(t, "val")
			}
		case "rPr", "sectPr", "pPrChange": // the mark's run, a section, an earlier revision
			return true, p.dec.Skip()
		}
		return true, nil
	})
}

// runHidden reads a w:rPr and reports hidden text (w:vanish).
func (p *parser) runHidden() (bool, error) {
	hidden := false
	err := p.each("rPr", func(t xml.StartElement) (bool, error) {
		switch t.Name.Local {
		case "vanish":
			hidden = on(t)
		case "rPrChange": // the run's properties before a revision
			return true, p.dec.Skip()
		}
		return true, nil
	})
	return hidden, err
}

func (p *parser) text() (string, error) {
	var b strings.Builder
	for {
		tok, err := p.dec.Token()
		if err != nil {
			return b.String(), err
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.EndElement:
			return b.String(), nil
		}
	}
}

func (p *parser) table() (*table, error) {
	tb := &table{}
	err := p.each("tbl", func(t xml.StartElement) (bool, error) {
		switch t.Name.Local {
		case "gridCol":
			tb.cols++
		case "tr":
			row, err := p.row()
			tb.rows = append(tb.rows, row)
			return true, err
		case "tblPr", "tblPrEx", "tblGridChange":
			return true, p.dec.Skip()
		}
		return false, nil
	})
	return tb, err
}

// row reads a w:tr, placing each cell on the grid: gridBefore columns are
// skipped, a cell takes gridSpan columns.
func (p *parser) row() ([]gridCell, error) {
	var cells []gridCell
	col := 0
	err := p.each("tr", func(t xml.StartElement) (bool, error) {
		switch t.Name.Local {
		case "trPr":
			return true, nil // transparent: gridBefore is inside
		case "gridBefore":
			col, _ = strconv.Atoi(attr(t, "val"))
		case "tc":
			c, err := p.cell()
			c.col = col
			col += c.span
			cells = append(cells, c)
			return true, err
		case "tblPrEx":
			return true, p.dec.Skip()
		}
		return false, nil
	})
	return cells, err
}

func (p *parser) cell() (gridCell, error) {
	c := gridCell{span: 1}
	var parts []string
	err := p.each("tc", func(t xml.StartElement) (bool, error) {
		switch t.Name.Local {
		case "gridSpan":
			if n, _ := strconv.Atoi(attr(t, "val")); n > 1 {
				c.span = n
			}
		case "vMerge":
			c.vmergeOn = attr(t, "val") != "restart"
		case "p":
			para, err := p.paragraph()
			parts = append(parts, para.text.String())
			parts = append(parts, flatten(para.boxes)...)
			return true, err
		case "tbl": // a table inside a cell: its cells' text, in order
			tb, err := p.table()
			parts = append(parts, flatten([]block{{table: tb}})...)
			return true, err
		}
		return false, nil
	})
	c.text = strings.Join(parts, " ")
	return c, err
}

// flatten is the text of blocks read inside a cell, one string each.
func flatten(bs []block) []string {
	var out []string
	for _, b := range bs {
		if b.para != nil {
			out = append(out, b.para.text.String())
			out = append(out, flatten(b.para.boxes)...)
			continue
		}
		for _, r := range b.table.rows {
			for _, c := range r {
				out = append(out, c.text)
			}
		}
	}
	return out
}

func attr(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// on reads a WordprocessingML on/off property: present means on unless its
// val says otherwise.
func on(t xml.StartElement) bool {
	switch attr(t, "val") {
	case "0", "false", "off":
		return false
	}
	return true
}

// symbol renders a w:sym: a character of a symbol font (Wingdings) given as
// a code in the font's private-use range F000–F0FF. The font's own letter is
// what a text dump of the document shows (R for a ticked box in Wingdings 2,
// £ for an empty one), and what the extractor reads as a checkbox.
func symbol(code string) string {
	n, err := strconv.ParseUint(code, 16, 32)
	if err != nil {
		return ""
	}
	if n >= 0xF000 && n <= 0xF0FF {
		n -= 0xF000
	}
	if n < 0x20 {
		return ""
	}
	return string(rune(n))
}
