package document

import (
	"strings"
)

// Builder assembles a Doc block by block. internal/normalize drives it from
// plain text; loaders with real structure (Word, Excel, OCR) drive it
// directly, so their tables reach the readers as cells, never re-flowed.
//
// Text is written in pieces, each with the source address it came from; a
// block is the text written between Open and Close. Blocks are separated by
// one line break in Doc.Text.
type Builder struct {
	text   strings.Builder
	spans  []span
	blocks []Block
	open   bool
	table  *Table
}

// Open starts a block of the given kind.
func (b *Builder) Open(kind Kind) {
	if b.open {
		b.Close()
	}
	if b.text.Len() > 0 {
		b.text.WriteByte('\n')
	}
	b.blocks = append(b.blocks, Block{Kind: kind, Start: b.text.Len()})
	b.open = true
	if kind == TableBlock {
		b.table = &Table{}
		b.blocks[len(b.blocks)-1].Table = b.table
	}
}

// Write appends s, which came from at, to the open block and returns the
// byte offset it starts at in Doc.Text.
func (b *Builder) Write(s string, at Addr) int {
	if !b.open {
		b.Open(ProseBlock)
	}
	off := b.text.Len()
	if n := len(b.spans); n == 0 || b.spans[n-1].At != at {
		b.spans = append(b.spans, span{Offset: off, At: at})
	}
	b.text.WriteString(s)
	return off
}

// NewLine starts a new line inside the open block (a table's next row as
// the source printed it).
func (b *Builder) NewLine() { b.text.WriteByte('\n') }

// Len is the length of the text written so far.
func (b *Builder) Len() int { return b.text.Len() }

// Close ends the open block. A paragraph opening with a section or list
// number gets its Marker, and becomes a heading or a list item.
func (b *Builder) Close() {
	if !b.open {
		return
	}
	b.open = false
	blk := &b.blocks[len(b.blocks)-1]
	blk.End = b.text.Len()
	b.table = nil
}

// SetLayout sets the open table's layout.
func (b *Builder) SetLayout(l Layout) {
	if b.table != nil {
		b.table.Layout = l
	}
}

// Cell adds a cell of the open table: text[start:end] of what was written,
// in row (counting from 0, a new row each time row grows), at display
// column x (-1 when unknown).
func (b *Builder) Cell(row, start, end, x int) {
	t := b.table
	if t == nil {
		return
	}
	for len(t.Rows) <= row {
		t.Rows = append(t.Rows, nil)
	}
	col := len(t.Rows[row])
	t.Rows[row] = append(t.Rows[row], Cell{Row: row, Col: col, X: x, Start: start, End: end})
}

// Row writes one row of a table given as cells (a Word or Excel table):
// the cells joined by " | " on one line, each cell with its own address.
// An empty string is an empty cell.
func (b *Builder) Row(cells []string, at []Addr) {
	if b.table == nil {
		return
	}
	row := len(b.table.Rows)
	if row > 0 {
		b.NewLine()
	}
	b.table.Rows = append(b.table.Rows, nil)
	for i, c := range cells {
		if i > 0 {
			b.Write(" | ", at[i])
		}
		start := b.Write(c, at[i])
		b.Cell(row, start, start+len(c), -1)
	}
}

// Doc finishes the document: the last block closed, cells' texts filled
// in, markers read, sentences and dates found.
func (b *Builder) Doc(pages int) *Doc {
	b.Close()
	d := &Doc{Text: b.text.String(), Pages: pages, Blocks: b.blocks, spans: b.spans}
	for i := range d.Blocks {
		blk := &d.Blocks[i]
		switch blk.Kind {
		case TableBlock:
			fillCells(d.Text, blk.Table)
		case ProseBlock, HeadingBlock, ListBlock:
			classifyParagraph(d.Text, blk)
		}
		d.Sentences = splitSentences(d.Text, i, blk, d.Sentences)
		if blk.Kind != ChromeBlock {
			d.Dates = findDates(d.Text, blk.Start, blk.End, i, d.Dates)
		}
	}
	return d
}

func fillCells(text string, t *Table) {
	for r := range t.Rows {
		for c := range t.Rows[r] {
			cell := &t.Rows[r][c]
			raw := text[cell.Start:cell.End]
			trimmed := strings.TrimSpace(raw)
			if trimmed == "" {
				cell.Text, cell.End = "", cell.Start
				continue
			}
			cell.Start += strings.Index(raw, trimmed)
			cell.End = cell.Start + len(trimmed)
			cell.Text = trimmed
		}
	}
}

// classifyParagraph reads the marker a paragraph opens with: a section
// number makes it a heading; an item number a list item, or a heading when
// the paragraph is only a short title.
func classifyParagraph(text string, blk *Block) {
	m, ok := ParseMarker(text[blk.Start:blk.End])
	if !ok {
		if blk.Kind != ProseBlock {
			blk.Kind = ProseBlock
		}
		return
	}
	blk.Marker = &m
	switch {
	case m.Level <= 2, !m.Inline && len([]rune(m.Title)) <= 30:
		blk.Kind = HeadingBlock
	default:
		blk.Kind = ListBlock
	}
}
