package check

import (
	"fmt"
	"slices"
	"sort"
	"unicode"
	"unicode/utf8"

	"github.com/jixiao/jixiao/pipeline"
)

// text.duplicate_passage: a passage of 50 or more characters (whitespace
// removed) that appears twice or more. Each repeated passage is reported
// once, with every place it appears.

func init() {
	register(Rule{
		ID:       "text.duplicate_passage",
		Severity: pipeline.SeverityWarning,
		Check:    checkDuplicatePassages,
	})
}

// minPassage is the contract's threshold, in characters without whitespace.
const minPassage = 50

// maxMergeGap is how many differing characters may sit inside one copied
// passage before it counts as two: a copy whose year or one word was
// changed is still one copied paragraph for a reviewer.
const maxMergeGap = 6

func checkDuplicatePassages(in *Input) []pipeline.Finding {
	if in.Doc == nil {
		return nil
	}
	ct := in.compactText()
	var out []pipeline.Finding
	for _, places := range repeatedPassages(ct.runes, minPassage) {
		places = outsideTable(in, ct, places)
		if proseCount(ct, places) < 2 {
			continue
		}
		out = append(out, duplicateFinding(in, ct, places))
	}
	return out
}

func duplicateFinding(in *Input, ct *compactText, places []span) pipeline.Finding {
	longest := 0
	ev := make([]pipeline.Evidence, 0, len(places))
	for _, p := range places {
		longest = max(longest, p.end-p.start)
		start, end := ct.bytes(p)
		ev = append(ev, in.Doc.Evidence(start, end))
	}
	first := places[0]
	head := string(ct.orig[first.start:min(first.end, first.start+30)])
	if first.end-first.start > 30 {
		head += "…"
	}
	return pipeline.Finding{
		Message:  fmt.Sprintf("以下段落重复出现 %d 次（约 %d 字）：“%s”", len(places), longest, head),
		Values:   map[string]any{"occurrences": len(places), "chars": longest},
		Evidence: ev,
	}
}

// compactText is the text with whitespace dropped — the unit in which the
// contract measures passages — with each rune's byte range in the source.
// runes are folded (full-width ASCII to half-width) for comparison; orig
// keeps them as written for messages.
type compactText struct {
	text   string
	runes  []rune
	orig   []rune
	starts []int
	ends   []int
}

func newCompactText(text string) *compactText {
	n := utf8.RuneCountInString(text)
	ct := &compactText{text: text, orig: make([]rune, 0, n), runes: make([]rune, 0, n), starts: make([]int, 0, n), ends: make([]int, 0, n)}
	for i, r := range text {
		if unicode.IsSpace(r) || r == '\ufeff' || r == '\u200b' {
			continue
		}
		ct.orig = append(ct.orig, r)
		ct.runes = append(ct.runes, foldWidth(r))
		ct.starts = append(ct.starts, i)
		ct.ends = append(ct.ends, i+utf8.RuneLen(r))
	}
	return ct
}

// bytes returns the byte range in the source text of a compact span.
func (ct *compactText) bytes(s span) (start, end int) {
	return ct.starts[s.start], ct.ends[s.end-1]
}

// foldWidth maps full-width ASCII forms (０-９, Ａ, ，) to their half-width
// forms so that a copy typed with the other width still compares equal.
func foldWidth(r rune) rune {
	if r >= 0xFF01 && r <= 0xFF5E {
		return r - 0xFEE0
	}
	return r
}

// span is a half-open range [start, end) of compact runes.
type span struct{ start, end int }

// repeatRun is one maximal pair of identical compact spans.
type repeatRun struct{ a, b span }

// repeatedPassages finds every passage of at least k runes that occurs more
// than once and returns, per passage, its places in text order. It hashes
// every k-rune window (Rabin–Karp), links each window to the previous
// non-overlapping occurrence of the same content, and extends the links
// along diagonals into maximal runs, so the work is linear in the text.
func repeatedPassages(rs []rune, k int) [][]span {
	runs := mergeNearRuns(windowRuns(rs, k))
	if len(runs) == 0 {
		return nil
	}
	return groupPlaces(runs)
}

// windowRuns returns maximal runs of consecutive matching k-windows.
func windowRuns(rs []rune, k int) []repeatRun {
	n := len(rs)
	if n < 2*k {
		return nil
	}
	const base = 1000003
	var pow uint64 = 1
	for i := 0; i < k-1; i++ {
		pow *= base
	}
	var h uint64
	for i := 0; i < k; i++ {
		h = h*base + uint64(rs[i])
	}
	last := make(map[uint64]int, n)
	match := make([]int, n-k+1) // earlier window with the same content, -1 when none
	for i := 0; ; i++ {
		match[i] = -1
		if j, ok := last[h]; ok && i-j >= k && slices.Equal(rs[i:i+k], rs[j:j+k]) {
			match[i] = j
		}
		last[h] = i
		if i+k >= n {
			break
		}
		h = (h-uint64(rs[i])*pow)*base + uint64(rs[i+k])
	}
	var runs []repeatRun
	for i := 0; i < len(match); i++ {
		if match[i] < 0 {
			continue
		}
		i0, j0 := i, match[i]
		for i+1 < len(match) && match[i+1] == match[i]+1 {
			i++
		}
		a, b := span{j0, match[i] + k}, span{i0, i + k}
		if a.end > b.start {
			// A passage pasted twice back to back, where the repeat runs
			// on into its own copy: keep one period on each side.
			period := b.start - a.start
			a.end, b.end = b.start, b.start+period
		}
		runs = append(runs, repeatRun{a: a, b: b})
	}
	return runs
}

// mergeNearRuns joins runs of the same pair of places that are separated by
// a few differing characters on both sides (a changed year or word).
func mergeNearRuns(runs []repeatRun) []repeatRun {
	sort.Slice(runs, func(x, y int) bool {
		dx, dy := runs[x].b.start-runs[x].a.start, runs[y].b.start-runs[y].a.start
		if dx != dy {
			return dx < dy
		}
		return runs[x].b.start < runs[y].b.start
	})
	var out []repeatRun
	for _, r := range runs {
		if n := len(out); n > 0 {
			p := &out[n-1]
			gap := r.b.start - p.b.end
			sameDiagonal := r.b.start-r.a.start == p.b.start-p.a.start
			if sameDiagonal && gap >= 0 && gap <= maxMergeGap {
				p.a.end, p.b.end = r.a.end, r.b.end
				continue
			}
		}
		out = append(out, r)
	}
	return out
}

// groupPlaces merges overlapping spans into places and groups the places
// linked by runs, so a passage copied three times is one group of three.
func groupPlaces(runs []repeatRun) [][]span {
	var all []span
	for _, r := range runs {
		all = append(all, r.a, r.b)
	}
	sort.Slice(all, func(x, y int) bool { return all[x].start < all[y].start })
	var places []span
	for _, s := range all {
		if n := len(places); n > 0 && s.start < places[n-1].end {
			places[n-1].end = max(places[n-1].end, s.end)
			continue
		}
		places = append(places, s)
	}
	placeOf := func(s span) int {
		return sort.Search(len(places), func(i int) bool { return places[i].end > s.start })
	}
	parent := make([]int, len(places))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for _, r := range runs {
		pa, pb := find(placeOf(r.a)), find(placeOf(r.b))
		if pa != pb {
			parent[max(pa, pb)] = min(pa, pb)
		}
	}
	groups := map[int][]span{}
	var roots []int
	for i, p := range places {
		root := find(i)
		if _, seen := groups[root]; !seen {
			roots = append(roots, root)
		}
		groups[root] = append(groups[root], p)
	}
	var out [][]span
	for _, root := range roots {
		if len(groups[root]) > 1 {
			out = append(out, groups[root])
		}
	}
	return out
}

// outsideTable drops the places inside a table (the same explanation in two
// rows' deviation cells is how tables are filled in, not a copied
// paragraph) and in site chrome (a web page printing its metadata twice).
func outsideTable(in *Input, ct *compactText, places []span) []span {
	var out []span
	for _, p := range places {
		start, end := ct.bytes(p)
		if in.Doc.InTable(start) && in.Doc.InTable(end-1) || in.Doc.InChrome(start) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// proseCount is how many places of a passage read as running text.
// Repeated table rows, cells printed one per line and lists of short
// headings can add up to 50 characters without being a copied paragraph.
func proseCount(ct *compactText, places []span) int {
	n := 0
	for _, p := range places {
		start, end := ct.bytes(p)
		if isProse(ct.text[start:end]) {
			n++
		}
	}
	return n
}

// isProse: mostly Chinese words (a number counting as one word), with
// sentence punctuation, written in pieces (lines, or cells separated by runs
// of spaces) that are mostly long.
func isProse(s string) bool {
	var han, total, punct int
	inNumber := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			continue
		}
		number := r >= '0' && r <= '9' || inNumber && (r == '.' || r == ',')
		if number && inNumber {
			continue
		}
		inNumber = number
		total++
		switch {
		case unicode.Is(unicode.Han, r):
			han++
		case r == '，' || r == '。' || r == '；' || r == '、' || r == '：' || r == ',' || r == ';':
			punct++
		}
	}
	if total == 0 || han*2 < total || punct < 2 {
		return false
	}
	inLong := 0
	for _, piece := range pieces(s) {
		if n := utf8.RuneCountInString(piece); n >= minProsePiece {
			inLong += n
		}
	}
	return inLong*10 >= total*6
}

// minProsePiece is the shortest line or cell counted as running text; list
// items and table cells are shorter.
const minProsePiece = 20

// pieces splits s at line breaks and at runs of two or more spaces (table
// columns), dropping the spaces.
func pieces(s string) []string {
	var out []string
	var cur []rune
	spaces := 0
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
		}
		cur = cur[:0]
	}
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\f' || r == '\t':
			flush()
			spaces = 0
		case unicode.IsSpace(r):
			spaces++
			if spaces == 2 {
				flush()
			}
		default:
			spaces = 0
			cur = append(cur, r)
		}
	}
	flush()
	return out
}
