// Package document is the one model of a report's text, built once after
// decoding and read by every later stage, the way go/ast and go/token's
// FileSet serve every pass over a Go file.
//
// A Doc holds the normalised text that evidence quotes point into, a
// position map from that text back to the source (line and page of a text
// or PDF, paragraph of a Word file, sheet and cell of a workbook), and the
// text cut into blocks: site chrome, headings, prose, list items and tables
// with their cells. Sentences and dates are found once, here, with one
// grammar each. Extraction reads fields from blocks and cells; the checks
// read the Doc and the extracted report and never parse the text again.
//
// internal/normalize builds a Doc from plain text (a text file, a PDF's text
// layer); loaders that have real structure (Word and Excel tables, OCR word
// boxes) build one with a Builder, handing tables over as cells.
package document

import (
	"sort"
	"unicode/utf8"

	"github.com/jixiao/jixiao/pipeline"
)

// Kind classifies a block.
type Kind uint8

const (
	// ProseBlock is running text: one paragraph.
	ProseBlock Kind = iota
	// HeadingBlock is a numbered section heading (一、 （一） 第一部分) or a short
	// numbered title line; the report's title is prose before the first one.
	HeadingBlock
	// ListBlock is one numbered item of a list (1. （1） ①) that reads as a
	// sentence.
	ListBlock
	// TableBlock is a table: its rows and cells are in Block.Table.
	TableBlock
	// ChromeBlock is text that is not the report's: a web page's breadcrumbs,
	// metadata block and footer, a converter's document metadata. It is
	// never part of a field.
	ChromeBlock
)

var kindNames = [...]string{"prose", "heading", "list", "table", "chrome"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Block is one paragraph of the text, or a whole table.
type Block struct {
	Kind       Kind
	Start, End int     // byte range in Doc.Text, without the closing line break
	Marker     *Marker // the number a heading or list item opens with; nil for none
	Table      *Table  // Kind == TableBlock
}

// Doc is one report's text and its structure.
type Doc struct {
	// Text is the normalised text: paragraphs one per line, tables one row
	// (or one cell) per line as the source printed them.
	Text string
	// Pages is the number of pages seen, 0 when the source shows none.
	Pages  int
	Blocks []Block
	// Sentences of every block but chrome, in text order. A table's cells
	// are its sentences.
	Sentences []Sentence
	// Dates named anywhere but in chrome, in text order.
	Dates []Date

	spans []span
}

// Addr is where a piece of text stands in its source. Zero fields are
// unknown or do not apply.
type Addr struct {
	Line      int    // 1-based line of a text or of a PDF's extracted text
	Page      int    // 1-based page
	Paragraph int    // 1-based paragraph of a Word document
	Sheet     string // worksheet of a workbook
	Cell      string // cell of a worksheet, "D7"
	// Confidence is OCR's: the lowest confidence (0–100) of the words the
	// text was read from; 0 for text that was not recognised from an image.
	Confidence float64
}

// span says that Text[Offset:] up to the next span's Offset came from At.
type span struct {
	Offset int
	At     Addr
}

// BlockText returns a block's text.
func (d *Doc) BlockText(b *Block) string { return d.Text[b.Start:b.End] }

// Pos returns the source address of a byte offset in Text.
func (d *Doc) Pos(offset int) Addr {
	i := sort.Search(len(d.spans), func(i int) bool { return d.spans[i].Offset > offset }) - 1
	if i < 0 {
		return Addr{Line: 1}
	}
	return d.spans[i].At
}

// Line returns the 1-based source line and page (0 if unknown) of a byte
// offset in Text.
func (d *Doc) Line(offset int) (line, page int) {
	a := d.Pos(offset)
	return a.Line, a.Page
}

// MaxQuote is the longest quote evidence carries, in characters.
const MaxQuote = 80

// Evidence returns the evidence for Text[start:end]: the quote cut to at
// most MaxQuote characters, and where it stands in the source.
func (d *Doc) Evidence(start, end int) pipeline.Evidence {
	start = max(0, min(start, len(d.Text)))
	end = max(start, min(end, len(d.Text)))
	for start < end && !utf8.RuneStart(d.Text[start]) {
		start++
	}
	q := d.Text[start:end]
	if utf8.RuneCountInString(q) > MaxQuote {
		n := 0
		for i := range q {
			if n == MaxQuote {
				q = q[:i]
				break
			}
			n++
		}
	}
	a := d.Pos(start)
	return pipeline.Evidence{Quote: q, Line: a.Line, Page: a.Page, Offset: start,
		Paragraph: a.Paragraph, Sheet: a.Sheet, Cell: a.Cell, Confidence: d.confidence(start, start+len(q))}
}

// confidence is the lowest OCR confidence of the text in [start, end), 0
// when none of it was recognised from an image.
func (d *Doc) confidence(start, end int) float64 {
	i := max(0, sort.Search(len(d.spans), func(i int) bool { return d.spans[i].Offset > start })-1)
	low := 0.0
	for ; i < len(d.spans) && d.spans[i].Offset < end; i++ {
		if c := d.spans[i].At.Confidence; c > 0 && (low == 0 || c < low) {
			low = c
		}
	}
	return low
}

// BlockAt returns the index of the block holding byte offset off, -1 when
// none does (a line break between blocks).
func (d *Doc) BlockAt(off int) int {
	i := sort.Search(len(d.Blocks), func(i int) bool { return d.Blocks[i].End >= off })
	if i < len(d.Blocks) && d.Blocks[i].Start <= off {
		return i
	}
	return -1
}

// InChrome reports whether byte offset off lies in a chrome block.
func (d *Doc) InChrome(off int) bool {
	i := d.BlockAt(off)
	return i >= 0 && d.Blocks[i].Kind == ChromeBlock
}

// InTable reports whether byte offset off lies in a table block.
func (d *Doc) InTable(off int) bool {
	i := d.BlockAt(off)
	return i >= 0 && d.Blocks[i].Kind == TableBlock
}

// SentenceAt returns the sentence holding byte offset off, or false.
func (d *Doc) SentenceAt(off int) (Sentence, bool) {
	i := sort.Search(len(d.Sentences), func(i int) bool { return d.Sentences[i].End > off })
	if i < len(d.Sentences) && d.Sentences[i].Start <= off {
		return d.Sentences[i], true
	}
	return Sentence{}, false
}

// Tables returns the table blocks in text order.
func (d *Doc) Tables() []*Block {
	var out []*Block
	for i := range d.Blocks {
		if d.Blocks[i].Kind == TableBlock {
			out = append(out, &d.Blocks[i])
		}
	}
	return out
}

// Positions returns the position map in the domain's form, for the stages
// that work on an extraction without its model (the cross-year rules).
func (d *Doc) Positions() []pipeline.Position {
	out := make([]pipeline.Position, len(d.spans))
	for i, sp := range d.spans {
		out[i] = pipeline.Position{Offset: sp.Offset, Line: sp.At.Line, Page: sp.At.Page}
	}
	return out
}
