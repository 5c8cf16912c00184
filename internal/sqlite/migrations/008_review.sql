-- 008: one report per body, project, kind and year, with versions; and the
-- reviewers' marks and statuses.
--
-- A document of a report already stored (its text and PDF twins, a revised
-- resubmission) is a version of that report: lineage is the report's id,
-- the id of its first version, and latest marks the version that stands
-- for it (the last saved). A report's id is its lineage, so it stays the
-- same whatever versions arrive. Reports whose project is not known are
-- never grouped: two of them may be different projects.
ALTER TABLE reports ADD COLUMN lineage INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN latest INTEGER NOT NULL DEFAULT 1;
UPDATE reports SET lineage = id;
UPDATE reports SET lineage = (SELECT min(o.id) FROM reports o WHERE o.series_org = reports.series_org
    AND o.project = reports.project AND o.kind = reports.kind AND o.year = reports.year)
    WHERE series_org != '' AND year > 0 AND NOT (project = '' AND kind = 'project');
UPDATE reports SET latest = CASE WHEN id = (SELECT max(o.id) FROM reports o WHERE o.lineage = reports.lineage) THEN 1 ELSE 0 END;
CREATE INDEX reports_lineage ON reports (lineage);

-- Marks on findings, by report (lineage) and finding key (rule and quotes,
-- pipeline.FindingKey): a re-extraction that finds the same thing finds its
-- mark. No foreign key: a mark outlives a version replaced under it.
CREATE TABLE finding_marks (
    report_id  INTEGER NOT NULL,
    finding_key TEXT   NOT NULL,
    rule       TEXT    NOT NULL,
    quote      TEXT    NOT NULL DEFAULT '',
    status     TEXT    NOT NULL CHECK (status IN ('confirmed', 'false_alarm', 'fixed')),
    comment    TEXT    NOT NULL DEFAULT '',
    reviewer   TEXT    NOT NULL DEFAULT '',
    marked_at  TEXT    NOT NULL, -- RFC 3339, UTC
    PRIMARY KEY (report_id, finding_key)
);
CREATE INDEX finding_marks_key ON finding_marks (finding_key);

-- The review status of a report (lineage); none recorded is 待审.
CREATE TABLE review_states (
    report_id  INTEGER PRIMARY KEY,
    status     TEXT    NOT NULL CHECK (status IN ('pending', 'in_review', 'reviewed', 'returned')),
    comment    TEXT    NOT NULL DEFAULT '',
    reviewer   TEXT    NOT NULL DEFAULT '',
    updated_at TEXT    NOT NULL
);
