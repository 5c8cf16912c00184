// Package history holds the cross-year rules of the extraction contract
// (history.copied_passage, history.recurring_problem) and the similarity of
// problems across years that `jixiao problems --recurring` lists. It reads
// earlier reports handed to it; it does not know the store.
package history

import (
	"strings"
	"unicode"
)

// Tokens splits text into the units that similarity and the full-text index
// compare: Chinese is cut into overlapping character bigrams (a single
// character stays itself), runs of letters and digits stay whole and
// lower-cased, punctuation and spaces are dropped. Bigrams need no
// dictionary and match a reworded problem as well as words do for the short
// sentences compared here.
func Tokens(s string) []string {
	var out []string
	var han []rune
	var word []rune
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

// Similarity is the Dice coefficient of the two texts' token sets: 1 for
// the same wording, 0 for nothing in common.
func Similarity(a, b string) float64 {
	return dice(tokenSet(a), tokenSet(b))
}

func tokenSet(s string) map[string]struct{} {
	m := map[string]struct{}{}
	for _, t := range Tokens(s) {
		m[t] = struct{}{}
	}
	return m
}

func dice(a, b map[string]struct{}) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	common := 0
	for t := range a {
		if _, ok := b[t]; ok {
			common++
		}
	}
	return 2 * float64(common) / float64(len(a)+len(b))
}

// SameProblem is the similarity from which two problems count as the same
// one stated again: reworded sentences of the corpus series score 0.7 and
// more, different problems of one report stay under 0.3.
const SameProblem = 0.6
