-- 002: one report per body, project, kind and year, with versions; and the
-- reviewers' marks and statuses (see SQLite's 008).
ALTER TABLE reports ADD COLUMN lineage bigint NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN latest integer NOT NULL DEFAULT 1;
UPDATE reports SET lineage = id;
UPDATE reports SET lineage = (SELECT min(o.id) FROM reports o WHERE o.series_org = reports.series_org
    AND o.project = reports.project AND o.kind = reports.kind AND o.year = reports.year)
    WHERE series_org != '' AND year > 0 AND NOT (project = '' AND kind = 'project');
UPDATE reports SET latest = CASE WHEN id = (SELECT max(o.id) FROM reports o WHERE o.lineage = reports.lineage) THEN 1 ELSE 0 END;
CREATE INDEX reports_lineage ON reports (lineage);

CREATE TABLE finding_marks (
    report_id   bigint NOT NULL,
    finding_key text   NOT NULL,
    rule        text   NOT NULL,
    quote       text   NOT NULL DEFAULT '',
    status      text   NOT NULL CHECK (status IN ('confirmed', 'false_alarm', 'fixed')),
    comment     text   NOT NULL DEFAULT '',
    reviewer    text   NOT NULL DEFAULT '',
    marked_at   text   NOT NULL,
    PRIMARY KEY (report_id, finding_key)
);
CREATE INDEX finding_marks_key ON finding_marks (finding_key);

CREATE TABLE review_states (
    report_id  bigint PRIMARY KEY,
    status     text   NOT NULL CHECK (status IN ('pending', 'in_review', 'reviewed', 'returned')),
    comment    text   NOT NULL DEFAULT '',
    reviewer   text   NOT NULL DEFAULT '',
    updated_at text   NOT NULL
);
