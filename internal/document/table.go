package document

// Layout says how far a table's rows and columns can be trusted, which
// depends on how its source rendered it.
type Layout uint8

const (
	// Grid: every row is a table row and every cell keeps its column,
	// empty cells included (pipe rows, tab-separated rows, Word and Excel
	// tables). A merged cell's text stands in its first row and column;
	// the cells it covers are empty.
	Grid Layout = iota
	// Aligned: every row is a table row, columns are told by the display
	// column of each cell's first character (pdftotext -layout); empty
	// cells are not written.
	Aligned
	// Stream: the cells in reading order; a row here is a line of the
	// source, not a row of the table (one cell per line, a whole form
	// flattened onto one line, a PDF text layer, OCR lines). Empty cells
	// are kept where the source wrote them (a lone "|"), else lost.
	Stream
)

var layoutNames = [...]string{"grid", "aligned", "stream"}

func (l Layout) String() string {
	if int(l) < len(layoutNames) {
		return layoutNames[l]
	}
	return "unknown"
}

// Table is a table's cells as its source gave them.
type Table struct {
	Layout Layout
	Rows   [][]Cell
}

// Cell is one table cell.
type Cell struct {
	Text       string // trimmed; "" for an empty cell
	Start, End int    // byte range of Text in Doc.Text (Start == End for an empty cell)
	Row, Col   int    // index in Table.Rows and in its row
	X          int    // display column of the first character (Aligned), else -1
}

// Empty reports a cell with no text.
func (c Cell) Empty() bool { return c.Text == "" }

// Cells returns every cell of the table in reading order.
func (t *Table) Cells() []Cell {
	var out []Cell
	for _, r := range t.Rows {
		out = append(out, r...)
	}
	return out
}

// DisplayWidth counts columns the way pdftotext -layout aligns them: wide
// (CJK, full-width) characters take two.
func DisplayWidth(s string) int {
	w := 0
	for _, r := range s {
		switch {
		case r == '\t':
			w += 8 - w%8
		case isWide(r):
			w += 2
		default:
			w++
		}
	}
	return w
}

func isWide(r rune) bool {
	return r >= 0x1100 && r <= 0x115F || r >= 0x2E80 && r <= 0xA4CF && r != 0x303F ||
		r >= 0xAC00 && r <= 0xD7A3 || r >= 0xF900 && r <= 0xFAFF || r >= 0xFE30 && r <= 0xFE4F ||
		r >= 0xFF00 && r <= 0xFF60 || r >= 0xFFE0 && r <= 0xFFE6 || r >= 0x20000 && r <= 0x3FFFD
}
