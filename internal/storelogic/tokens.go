// Package storelogic is what every store decides the same way, whatever it
// keeps its rows in: which series an organisation's name files under, how
// problems are followed across years, how text is cut into search tokens and
// what a search hit shows. The stores (internal/sqlite, internal/postgres,
// internal/memstore) only store and read; they ask this package the rest.
package storelogic

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Bigrams is how the full-text index cuts text: Chinese into overlapping
// character bigrams (a lone character stays itself), runs of letters and
// digits whole and lower-cased, punctuation and spaces dropped. A query is
// cut the same way and matched as a phrase, so searching 采购 finds
// 政府采购 too: a word never hides inside a longer dictionary word, as it
// would with the gse words history compares.
func Bigrams(s string) []string {
	var out []string
	var han, word []rune
	flushHan := func() {
		switch {
		case len(han) == 1:
			out = append(out, string(han))
		case len(han) > 1:
			for i := 0; i+1 < len(han); i++ {
				out = append(out, string(han[i:i+2]))
			}
		}
		han = han[:0]
	}
	flushWord := func() {
		if len(word) > 0 {
			out = append(out, strings.ToLower(string(word)))
		}
		word = word[:0]
	}
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			flushWord()
			han = append(han, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			flushHan()
			word = append(word, r)
		default:
			flushHan()
			flushWord()
		}
	}
	flushHan()
	flushWord()
	return out
}

// Segment is strings.Join(Bigrams(s), " ") for the full-text index,
// written straight from s: a bigram is two neighbouring runes, so each
// token is a slice of s, and a report's thousands of tokens need no string
// each.
func Segment(s string) string {
	var b strings.Builder
	b.Grow(len(s) * 2)
	write := func(tok string) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(tok)
	}
	hanStart, hanPrev, hanRunes := 0, 0, 0 // the Han run: its start, its last rune, its length
	wordStart := -1
	flushHan := func(end int) {
		if hanRunes == 1 {
			write(s[hanStart:end])
		}
		hanRunes = 0
	}
	flushWord := func(end int) {
		if wordStart >= 0 {
			write(strings.ToLower(s[wordStart:end]))
		}
		wordStart = -1
	}
	for i, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			flushWord(i)
			if hanRunes == 0 {
				hanStart = i
			} else {
				write(s[hanPrev : i+utf8.RuneLen(r)])
			}
			hanPrev = i
			hanRunes++
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			flushHan(i)
			if wordStart < 0 {
				wordStart = i
			}
		default:
			flushHan(i)
			flushWord(i)
		}
	}
	flushHan(len(s))
	flushWord(len(s))
	return b.String()
}
