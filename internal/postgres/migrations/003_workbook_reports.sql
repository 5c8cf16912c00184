-- 003: a document may hold several reports (a workbook of several
-- projects' forms), told apart by their place: the sheet and, when it
-- holds several forms, the form's place on it; "" and 0 for a document of
-- one report (see SQLite's 009). A workbook read as one report before
-- keeps its sheet, read from its stored extraction.
ALTER TABLE reports ADD COLUMN sheet text NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN form integer NOT NULL DEFAULT 0;
UPDATE reports SET sheet = coalesce(extraction::json #>> '{source,sheet}', '')
    WHERE strpos(extraction, '"sheet"') > 0;
ALTER TABLE reports DROP CONSTRAINT reports_document_id_key;
ALTER TABLE reports ADD CONSTRAINT reports_document_place UNIQUE (document_id, sheet, form);
