package document

import (
	"strings"
	"unicode/utf8"
)

// Sentence is a sentence of a paragraph (up to 。！？; a ； joins the clauses
// of one sentence), or one table cell.
type Sentence struct {
	Start, End int // byte range in Doc.Text, the closing mark included
	Block      int // index in Doc.Blocks
}

// MaxSentence bounds a sentence in bytes (about 700 Chinese characters,
// twice the longest sentence of the corpora). Text that runs on further
// without 。！？ — a flattened Word dump, a table run into one line, a
// hostile upload — is cut at its last clause end inside the bound, so every
// scan from a figure to its sentence's ends is bounded and extraction stays
// linear in the input.
const MaxSentence = 2048

// IsSentenceEnd reports a character that closes a sentence.
func IsSentenceEnd(r rune) bool {
	switch r { // asked of every character: a switch, not a search
	case '。', '！', '？', '!', '?':
		return true
	}
	return false
}

// IsClauseEnd reports a character that closes a clause.
func IsClauseEnd(r rune) bool {
	switch r {
	case '，', ',', '：', ':', '；', ';':
		return true
	}
	return false
}

// splitSentences appends the sentences of block bi to out.
func splitSentences(text string, bi int, b *Block, out []Sentence) []Sentence {
	if b.Kind == ChromeBlock {
		return out
	}
	if b.Kind == TableBlock {
		for _, c := range b.Table.Cells() {
			if !c.Empty() {
				out = append(out, Sentence{Start: c.Start, End: c.End, Block: bi})
			}
		}
		return out
	}
	start, clause := b.Start, -1
	for i := b.Start; i < b.End; {
		r, w := utf8.DecodeRuneInString(text[i:])
		i += w
		switch {
		case IsSentenceEnd(r):
			out = appendSentence(text, out, start, i, bi)
			start, clause = i, -1
		case IsClauseEnd(r):
			clause = i
		}
		if i-start >= MaxSentence {
			cut := overlongCut(start, i, clause)
			out = appendSentence(text, out, start, cut, bi)
			start, clause = cut, -1
		}
	}
	return appendSentence(text, out, start, b.End, bi)
}

// overlongCut is where a sentence that reached MaxSentence at i without a
// closing mark is cut: after its last clause end, else at i.
func overlongCut(start, i, clause int) int {
	if clause > start {
		return clause
	}
	return i
}

func appendSentence(text string, out []Sentence, start, end, bi int) []Sentence {
	for start < end && (text[start] == ' ' || text[start] == '\t') {
		start++
	}
	if start < end {
		out = append(out, Sentence{Start: start, End: end, Block: bi})
	}
	return out
}

// ClauseStart is where the clause holding off begins, not before from.
func ClauseStart(text string, from, off int) int {
	from = max(from, off-MaxSentence) // bounded, as sentences are
	for off > from {
		r, w := utf8.DecodeLastRuneInString(text[:off])
		if IsClauseEnd(r) || IsSentenceEnd(r) || r == '\n' {
			break
		}
		off -= w
	}
	return off
}

// ClauseEnd is where the clause holding off ends, not after to.
func ClauseEnd(text string, off, to int) int {
	to = min(to, off+MaxSentence) // bounded, as sentences are
	for off < to {
		r, w := utf8.DecodeRuneInString(text[off:])
		if IsClauseEnd(r) || IsSentenceEnd(r) || r == '\n' {
			break
		}
		off += w
	}
	return off
}

// unitRunes are the characters a unit is written with (人次, 台（套）, 万元,
// 平方米), so a wrapped unit is told from a word such as 完成 or 长期.
const unitRunes = "个人次场户元亩吨台套（）()所家项件条座名位份册张本篇批辆架头只株棵千万亿米公里平方立克斤年月日天周小时分秒%％‰"

// IsUnitTail reports a short piece made only of unit characters (人次, 万元):
// a figure's unit that a line break or a PDF's spacing cut from its number.
func IsUnitTail(s string) bool {
	if s == "" || utf8.RuneCountInString(s) > 3 {
		return false
	}
	for _, r := range s {
		if !strings.ContainsRune(unitRunes, r) {
			return false
		}
	}
	return true
}

// ClosesStatement reports a piece of text (a cell, a line) that ends a
// sentence or a clause of a list: 。！？ or ；.
func ClosesStatement(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(strings.TrimSpace(s))
	return IsSentenceEnd(r) || r == '；' || r == ';'
}

// SentenceEnd returns the offset just past the sentence that holds off in
// text (its closing mark or the end of its line).
func SentenceEnd(text string, off int) int {
	limit, clause := min(len(text), off+MaxSentence), -1
	for off < limit {
		r, w := utf8.DecodeRuneInString(text[off:])
		off += w
		if IsSentenceEnd(r) || r == '\n' {
			return off
		}
		if IsClauseEnd(r) {
			clause = off
		}
	}
	if off < len(text) && clause >= 0 {
		return clause // an overlong run: its last clause inside the bound
	}
	return off
}

// SentenceStart returns the offset where the sentence that holds off in
// text begins.
func SentenceStart(text string, off int) int {
	limit, clause := max(0, off-MaxSentence), -1
	for off > limit {
		r, w := utf8.DecodeLastRuneInString(text[:off])
		if IsSentenceEnd(r) || r == '\n' {
			return off
		}
		if clause < 0 && IsClauseEnd(r) {
			clause = off
		}
		off -= w
	}
	if off > 0 && clause >= 0 {
		return clause // an overlong run: from the clause holding off
	}
	return off
}

// SentenceBounds remembers the last sentence it found in one text, so a
// pass over the figures of a text in order, asking for each one's sentence,
// scans each sentence once instead of once per figure.
type SentenceBounds struct {
	Text       string
	start, end int
}

// At returns the bounds of the sentence holding off, as SentenceStart and
// SentenceEnd give them.
func (b *SentenceBounds) At(off int) (start, end int) {
	if b.end > 0 && off >= b.start && off < b.end {
		return b.start, b.end
	}
	b.start, b.end = SentenceStart(b.Text, off), SentenceEnd(b.Text, off)
	return b.start, b.end
}
