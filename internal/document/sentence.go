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

// sentenceEnds close a sentence.
const sentenceEnds = "。！？!?"

// IsSentenceEnd reports a character that closes a sentence.
func IsSentenceEnd(r rune) bool { return strings.ContainsRune(sentenceEnds, r) }

// clauseEnds close a clause inside a sentence.
const clauseEnds = "，,：:；;"

// IsClauseEnd reports a character that closes a clause.
func IsClauseEnd(r rune) bool { return strings.ContainsRune(clauseEnds, r) }

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
	start := b.Start
	for i := b.Start; i < b.End; {
		r, w := utf8.DecodeRuneInString(text[i:])
		i += w
		if IsSentenceEnd(r) {
			out = appendSentence(text, out, start, i, bi)
			start = i
		}
	}
	return appendSentence(text, out, start, b.End, bi)
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
	for off < len(text) {
		r, w := utf8.DecodeRuneInString(text[off:])
		off += w
		if IsSentenceEnd(r) || r == '\n' {
			break
		}
	}
	return off
}

// SentenceStart returns the offset where the sentence that holds off in
// text begins.
func SentenceStart(text string, off int) int {
	for off > 0 {
		r, w := utf8.DecodeLastRuneInString(text[:off])
		if IsSentenceEnd(r) || r == '\n' {
			break
		}
		off -= w
	}
	return off
}
