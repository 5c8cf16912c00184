-- 009: a document may hold several reports: a workbook of several
-- projects' self-evaluation forms, one per sheet or several stacked on one
-- sheet. A document's reports are told apart by their place: the sheet
-- (source.sheet) and, when it holds several forms, the form's place on it
-- (source.form); "" and 0 for a document of one report. A document read
-- again keeps each report's id by its place.
--
-- SQLite cannot drop a column's UNIQUE (reports.document_id), so the table
-- is rebuilt as SQLite's own procedure for schema changes says: the store
-- runs its migrations with foreign keys off (dropping the old table would
-- otherwise delete every row of the tables that refer to it, ON DELETE
-- CASCADE) and checks them before this commits. Ids are kept, so the rows
-- that refer to reports, the full-text index (whose rowid is the report
-- id) and its waiting list still point at their reports; every index is
-- made again. A workbook read as one report before keeps its sheet, read
-- from its stored extraction.
CREATE TABLE reports_new (
    id             INTEGER PRIMARY KEY,
    document_id    INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    sheet          TEXT    NOT NULL DEFAULT '',
    form           INTEGER NOT NULL DEFAULT 0,
    organization   TEXT    NOT NULL,
    project        TEXT    NOT NULL,
    kind           TEXT    NOT NULL,
    year           INTEGER NOT NULL,
    planned_fen    INTEGER,
    adjusted_fen   INTEGER,
    executed_fen   INTEGER,
    execution_rate TEXT,
    score          TEXT,
    score_units    INTEGER, -- score × 100, for sorting only
    grade          TEXT    NOT NULL,
    errors         INTEGER NOT NULL DEFAULT 0,
    warnings       INTEGER NOT NULL DEFAULT 0,
    infos          INTEGER NOT NULL DEFAULT 0,
    extraction     TEXT    NOT NULL, -- the extract-v1 JSON object
    text           TEXT    NOT NULL, -- the normalised text evidence points into
    series_org     TEXT    NOT NULL DEFAULT '',
    lineage        INTEGER NOT NULL DEFAULT 0,
    latest         INTEGER NOT NULL DEFAULT 1,
    UNIQUE (document_id, sheet, form)
);
INSERT INTO reports_new (id, document_id, sheet, organization, project, kind, year, planned_fen, adjusted_fen,
    executed_fen, execution_rate, score, score_units, grade, errors, warnings, infos, extraction, text,
    series_org, lineage, latest)
SELECT id, document_id,
    CASE WHEN instr(extraction, '"sheet"') > 0 THEN coalesce(json_extract(extraction, '$.source.sheet'), '') ELSE '' END,
    organization, project, kind, year, planned_fen, adjusted_fen,
    executed_fen, execution_rate, score, score_units, grade, errors, warnings, infos, extraction, text,
    series_org, lineage, latest
FROM reports;
DROP TABLE reports;
ALTER TABLE reports_new RENAME TO reports;
CREATE INDEX reports_series ON reports (organization, project, year);
CREATE INDEX reports_series_org ON reports (series_org, project, year);
CREATE INDEX reports_lineage ON reports (lineage);
