package sqlite

import (
	"strings"
	"unicode"
)

// bigrams is how the full-text index cuts text: Chinese into overlapping
// character bigrams (a lone character stays itself), runs of letters and
// digits whole and lower-cased, punctuation and spaces dropped. A query is
// cut the same way and matched as a phrase, so searching 采购 finds
// 政府采购 too: a word never hides inside a longer dictionary word, as it
// would with the gse words history compares.
func bigrams(s string) []string {
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
