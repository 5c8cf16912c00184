package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/jixiao/jixiao/internal/storelogic"
)

// The full-text index keeps, per report, the set of its search tokens
// (storelogic.Bigrams: character bigrams, lower-cased words) as a tsvector
// without positions, under GIN. tsvector positions could check phrases,
// but PostgreSQL keeps at most 256 positions per lexeme and none past
// 16,383, which a long report's common bigrams pass; without them there is
// no limit but the tsvector's 1 MB. A query's tokens find the candidates
// through the index; each word is then looked for in the report's fields
// themselves, which is the phrase check (a Chinese word's bigrams in a row
// are the word). The tsvector and tsquery are built here, not by
// to_tsvector, so no text search configuration or locale has a say.

// maxTerms bounds a report's tsvector well under PostgreSQL's 1 MB; a
// report with more distinct tokens than this (some megabytes of varied
// text) is searchable by its first maxTerms.
const maxTerms = 60000

// maxTermBytes skips tokens PostgreSQL refuses as lexemes (2 KB).
const maxTermBytes = 1024

// IndexReport writes the report's tokens in the save's transaction.
func (s *Store) IndexReport(ctx context.Context, tx *sqlx.Tx, id int64, fields ...string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO report_terms (report_id, terms)
		VALUES ($1, array_to_tsvector(string_to_array($2, ' ')))`, id, termList(fields))
	return err
}

// termList is the distinct tokens of fields, separated by spaces.
func termList(fields []string) string {
	seen := map[string]struct{}{}
	var terms []string
	for _, f := range fields {
		for _, t := range storelogic.Bigrams(f) {
			if _, dup := seen[t]; dup || len(t) > maxTermBytes || len(terms) >= maxTerms {
				continue
			}
			seen[t] = struct{}{}
			terms = append(terms, t)
		}
	}
	if len(terms) == 0 {
		return "" // string_to_array('') is the empty array
	}
	return strings.Join(terms, " ")
}

// UnindexDocument has nothing to do: the terms go with their report.
func (s *Store) UnindexDocument(context.Context, *sqlx.Tx, int64) error { return nil }

// Saved has nothing to do: the index took the reports in their transaction.
func (s *Store) Saved(context.Context, int) error { return nil }

// MatchReports is the index lookup and each word's check in the fields.
func (s *Store) MatchReports(_ context.Context, words []storelogic.Word) (string, []any, error) {
	cond, args := matchCond(words)
	return cond, args, nil
}

// matchCond finds the reports holding every token of every word through
// the index; a word of several tokens must then be found as written (its
// tokens in a row) in a field. A one-token word needs no second look, so a
// search for a common short word reads no text.
func matchCond(words []storelogic.Word) (string, []any) {
	written, args := storelogic.AsWritten(words, "strpos")
	conds := append([]string{"r.id IN (SELECT report_id FROM report_terms WHERE terms @@ ?::tsquery)"}, written...)
	return strings.Join(conds, " AND "), append([]any{tsquery(words)}, args...)
}

// SearchReports ranks the matches by how densely their text holds the
// words (occurrences per character of text), then newest year. Counting
// reads each matching text once per word.
func (s *Store) SearchReports(_ context.Context, words []storelogic.Word, limit int) (string, []any, error) {
	cond, args := matchCond(words)
	rank := make([]string, len(words))
	for i, w := range words {
		word, fold := storelogic.Caseless(w.Text)
		rank[i] = fmt.Sprintf("(cardinality(string_to_array(%s, ?)) - 1)", fold("r.text"))
		args = append(args, word)
	}
	q := fmt.Sprintf(`SELECT r.lineage AS id, d.name, r.organization, r.project, r.year, r.text
		FROM reports r JOIN documents d ON d.id = r.document_id
		WHERE %s AND r.latest = 1 ORDER BY (%s)::float8 / (r.text_chars + 1) DESC, r.year DESC, r.id LIMIT ?`, cond, strings.Join(rank, " + "))
	return q, append(args, limit), nil
}

// tsquery is the query's tokens as a tsquery: every token of every word
// (a lone character as the prefix of a token), quoted so that nothing in
// them is syntax.
func tsquery(words []storelogic.Word) string {
	var parts []string
	for _, w := range words {
		for _, t := range w.Tokens {
			q := "'" + strings.ReplaceAll(strings.ReplaceAll(t, `\`, `\\`), "'", "''") + "'"
			if w.Prefix() {
				q += ":*"
			}
			parts = append(parts, q)
		}
	}
	return strings.Join(slices.Compact(parts), " & ")
}
