-- 010: the full-text index is made by index.go, in one of two forms: FTS5
-- (report_fts) when the binary's SQLite has it (the build tag sqlite_fts5),
-- else a table of each report's distinct tokens (report_terms), which any
-- SQLite has. text_index names the form that holds every report not waiting
-- in fts_pending; a store opened by a binary of the other form is indexed
-- again in that form (index.go), so a store moves between builds freely.
--
-- Every store made before this one was made by a binary with FTS5, and an
-- index of the ascii form (006) is current; a store without one gets its
-- index when it opens.

CREATE TABLE text_index (
    engine TEXT NOT NULL
);
INSERT INTO text_index (engine)
    SELECT 'fts5' FROM sqlite_master WHERE name = 'report_fts' AND sql LIKE '%''ascii''%';

-- The tokens of each report (storelogic.Bigrams of its organisation,
-- project and text), each once. A query finds the reports holding all its
-- tokens by the primary key; the index on report_id lets a report's rows
-- go with it (ON DELETE CASCADE) without reading the whole table.
CREATE TABLE report_terms (
    term      TEXT    NOT NULL,
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    PRIMARY KEY (term, report_id)
) WITHOUT ROWID;
CREATE INDEX report_terms_report ON report_terms (report_id);
