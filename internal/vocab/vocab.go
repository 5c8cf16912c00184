// Package vocab reads jixiao's vocabularies: the classes of words the
// readers know a document's parts by (chrome labels, form labels, the cue
// words of budget sentences, section titles). The words live as data in
// dictionaries/, one phrase per line under a "[class]" header, so a new way
// of wording a report is a line of data, not a new regular expression.
package vocab

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/jixiao/jixiao/dictionaries"
)

// Classes are the phrases of a vocabulary by class, each class's phrases
// longest first (so the longest of two that both match wins).
type Classes map[string][]string

// Parse reads a vocabulary: "[class]" header lines, then one phrase per
// line; blank lines and lines starting with # are skipped.
func Parse(src string) Classes {
	c := Classes{}
	class := ""
	for _, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") && !strings.ContainsAny(line[1:len(line)-1], "[]【】"):
			class = line[1 : len(line)-1]
		default:
			c[class] = append(c[class], line)
		}
	}
	for _, ws := range c {
		sort.SliceStable(ws, func(i, j int) bool { return len(ws[i]) > len(ws[j]) })
	}
	return c
}

// Words returns a class's phrases, longest first.
func (c Classes) Words(class string) []string { return c[class] }

// Prefix returns the longest phrase of class that s starts with, "" when
// none does.
func (c Classes) Prefix(class, s string) string {
	for _, w := range c[class] {
		if strings.HasPrefix(s, w) {
			return w
		}
	}
	return ""
}

// Index returns the first place in s where a phrase of class stands and the
// phrase (the longest at that place), or -1.
func (c Classes) Index(class, s string) (int, string) {
	best, word := -1, ""
	for _, w := range c[class] {
		if i := strings.Index(s, w); i >= 0 && (best < 0 || i < best) {
			best, word = i, w
		}
	}
	return best, word
}

// Contains reports whether a phrase of class stands anywhere in s.
func (c Classes) Contains(class, s string) bool {
	for _, w := range c[class] {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// Is reports whether s is exactly a phrase of class.
func (c Classes) Is(class, s string) bool {
	for _, w := range c[class] {
		if s == w {
			return true
		}
	}
	return false
}

// Pattern is the class as a regular expression alternation (quoted, longest
// first, in a non-capturing group), for grammars that combine classes.
func (c Classes) Pattern(class string) string {
	ws := c[class]
	q := make([]string, len(ws))
	for i, w := range ws {
		q[i] = regexp.QuoteMeta(w)
	}
	return "(?:" + strings.Join(q, "|") + ")"
}

// The vocabularies of dictionaries/, read once.
var (
	Chrome = Parse(dictionaries.Chrome)
	Form   = Parse(dictionaries.Form)
	Cues   = Parse(dictionaries.Cues)
	Bodies = Parse(dictionaries.Bodies)
	// Sections keeps its classes' order: the first class a heading matches
	// names it.
	Sections, SectionOrder = parseOrdered(dictionaries.Sections)
)

// FindCues returns where the class's cues stand in text, in the grammar of
// dictionaries/cues.txt (a phrase ending in a colon needs one; any other
// takes an optional colon or comma), leftmost first, the longest at one
// place, never overlapping. The text is scanned once for the cues' first
// characters; the phrases starting with one are tried there.
func (c Classes) FindCues(class, text string) [][2]int {
	ix := c.cueIndex(class)
	var out [][2]int
	for at := 0; at < len(text); {
		r, w := utf8.DecodeRuneInString(text[at:])
		if !ix.first(r) {
			at += w
			continue
		}
		end := -1
		for _, p := range ix.byFirst[r] {
			if e, ok := cueAt(text, at, p); ok {
				end = e
				break // the longest that stands here
			}
		}
		if end < 0 {
			at += w
			continue
		}
		out = append(out, [2]int{at, end})
		at = end
	}
	return out
}

// cueAt reports whether phrase p stands at text[at:] with its colon (when
// it needs one), and where it ends, an optional colon or comma included.
func cueAt(text string, at int, p cuePhrase) (int, bool) {
	if !strings.HasPrefix(text[at:], p.base) {
		return 0, false
	}
	end := at + len(p.base)
	switch r, size := utf8.DecodeRuneInString(text[end:]); {
	case r == '：' || r == ':':
		return end + size, true
	case p.needColon:
		return 0, false
	case r == '，' || r == ',':
		return end + size, true
	}
	return end, true
}

type cuePhrase struct {
	base      string
	needColon bool
}

// cueIndex is a class's cues by their first character, longest first, and
// the set of those characters (a bit per character of the basic plane: the
// text is scanned once, character by character).
type cueIndex struct {
	firsts  [1 << 16 / 64]uint64
	byFirst map[rune][]cuePhrase
}

func (ix *cueIndex) first(r rune) bool {
	return r < 1<<16 && ix.firsts[r/64]&(1<<(r%64)) != 0
}

var (
	cueIndexMu sync.Mutex
	cueIndexes = map[string]*cueIndex{}
)

func (c Classes) cueIndex(class string) *cueIndex {
	cueIndexMu.Lock()
	defer cueIndexMu.Unlock()
	key := fmt.Sprintf("%p/%s", c[class], class)
	if ix, ok := cueIndexes[key]; ok {
		return ix
	}
	ix := &cueIndex{byFirst: map[rune][]cuePhrase{}}
	for _, w := range c[class] { // longest first already
		base, needColon := strings.CutSuffix(w, "：")
		r, _ := utf8.DecodeRuneInString(base)
		if r < 1<<16 {
			ix.firsts[r/64] |= 1 << (r % 64)
		}
		ix.byFirst[r] = append(ix.byFirst[r], cuePhrase{base, needColon})
	}
	cueIndexes[key] = ix
	return ix
}

// parseOrdered is Parse that also returns the classes in file order.
func parseOrdered(src string) (Classes, []string) {
	var order []string
	for _, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			order = append(order, line[1:len(line)-1])
		}
	}
	return Parse(src), order
}
