package check

import (
	"fmt"
	"github.com/jixiao/jixiao/internal/document"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/jixiao/jixiao/dictionaries"
	"github.com/jixiao/jixiao/internal/segment"
	"github.com/jixiao/jixiao/pipeline"
)

// text.suspected_typo: a known misspelling of the confusables list
// (dictionaries/confusables.tsv) stands in the text as a word of its own.
// The text is first scanned for the wrong forms; only the runs of Chinese
// around a hit are segmented, and the hit counts when the segmenter puts word
// boundaries at both its ends: in 以经济 or 个人休假 a correct word (经济,
// 个人) crosses the hit, so they do not fire. A report without any hit never
// loads the segmenter.

func init() {
	register(Rule{
		ID:       "text.suspected_typo",
		Severity: pipeline.SeverityWarning,
		Check:    checkSuspectedTypos,
		Values:   map[string]pipeline.ValueKind{"wrong": pipeline.ValueText, "right": pipeline.ValueText},
	})
}

// Confusable is one entry of the confusables list.
type Confusable struct {
	Wrong, Right, Note string
}

// ParseConfusables reads "wrong<TAB>right<TAB>note" lines; # starts a comment.
func ParseConfusables(data string) ([]Confusable, error) {
	var out []Confusable
	for n, line := range strings.Split(data, "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 2 || f[0] == "" || f[1] == "" {
			return nil, fmt.Errorf("confusables line %d: want wrong<TAB>right<TAB>note, got %q", n+1, line)
		}
		c := Confusable{Wrong: f[0], Right: f[1]}
		if len(f) > 2 {
			c.Note = f[2]
		}
		out = append(out, c)
	}
	return out, nil
}

// confusableIndex maps the first character of each wrong form to the
// entries starting with it, longest first.
type confusableIndex map[rune][]Confusable

var (
	typoIndexOnce sync.Once
	typoIndex     confusableIndex
)

func confusables() confusableIndex {
	typoIndexOnce.Do(func() {
		list, err := ParseConfusables(dictionaries.Confusables)
		if err != nil {
			panic(err) // embedded and tested
		}
		typoIndex = newConfusableIndex(list)
	})
	return typoIndex
}

func newConfusableIndex(list []Confusable) confusableIndex {
	idx := confusableIndex{}
	for _, c := range list {
		r, _ := utf8.DecodeRuneInString(c.Wrong)
		idx[r] = append(idx[r], c)
	}
	for _, cs := range idx {
		sort.Slice(cs, func(i, j int) bool { return len(cs[i].Wrong) > len(cs[j].Wrong) })
	}
	return idx
}

// typoHit is one place where a wrong form occurs in the text.
type typoHit struct {
	start, end int
	c          Confusable
}

// find returns the occurrences of wrong forms, left to right, not
// overlapping (the longest form wins at one place).
func (idx confusableIndex) find(text string) []typoHit {
	var hits []typoHit
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		matched := false
		for _, c := range idx[r] {
			if strings.HasPrefix(text[i:], c.Wrong) {
				hits = append(hits, typoHit{i, i + len(c.Wrong), c})
				i += len(c.Wrong)
				matched = true
				break
			}
		}
		if !matched {
			i += size
		}
	}
	return hits
}

func checkSuspectedTypos(in *Input) []pipeline.Finding {
	text := in.Doc.Text
	hits := proseHits(in.Doc, confusables().find(text))
	if len(hits) == 0 {
		return nil
	}
	seg := segment.Default()
	var out []pipeline.Finding
	byWrong := map[string]int{} // wrong form → index of its finding in out
	for _, h := range hits {
		runStart, runEnd := typoHanRun(text, h.start, h.end)
		words := seg.Words(text[runStart:runEnd])
		if !typoOnBoundaries(words, h.start-runStart, h.end-runStart) {
			continue
		}
		ev := in.Doc.Evidence(typoClause(text, h.start, h.end))
		if k, ok := byWrong[h.c.Wrong]; ok {
			out[k].Evidence = append(out[k].Evidence, ev)
			continue
		}
		ctxWrong, ctxRight := typoContext(text[runStart:runEnd], words, h.start-runStart, h.end-runStart, h.c)
		byWrong[h.c.Wrong] = len(out)
		out = append(out, pipeline.Finding{
			Message:  fmt.Sprintf("疑似错别字“%s”，应为“%s”", ctxWrong, ctxRight),
			Values:   pipeline.Values{"wrong": pipeline.TextValue(h.c.Wrong), "right": pipeline.TextValue(h.c.Right)},
			Evidence: []pipeline.Evidence{ev},
		})
	}
	return out
}

// typoHanRun widens [start, end) to the run of Chinese characters around it
// (at most typoRunLimit bytes each way): the segmenter cuts each such run on
// its own, so the run is all the context a cut depends on.
func typoHanRun(text string, start, end int) (int, int) {
	const typoRunLimit = 300
	for start > 0 && end-start < typoRunLimit {
		r, n := utf8.DecodeLastRuneInString(text[:start])
		if !unicode.Is(unicode.Han, r) {
			break
		}
		start -= n
	}
	for lim := end + typoRunLimit; end < len(text) && end < lim; {
		r, n := utf8.DecodeRuneInString(text[end:])
		if !unicode.Is(unicode.Han, r) {
			break
		}
		end += n
	}
	return start, end
}

// typoOnBoundaries reports whether a word starts at start and a word ends at
// end, so that no word crosses either end of the hit.
func typoOnBoundaries(words []segment.Word, start, end int) bool {
	startOK, endOK := false, false
	for _, w := range words {
		if w.Start == start {
			startOK = true
		}
		if w.End == end {
			endOK = true
		}
	}
	return startOK && endOK
}

// typoContext returns the wrong form with its neighbouring characters, and
// the same with the correction, for the message: 人休 → 人休器官 / 人体器官.
// A short form gets the characters that follow it (up to four in all); at
// the end of a run, the word or two before it.
func typoContext(run string, words []segment.Word, start, end int, c Confusable) (string, string) {
	const want = 4
	n := utf8.RuneCountInString(c.Wrong)
	before, after := "", ""
	if end < len(run) {
		after = typoFirstRunes(run[end:], want-n)
	} else if n < want {
		before = typoWordsBefore(words, start)
	}
	return before + c.Wrong + after, before + c.Right + after
}

// typoWordsBefore returns the word ending at start, cut to its last two
// characters (年初预算 → 预算); a one-character word takes the word before
// it along (资金/的 → 资金的).
func typoWordsBefore(words []segment.Word, start int) string {
	for i := len(words) - 1; i >= 0; i-- {
		w := words[i]
		switch {
		case w.End != start:
			continue
		case utf8.RuneCountInString(w.Text) >= 2:
			return typoLastRunes(w.Text, 2)
		case i > 0 && words[i-1].End == w.Start:
			return words[i-1].Text + w.Text
		}
		return w.Text
	}
	return ""
}

func typoFirstRunes(s string, n int) string {
	i := 0
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i]
}

func typoLastRunes(s string, n int) string {
	i := len(s)
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return s[i:]
}

// typoClause widens [start, end) to its clause (up to the nearest
// punctuation or line break, at most 20 characters each way) for the quote.
func typoClause(text string, start, end int) (int, int) {
	const limit = 20
	isStop := func(r rune) bool {
		return r == '\n' || r == '\f' || strings.ContainsRune("。；！？，、：;!?", r)
	}
	for k := 0; k < limit && start > 0; k++ {
		r, n := utf8.DecodeLastRuneInString(text[:start])
		if isStop(r) {
			break
		}
		start -= n
	}
	for k := 0; k < limit && end < len(text); k++ {
		r, n := utf8.DecodeRuneInString(text[end:])
		if isStop(r) {
			break
		}
		end += n
	}
	return start, end
}

// proseHits keeps the hits in the report's own writing: a table's cells
// are labels and figures (an OCR'd form misreads 目标 as 日标 in a label no
// one typed), and site chrome is not the report's.
func proseHits(doc *document.Doc, hits []typoHit) []typoHit {
	out := hits[:0]
	for _, h := range hits {
		if !doc.InTable(h.start) && !doc.InChrome(h.start) {
			out = append(out, h)
		}
	}
	return out
}
