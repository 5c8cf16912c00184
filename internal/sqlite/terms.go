package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/jixiao/jixiao/internal/storelogic"
)

// termIndex is the full-text index without FTS5: report_terms, each
// report's distinct tokens, as PostgreSQL's store keeps them. A query's
// tokens find the candidates through the table's primary key; each word
// of several tokens is then looked for in the report's fields as written,
// which is the phrase check (a Chinese word's bigrams in a row are the
// word). It finds what FTS5 finds and ranks like PostgreSQL, by how
// densely the text holds the words.
type termIndex struct{}

func (termIndex) engine() string { return "terms" }

// create empties the table. An FTS5 table of the store is left alone: a
// binary without FTS5 cannot drop it, and one with FTS5 makes it afresh
// when it takes the store back.
func (termIndex) create(ctx context.Context, tx *sqlx.Tx) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM report_terms`)
	return err
}

// add writes each report's distinct tokens, all in one statement per
// report (json_each of the list) rather than one per token.
func (termIndex) add(ctx context.Context, tx *sqlx.Tx, rows []pendingRow) error {
	for _, r := range rows {
		terms, err := json.Marshal(distinctTerms(r.Org, r.Project, r.Text))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO report_terms (term, report_id)
			SELECT value, ? FROM json_each(?)`, r.ID, string(terms)); err != nil {
			return err
		}
	}
	return nil
}

// distinctTerms is the tokens of fields, each once.
func distinctTerms(fields ...string) []string {
	seen := map[string]bool{}
	terms := []string{}
	for _, f := range fields {
		for _, t := range storelogic.Bigrams(f) {
			if !seen[t] {
				seen[t] = true
				terms = append(terms, t)
			}
		}
	}
	return terms
}

// remove has nothing to do: a report's tokens go with it (ON DELETE
// CASCADE), and a document read again deletes its reports.
func (termIndex) remove(context.Context, *sqlx.Tx, int64) error { return nil }

// match finds the reports holding every token of every word (a lone
// character as the start of a token, as FTS5's prefix query) through the
// primary key, then each word of several tokens as written in a field.
func (termIndex) match(words []storelogic.Word) (string, []any) {
	var sets []string
	var args []any
	for _, w := range words {
		for _, t := range w.Tokens {
			if w.Prefix() {
				// Every token starting with t sorts from t to t followed by
				// the last code point (SQLite compares UTF-8 bytes, which
				// sort as code points).
				sets = append(sets, `SELECT report_id FROM report_terms WHERE term >= ? AND term < ?`)
				args = append(args, t, t+"\U0010FFFF")
				continue
			}
			sets = append(sets, `SELECT report_id FROM report_terms WHERE term = ?`)
			args = append(args, t)
		}
	}
	written, more := storelogic.AsWritten(words, "instr")
	conds := append([]string{"r.id IN (" + strings.Join(sets, " INTERSECT ") + ")"}, written...)
	return strings.Join(conds, " AND "), append(args, more...)
}

// search ranks the matches by the words' occurrences per character of
// text, then newest year, as PostgreSQL's store does.
func (ix termIndex) search(words []storelogic.Word, limit int) (string, []any) {
	cond, args := ix.match(words)
	rank := make([]string, len(words))
	for i, w := range words {
		word, fold := storelogic.Caseless(w.Text)
		rank[i] = fmt.Sprintf("(length(%[1]s) - length(replace(%[1]s, ?, ''))) / length(?)", fold("r.text"))
		args = append(args, word, word)
	}
	q := fmt.Sprintf(`SELECT r.lineage AS id, d.name, r.organization, r.project, r.year, r.text
		FROM reports r JOIN documents d ON d.id = r.document_id
		WHERE %s AND r.latest = 1 ORDER BY (%s) * 1.0 / (length(r.text) + 1) DESC, r.year DESC, r.id LIMIT ?`, cond, strings.Join(rank, " + "))
	return q, append(args, limit)
}
