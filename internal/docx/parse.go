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

// blocks reads paragraphs and tables until the end element named end
// ("" reads to the end of the input).
func (p *parser) blocks(end string) ([]block, error) {
	var out []block
	for {
		tok, err := p.dec.Token()
		if err == io.EOF && end == "" {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case t.Name.Local == "p" && t.Name.Space == wNS:
				para, err := p.paragraph()
				if err != nil {
					return out, err
				}
				out = append(out, block{para: para})
				out = append(out, para.boxes...)
				para.boxes = nil
			case t.Name.Local == "tbl" && t.Name.Space == wNS:
				tb, err := p.table()
				if err != nil {
					return out, err
				}
				out = append(out, block{table: tb})
			case skipped[t.Name.Local]:
				if err := p.dec.Skip(); err != nil {
					return out, err
				}
			}
		case xml.EndElement:
			if t.Name.Local == end {
				return out, nil
			}
		}
	}
}

func (p *parser) paragraph() (*paragraph, error) {
	para := &paragraph{}
	hidden := false // the current run is w:vanish (hidden text)
	for {
		tok, err := p.dec.Token()
		if err != nil {
			return para, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "pPr":
				if err := p.paraProps(para); err != nil {
					return para, err
				}
			case "r":
				hidden = false
			case "rPr":
				h, err := p.runHidden()
				if err != nil {
					return para, err
				}
				hidden = h
			case "t":
				s, err := p.text()
				if err != nil {
					return para, err
				}
				if !hidden {
					para.text.WriteString(s)
				}
			case "tab", "ptab":
				if !hidden {
					para.text.WriteByte('\t') // a tab-separated row keeps its columns
				}
			case "br", "cr":
				switch {
				case hidden:
				case attr(t, "type") == "page":
					para.text.WriteByte('\f') // a page break, which a wrapped text's reader uses
				default:
					para.text.WriteByte(' ')
				}
			case "noBreakHyphen":
				para.text.WriteByte('-')
			case "sym":
				para.text.WriteString(symbol(attr(t, "char")))
			case "txbxContent":
				box, err := p.blocks("txbxContent")
				if err != nil {
					return para, err
				}
				para.boxes = append(para.boxes, box...)
			case "tbl": // a table inside a text box's paragraph is read flat
				tb, err := p.table()
				if err != nil {
					return para, err
				}
				para.boxes = append(para.boxes, block{table: tb})
			default:
				if skipped[t.Name.Local] {
					if err := p.dec.Skip(); err != nil {
						return para, err
					}
				}
			}
		case xml.EndElement:
			if t.Name.Local == "p" && t.Name.Space == wNS {
				return para, nil
			}
		}
	}
}

// paraProps reads a w:pPr: the style and the list numbering.
func (p *parser) paraProps(para *paragraph) error {
	depth := 1
	for depth > 0 {
		tok, err := p.dec.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
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
			case "rPr", "sectPr", "pPrChange":
				if err := p.dec.Skip(); err != nil {
					return err
				}
				depth--
			}
		case xml.EndElement:
			depth--
		}
	}
	return nil
}

// runHidden reads a w:rPr and reports hidden text (w:vanish).
func (p *parser) runHidden() (bool, error) {
	hidden := false
	depth := 1
	for depth > 0 {
		tok, err := p.dec.Token()
		if err != nil {
			return hidden, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch t.Name.Local {
			case "vanish":
				hidden = on(t)
			case "rPrChange":
				if err := p.dec.Skip(); err != nil {
					return hidden, err
				}
				depth--
			}
		case xml.EndElement:
			depth--
		}
	}
	return hidden, nil
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
	for {
		tok, err := p.dec.Token()
		if err != nil {
			return tb, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "gridCol":
				tb.cols++
			case "tr":
				row, err := p.row()
				if err != nil {
					return tb, err
				}
				tb.rows = append(tb.rows, row)
			case "tblPr", "tblPrEx", "tblGridChange":
				if err := p.dec.Skip(); err != nil {
					return tb, err
				}
			default:
				if skipped[t.Name.Local] {
					if err := p.dec.Skip(); err != nil {
						return tb, err
					}
				}
			}
		case xml.EndElement:
			if t.Name.Local == "tbl" {
				return tb, nil
			}
		}
	}
}

// row reads a w:tr, placing each cell on the grid: gridBefore columns are
// skipped, a cell takes gridSpan columns (or the legacy hMerge).
func (p *parser) row() ([]gridCell, error) {
	var cells []gridCell
	col := 0
	for {
		tok, err := p.dec.Token()
		if err != nil {
			return cells, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "gridBefore":
				col, _ = strconv.Atoi(attr(t, "val"))
			case "tc":
				c, err := p.cell()
				if err != nil {
					return cells, err
				}
				c.col = col
				col += c.span
				cells = append(cells, c)
			case "trPr":
				// gridBefore lives here; read it, skip the rest.
			case "tblPrEx":
				if err := p.dec.Skip(); err != nil {
					return cells, err
				}
			default:
				if skipped[t.Name.Local] {
					if err := p.dec.Skip(); err != nil {
						return cells, err
					}
				}
			}
		case xml.EndElement:
			if t.Name.Local == "tr" {
				return cells, nil
			}
		}
	}
}

func (p *parser) cell() (gridCell, error) {
	c := gridCell{span: 1}
	var parts []string
	for {
		tok, err := p.dec.Token()
		if err != nil {
			return c, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "gridSpan":
				if n, _ := strconv.Atoi(attr(t, "val")); n > 1 {
					c.span = n
				}
			case "vMerge":
				c.vmergeOn = attr(t, "val") != "restart"
			case "p":
				para, err := p.paragraph()
				if err != nil {
					return c, err
				}
				parts = append(parts, para.text.String())
				parts = append(parts, flatten(para.boxes)...)
			case "tbl": // a table inside a cell: its cells' text, in order
				tb, err := p.table()
				if err != nil {
					return c, err
				}
				parts = append(parts, flatten([]block{{table: tb}})...)
			default:
				if skipped[t.Name.Local] {
					if err := p.dec.Skip(); err != nil {
						return c, err
					}
				}
			}
		case xml.EndElement:
			if t.Name.Local == "tc" {
				c.text = strings.Join(parts, " ")
				return c, nil
			}
		}
	}
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
