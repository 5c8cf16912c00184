package normalize

import (
	"strings"
	"unicode/utf8"

	"github.com/jixiao/jixiao/internal/document"
	"github.com/jixiao/jixiao/internal/vocab"
)

// flatMin is the length (in characters) from which a line may be a whole
// document flattened onto one line, as a .docx dump gives it: paragraphs,
// wrapped lines and table cells all separated by single spaces.
const flatMin = 120

// unflatten cuts flattened lines back into the lines they were: before a
// heading or list number, after a section heading's title, before an
// attachment (附件, 附表), before a form's title and around a run of
// converter metadata. The pieces keep their source line.
func unflatten(ls []srcLine) []srcLine {
	var out []srcLine
	for _, l := range ls {
		if l.blank || utf8.RuneCountInString(l.text) < flatMin || !strings.Contains(strings.TrimSpace(l.text), " ") {
			out = append(out, l)
			continue
		}
		for _, piece := range cutFlat(strings.TrimSpace(l.text)) {
			p := l
			p.text = piece
			out = append(out, p)
			l.pageStart = false
		}
	}
	return out
}

// cutFlat cuts a flattened line at the places where a line break stood.
func cutFlat(s string) []string {
	var out []string
	start := 0
	inForm := false
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' || i == start {
			continue
		}
		rest := s[i+1:]
		if cut, form := breakBefore(s[start:i], rest, inForm); cut {
			out = append(out, strings.TrimSpace(s[start:i]))
			start = i + 1
			inForm = inForm || form
		}
	}
	out = append(out, strings.TrimSpace(s[start:]))
	return splitMetadata(splitHeadingTitles(out))
}

// breakBefore decides whether a line break stood before rest (the text after
// a space), given the piece so far. Inside a flattened form only the end of
// the form breaks the line: its cells stay on one line, its rows are read
// by the table reader.
func breakBefore(piece, rest string, inForm bool) (cut, form bool) {
	if formStart(rest) {
		return true, true
	}
	if inForm {
		return false, false
	}
	if strings.HasPrefix(rest, "附件") || strings.HasPrefix(rest, "附表") || strings.HasPrefix(rest, "附：") || strings.HasPrefix(rest, "附:") {
		return true, false
	}
	m, ok := document.ParseMarker(rest)
	if !ok || m.Title == "" {
		return false, false
	}
	if m.Level == 3 || m.Level == 4 {
		// 1. and （1） also stand inside sentences; a list item follows the
		// end of a sentence, or a heading.
		last, _ := utf8.DecodeLastRuneInString(piece)
		if !document.IsSentenceEnd(last) && !isHan(last) {
			return false, false
		}
	}
	return true, false
}

// formStart: rest opens with a self-evaluation form's title followed by
// its cells (项目支出绩效自评表 （2022年度） 项目名称 …).
func formStart(rest string) bool {
	end := strings.IndexByte(rest, ' ')
	if end < 0 {
		return false
	}
	title := rest[:end]
	if utf8.RuneCountInString(title) > 24 || !strings.Contains(title, "绩效") {
		return false
	}
	for _, w := range vocab.Form.Words("title") {
		if strings.HasSuffix(title, w) {
			return true
		}
	}
	return false
}

// splitHeadingTitles cuts a section heading's title from the paragraph
// run on after it (二、自评结论 自评总分 89.50分): in a flattened document the
// space after a short title was its line break.
func splitHeadingTitles(ps []string) []string {
	var out []string
	for _, p := range ps {
		m, ok := document.ParseMarker(p)
		if !ok || m.Level > 2 {
			out = append(out, p)
			continue
		}
		rest := p[m.Len:]
		sp := strings.IndexByte(rest, ' ')
		title := rest[:max(sp, 0)]
		if sp <= 0 || utf8.RuneCountInString(title) > 20 || strings.ContainsAny(title, "，。；：,;:") || utf8.RuneCountInString(rest[sp:]) < 3 {
			out = append(out, p)
			continue
		}
		out = append(out, p[:m.Len+sp], strings.TrimSpace(rest[sp:]))
	}
	return out
}

// splitMetadata puts a run of converter metadata (lenovo cwk5332 1
// 2017-04-13T02:22:35Z … False) on a line of its own.
func splitMetadata(ps []string) []string {
	var out []string
	for _, p := range ps {
		if !isoTime.MatchString(p) {
			out = append(out, p)
			continue
		}
		words := strings.Split(p, " ")
		lo, hi := -1, -1
		for k, w := range words {
			if isoTime.MatchString(w) {
				if lo < 0 {
					lo = k
				}
				hi = k
			}
		}
		for lo > 0 && asciiWord(words[lo-1]) {
			lo--
		}
		for hi+1 < len(words) && asciiWord(words[hi+1]) {
			hi++
		}
		for _, q := range []string{strings.Join(words[:lo], " "), strings.Join(words[lo:hi+1], " "), strings.Join(words[hi+1:], " ")} {
			if q = strings.TrimSpace(q); q != "" {
				out = append(out, q)
			}
		}
	}
	return out
}

func asciiWord(w string) bool {
	if w == "" {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] >= 0x80 {
			return false
		}
	}
	return true
}

func isHan(r rune) bool { return r >= 0x3400 && r <= 0x9FFF || r >= 0xF900 && r <= 0xFAFF }
