// Package passage finds the passages of at least so many characters that
// stand twice: in two places of one report (text.duplicate_passage) and in
// a report and an earlier year's (history.copied_passage). Both compare
// the same compact form of the text with the same window hash, so a pair
// of passages one of them finds, the other finds too.
package passage

import (
	"sort"
	"unicode"
	"unicode/utf8"
)

// MinRunes is the contract's shortest passage, in characters without
// whitespace.
const MinRunes = 50

// Text is a text with whitespace dropped — the unit in which the contract
// measures passages — with each rune's byte range in the source. Runes are
// folded (full-width ASCII to half-width) for comparison; Orig keeps them
// as written, for messages.
type Text struct {
	Source string
	Runes  []rune
	Orig   []rune
	Starts []int // byte offset in Source of each rune
	Ends   []int // byte offset in Source after each rune
}

// Span is a half-open range [Start, End) of a Text's runes.
type Span struct{ Start, End int }

// Compact returns the compact form of s.
func Compact(s string) *Text {
	n := utf8.RuneCountInString(s)
	t := &Text{Source: s, Orig: make([]rune, 0, n), Runes: make([]rune, 0, n), Starts: make([]int, 0, n), Ends: make([]int, 0, n)}
	for i, r := range s {
		if blank(r) {
			continue
		}
		t.Orig = append(t.Orig, r)
		t.Runes = append(t.Runes, fold(r))
		t.Starts = append(t.Starts, i)
		t.Ends = append(t.Ends, i+utf8.RuneLen(r))
	}
	return t
}

// blank is what a copy may add or drop without being another text: white
// space (the ideographic space too) and the invisible marks word
// processors and web pages leave (a byte-order mark, a zero-width space).
func blank(r rune) bool { return unicode.IsSpace(r) || r == '\ufeff' || r == '\u200b' }

// fold maps full-width ASCII forms (０-９, Ａ, ，) to their half-width forms
// so that a copy typed with the other width still compares equal.
func fold(r rune) rune {
	if r >= 0xFF01 && r <= 0xFF5E {
		return r - 0xFEE0
	}
	return r
}

// Bytes returns the byte range in Source of a span.
func (t *Text) Bytes(s Span) (start, end int) {
	return t.Starts[s.Start], t.Ends[s.End-1]
}

// At returns the index of the first rune at or after byte offset off of
// Source (len(Runes) past the last).
func (t *Text) At(off int) int { return sort.SearchInts(t.Starts, off) }
