// Package history holds the cross-year rules of the extraction contract
// (history.copied_passage, history.recurring_problem) and the similarity of
// problems across years that `jixiao problems --recurring` lists. It reads
// earlier reports handed to it; it does not know the store.
package history

import (
	"strings"

	"github.com/jixiao/jixiao/internal/segment"
)

// Tokens are the words similarity compares: the text cut by the gse
// dictionary (internal/segment), numbers whole, letters lower-cased,
// punctuation dropped.
func Tokens(s string) []string {
	words := segment.Words(s)
	out := make([]string, 0, len(words))
	for _, w := range words {
		switch w.Kind {
		case segment.Punct:
		case segment.Latin:
			out = append(out, strings.ToLower(w.Text))
		default:
			out = append(out, w.Text)
		}
	}
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
