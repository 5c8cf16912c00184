package sqlite

import (
	"context"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/jixiao/jixiao/internal/storelogic"
)

// ftsIndex is the full-text index in FTS5: report_fts, over the segmented
// text (tokens separated by spaces, which the ascii tokenizer splits on and
// keeps non-ASCII characters inside); rowid is the report id. It is
// contentless: the text itself is in reports.text, the index only points.
type ftsIndex struct{}

func (ftsIndex) engine() string { return "fts5" }

// create makes report_fts afresh and empties the token table, which the
// store no longer reads.
func (ftsIndex) create(ctx context.Context, tx *sqlx.Tx) error {
	for _, q := range []string{`DROP TABLE IF EXISTS report_fts`, `CREATE VIRTUAL TABLE report_fts USING fts5 (
			organization,
			project,
			body,
			tokenize = 'ascii',
			content = '',
			contentless_delete = 1
		)`, `DELETE FROM report_terms`} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

func (ftsIndex) add(ctx context.Context, tx *sqlx.Tx, rows []pendingRow) error {
	for _, r := range rows {
		if _, err := tx.ExecContext(ctx, `INSERT INTO report_fts (rowid, organization, project, body) VALUES (?, ?, ?, ?)`,
			r.ID, storelogic.Segment(r.Org), storelogic.Segment(r.Project), storelogic.Segment(r.Text)); err != nil {
			return err
		}
	}
	return nil
}

// remove deletes the document's indexed reports; only an indexed report
// has rows there to delete (a waiting one leaves the list with its
// report).
func (ftsIndex) remove(ctx context.Context, tx *sqlx.Tx, docID int64) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM report_fts WHERE rowid IN (SELECT id FROM reports
		WHERE document_id = ? AND id NOT IN (SELECT report_id FROM fts_pending))`, docID)
	return err
}

func (ftsIndex) match(words []storelogic.Word) (string, []any) {
	return "r.id IN (SELECT rowid FROM report_fts WHERE report_fts MATCH ?)", []any{matchExpr(words)}
}

// search ranks the matches by FTS5's bm25, then newest year.
func (ftsIndex) search(words []storelogic.Word, limit int) (string, []any) {
	return `SELECT r.lineage AS id, d.name, r.organization, r.project, r.year, r.text
		FROM report_fts f JOIN reports r ON r.id = f.rowid JOIN documents d ON d.id = r.document_id
		WHERE report_fts MATCH ? AND r.latest = 1 ORDER BY bm25(report_fts), r.year DESC, r.id LIMIT ?`, []any{matchExpr(words), limit}
}

// matchExpr turns query words into an FTS5 expression: every word must
// appear, each as a phrase of its tokens (so "采购程序" matches that string,
// not its characters scattered). A lone Chinese character matches as a
// prefix of the bigrams. Quotes in the input cannot inject syntax: each
// token is quoted with its quotes doubled.
func matchExpr(words []storelogic.Word) string {
	parts := make([]string, len(words))
	for i, w := range words {
		q := make([]string, len(w.Tokens))
		for j, t := range w.Tokens {
			q[j] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
		}
		if w.Prefix() {
			parts[i] = q[0] + "*"
			continue
		}
		parts[i] = strings.Join(q, " + ")
	}
	return strings.Join(parts, " AND ")
}
