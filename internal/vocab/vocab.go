// Package vocab reads jixiao's vocabularies: the classes of words the
// readers know a document's parts by (chrome labels, form labels, the cue
// words of budget sentences, section titles). The words live as data in
// dictionaries/, one phrase per line under a "[class]" header, so a new way
// of wording a report is a line of data, not a new regular expression.
package vocab

import (
	"regexp"
	"sort"
	"strings"
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
// takes an optional colon or comma), leftmost first, the longest at one place, never
// overlapping. It looks each phrase up with strings.Index: a cue is a fixed
// phrase, and a text holds few of them.
func (c Classes) FindCues(class, text string) [][2]int {
	var found [][2]int
	for _, w := range c[class] {
		base, needColon := strings.CutSuffix(w, "：")
		for at := 0; ; {
			i := strings.Index(text[at:], base)
			if i < 0 {
				break
			}
			start := at + i
			end := start + len(base)
			at = end
			switch r, size := utf8.DecodeRuneInString(text[end:]); {
			case r == '：' || r == ':':
				end += size
			case needColon:
				continue
			case r == '，' || r == ',':
				end += size
			}
			found = append(found, [2]int{start, end})
		}
	}
	sort.Slice(found, func(i, j int) bool {
		if found[i][0] != found[j][0] {
			return found[i][0] < found[j][0]
		}
		return found[i][1] > found[j][1]
	})
	var out [][2]int
	for _, f := range found {
		if len(out) > 0 && f[0] < out[len(out)-1][1] {
			continue
		}
		out = append(out, f)
	}
	return out
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
