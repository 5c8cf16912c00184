-- 002: the series an organisation's reports belong to. Reports name their
-- body in full (宁夏回族自治区文化和旅游厅) or without the place
-- (自治区文化和旅游厅); series_org is the full name when the store knows
-- exactly one that the short form can stand for.

CREATE TABLE organizations (
    name      TEXT PRIMARY KEY,
    canonical TEXT NOT NULL
);

ALTER TABLE reports ADD COLUMN series_org TEXT NOT NULL DEFAULT '';
UPDATE reports SET series_org = organization;
INSERT OR IGNORE INTO organizations (name, canonical) SELECT DISTINCT organization, organization FROM reports;
CREATE INDEX reports_series_org ON reports (series_org, project, year);
