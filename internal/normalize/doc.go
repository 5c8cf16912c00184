// Package normalize turns a report's raw text (from a text file or a PDF's
// text layer) into clean running text: hard wraps joined, page furniture
// dropped, split numbers repaired. It keeps one position map from the
// normalised text back to source lines and pages, asked by every later stage
// for evidence.
package normalize

import (
	"sort"

	"github.com/jixiao/jixiao/pipeline"
)

// Doc is a normalised report text with its position map.
type Doc struct {
	Text string
	// Pages is the number of pages seen (form feeds, page footers), 0 when
	// the text shows none.
	Pages int
	// TableStart is the byte offset in Text where the self-evaluation
	// table's title line starts, -1 when the text has no table. From there
	// on the text keeps its source lines unjoined.
	TableStart int
	// TableEnd is where the table ends: the start of the first section
	// heading after it, or len(Text). Meaningless when TableStart is -1.
	TableEnd int
	// spans map byte ranges of Text to source lines and pages, sorted by
	// Offset.
	spans []span
}

// span says that Text[Offset:] up to the next span's Offset came from
// source line Line on page Page.
type span struct {
	Offset int
	Line   int
	Page   int
}

// Pos returns the 1-based source line and page (0 if unknown) of a byte
// offset in Text.
func (d *Doc) Pos(offset int) (line, page int) {
	i := sort.Search(len(d.spans), func(i int) bool { return d.spans[i].Offset > offset }) - 1
	if i < 0 {
		return 1, 0
	}
	return d.spans[i].Line, d.spans[i].Page
}

// Evidence returns the evidence for Text[start:end], the quote cut to at most
// 80 characters.
func (d *Doc) Evidence(start, end int) pipeline.Evidence {
	if start < 0 {
		start = 0
	}
	if end > len(d.Text) {
		end = len(d.Text)
	}
	if end < start {
		end = start
	}
	q := []rune(d.Text[start:end])
	if len(q) > 80 {
		q = q[:80]
	}
	line, page := d.Pos(start)
	return pipeline.Evidence{Quote: string(q), Line: line, Page: page, Offset: start}
}
