package segment

import (
	"unicode"
	"unicode/utf8"

	"github.com/go-ego/gse"
)

// Words cuts text into words. Whitespace separates words and is dropped; a
// number such as 251.89, 1,525, 96.5% or ２５１ is one word; a run of Han
// characters is cut by the dictionary; letters stay together; any other
// character is a word of its own.
func (s *Segmenter) Words(text string) []Word {
	out := make([]Word, 0, len(text)/4)
	var buf hanBuffers
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
		case isDigit(r):
			end := numberEnd(text, i)
			out = append(out, Word{Text: text[i:end], Start: i, End: end, Kind: Number})
			i = end
		case isHan(r):
			end := i + size
			for end < len(text) {
				r2, n := utf8.DecodeRuneInString(text[end:])
				if !isHan(r2) {
					break
				}
				end += n
			}
			out = s.cutHan(out, text, i, end, &buf)
			i = end
		case isLetter(r):
			end := i + size
			for end < len(text) {
				r2, n := utf8.DecodeRuneInString(text[end:])
				if !isLetter(r2) {
					break
				}
				end += n
			}
			out = append(out, Word{Text: text[i:end], Start: i, End: end, Kind: Latin})
			i = end
		default:
			out = append(out, Word{Text: text[i : i+size], Start: i, End: i + size, Kind: Punct})
			i += size
		}
	}
	return out
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' || r >= '０' && r <= '９' }
func isLetter(r rune) bool {
	return r < 0x3000 && unicode.IsLetter(r) || r >= 'Ａ' && r <= 'ｚ' && unicode.IsLetter(r)
}
func isHan(r rune) bool { return unicode.Is(unicode.Han, r) || r == '〇' }

// numberEnd returns the end of the number starting at text[i]: digits, a
// decimal point or thousands separator between digits, a trailing percent or
// per-mille sign.
func numberEnd(text string, i int) int {
	end := i
	for end < len(text) {
		r, n := utf8.DecodeRuneInString(text[end:])
		switch {
		case isDigit(r):
			end += n
		case r == '.' || r == '．' || r == ',':
			r2, _ := utf8.DecodeRuneInString(text[end+n:])
			if !isDigit(r2) {
				return end
			}
			end += n
		case r == '%' || r == '％' || r == '‰':
			return end + n
		default:
			return end
		}
	}
	return end
}

// hanBuffers are reused across the Han runs of one text.
type hanBuffers struct {
	chars  []gse.Text // the run's characters, each as its UTF-8 bytes
	starts []int      // byte offset of each character in text
	best   []float64  // best log-probability of the route from character i to the end
	next   []int      // where the best route's first word from i ends (exclusive)
	tokens []*gse.Token
}

// cutHan appends the words of the Han run text[start:end], chosen as the
// route of highest product of word probabilities (jieba's DAG without HMM).
// A character that starts no dictionary word stands alone.
func (s *Segmenter) cutHan(out []Word, text string, start, end int, b *hanBuffers) []Word {
	b.chars, b.starts = b.chars[:0], b.starts[:0]
	run := []byte(text[start:end])
	for i := 0; i < len(run); {
		_, n := utf8.DecodeRune(run[i:])
		b.chars = append(b.chars, gse.Text(run[i:i+n]))
		b.starts = append(b.starts, start+i)
		i += n
	}
	n := len(b.chars)
	b.starts = append(b.starts, end)
	b.best = grow(b.best, n+1)
	b.next = growInt(b.next, n+1)
	maxLen := s.gse.Dict.MaxTokenLen()
	if cap(b.tokens) < maxLen {
		b.tokens = make([]*gse.Token, maxLen)
	}
	tokens := b.tokens[:maxLen]
	b.best[n] = 0
	for i := n - 1; i >= 0; i-- {
		// A lone character not in the dictionary counts as frequency 1.
		b.best[i] = -s.logTotal + b.best[i+1]
		b.next[i] = i + 1
		found := s.gse.Dict.LookupTokens(b.chars[i:min(i+maxLen, n)], tokens)
		for _, t := range tokens[:found] {
			info := s.info[t]
			j := i + info.runes
			p := info.logFreq - s.logTotal + b.best[j]
			if p > b.best[i] || (p == b.best[i] && j > b.next[i]) {
				b.best[i], b.next[i] = p, j
			}
		}
	}
	for i := 0; i < n; i = b.next[i] {
		ws, we := b.starts[i], b.starts[b.next[i]]
		out = append(out, Word{Text: text[ws:we], Start: ws, End: we, Kind: Han})
	}
	return out
}

func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

func growInt(s []int, n int) []int {
	if cap(s) < n {
		return make([]int, n)
	}
	return s[:n]
}
