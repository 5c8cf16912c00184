package storelogic

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Word is one word of a search query with the tokens it is cut into.
type Word struct {
	Text   string
	Tokens []string
}

// Prefix tells that the word is a lone character, which matches as the
// start of a token (a bigram holding it) rather than as a whole token.
func (w Word) Prefix() bool {
	return len(w.Tokens) == 1 && utf8.RuneCountInString(w.Tokens[0]) == 1
}

// QueryWords cuts a user's query into its words (separated by spaces), each
// with its tokens; words with no token (punctuation only) are dropped. A
// report matches when it holds every word, each as a run of its tokens.
func QueryWords(query string) []Word {
	var out []Word
	for _, w := range strings.Fields(query) {
		if toks := Bigrams(w); len(toks) > 0 {
			out = append(out, Word{Text: w, Tokens: toks})
		}
	}
	return out
}

// Caseless is the word and the SQL that folds a column's case for
// comparing with it (the stores that look for a word in the text as
// written): the identity for words with no letter that has case
// (Chinese), lower() else. SQLite's lower() folds ASCII letters only.
func Caseless(word string) (string, func(col string) string) {
	if strings.ToLower(word) == word && strings.ToUpper(word) == word {
		return word, func(col string) string { return col }
	}
	return strings.ToLower(word), func(col string) string { return "lower(" + col + ")" }
}

// AsWritten is the SQL condition, one per word of several tokens, that
// the word stands as written (its tokens in a row) in a report's text,
// organisation or project, once the index has found reports holding its
// tokens; find names the store's substring function (instr, strpos).
func AsWritten(words []Word, find string) (conds []string, args []any) {
	for _, w := range words {
		if len(w.Tokens) == 1 {
			continue
		}
		word, fold := Caseless(w.Text)
		conds = append(conds, fmt.Sprintf("(%[1]s(%[2]s, ?) > 0 OR %[1]s(%[3]s, ?) > 0 OR %[1]s(%[4]s, ?) > 0)",
			find, fold("r.text"), fold("r.organization"), fold("r.project")))
		args = append(args, word, word, word)
	}
	return conds, args
}

// Matches tells whether the fields of a report (organisation, project,
// text) hold every word of the query the way the full-text index finds
// them: the word's tokens one after the other within one field.
func Matches(words []Word, fields ...string) bool {
	streams := make([][]string, len(fields))
	for i, f := range fields {
		streams[i] = Bigrams(f)
	}
	for _, w := range words {
		if !slices.ContainsFunc(streams, func(s []string) bool { return holds(s, w) }) {
			return false
		}
	}
	return true
}

func holds(stream []string, w Word) bool {
	for i := range stream {
		if w.Prefix() {
			if strings.HasPrefix(stream[i], w.Tokens[0]) {
				return true
			}
			continue
		}
		if i+len(w.Tokens) <= len(stream) && slices.Equal(stream[i:i+len(w.Tokens)], w.Tokens) {
			return true
		}
	}
	return false
}

// Snippet is about 60 characters of text around the first query word
// found, the word marked 【】, line breaks shown as spaces.
func Snippet(text, query string) string {
	at, word := -1, ""
	for _, w := range strings.Fields(query) {
		if i := strings.Index(text, w); i >= 0 && (at < 0 || i < at) {
			at, word = i, w
		}
	}
	if at < 0 {
		return clipRunes(text, 0, 60)
	}
	before := []rune(text[:at])
	start := max(0, len(before)-25)
	after := []rune(text[at+len(word):])
	end := min(len(after), 35)
	pre := string(before[start:])
	if start > 0 {
		pre = "…" + pre
	}
	post := string(after[:end])
	if end < len(after) {
		post += "…"
	}
	return flatten(pre + "【" + word + "】" + post)
}

func clipRunes(s string, from, n int) string {
	r := []rune(s)
	if from > len(r) {
		return ""
	}
	r = r[from:]
	if len(r) > n {
		return flatten(string(r[:n])) + "…"
	}
	return flatten(string(r))
}

func flatten(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, s)
}
