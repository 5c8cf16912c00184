-- 007: reports whose cross-year findings are stale. Saving a report of an
-- organisation's year marks the stored later years of its series, in the
-- save's transaction: they were judged without it. The import that made
-- the marks judges them again when it ends and clears the marks it read; a
-- killed import leaves them for the next one. seq orders the marks, so a
-- mark made while a judging ran is not cleared by it.

CREATE TABLE history_stale (
    seq       INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE
);
CREATE INDEX history_stale_report ON history_stale (report_id);
