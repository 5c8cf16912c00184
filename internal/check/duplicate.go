package check

import (
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/jixiao/jixiao/internal/passage"
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
		Values:   map[string]pipeline.ValueKind{"occurrences": pipeline.ValueCount, "chars": pipeline.ValueCount},
	})
}

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
	for _, places := range passage.Repeats(ct, passage.MinRunes, maxMergeGap) {
		places = outsideTable(in, ct, places)
		if proseCount(ct, places) < 2 {
			continue
		}
		out = append(out, duplicateFinding(in, ct, places))
	}
	return out
}

func duplicateFinding(in *Input, ct *passage.Text, places []passage.Span) pipeline.Finding {
	longest := 0
	ev := make([]pipeline.Evidence, 0, len(places))
	for _, p := range places {
		longest = max(longest, p.End-p.Start)
		start, end := ct.Bytes(p)
		ev = append(ev, in.Doc.Evidence(start, end))
	}
	first := places[0]
	head := string(ct.Orig[first.Start:min(first.End, first.Start+30)])
	if first.End-first.Start > 30 {
		head += "…"
	}
	return pipeline.Finding{
		Message:  fmt.Sprintf("以下段落重复出现 %d 次（约 %d 字）：“%s”", len(places), longest, head),
		Values:   pipeline.Values{"occurrences": pipeline.CountValue(len(places)), "chars": pipeline.CountValue(longest)},
		Evidence: ev,
	}
}

// outsideTable drops the places inside a table (the same explanation in two
// rows' deviation cells is how tables are filled in, not a copied
// paragraph) and in site chrome (a web page printing its metadata twice).
func outsideTable(in *Input, ct *passage.Text, places []passage.Span) []passage.Span {
	var out []passage.Span
	for _, p := range places {
		start, end := ct.Bytes(p)
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
func proseCount(ct *passage.Text, places []passage.Span) int {
	n := 0
	for _, p := range places {
		start, end := ct.Bytes(p)
		if isProse(ct.Source[start:end]) {
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
