-- 001: documents, reports and their rows, findings with evidence, full-text
-- index. Amounts are INTEGER fen; scores, rates and weights are TEXT decimals
-- exactly as the report wrote them (never REAL), so nothing is rounded.

CREATE TABLE documents (
    id                INTEGER PRIMARY KEY,
    sha256            TEXT    NOT NULL UNIQUE,
    name              TEXT    NOT NULL,
    format            TEXT    NOT NULL DEFAULT '',
    pages             INTEGER NOT NULL DEFAULT 0,
    size              INTEGER NOT NULL DEFAULT 0,
    extractor         TEXT    NOT NULL DEFAULT '',
    extractor_version TEXT    NOT NULL DEFAULT '',
    status            TEXT    NOT NULL CHECK (status IN ('ingested', 'failed')),
    error             TEXT    NOT NULL DEFAULT '',
    ingested_at       TEXT    NOT NULL -- RFC 3339, UTC
);

CREATE TABLE reports (
    id             INTEGER PRIMARY KEY,
    document_id    INTEGER NOT NULL UNIQUE REFERENCES documents (id) ON DELETE CASCADE,
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
    text           TEXT    NOT NULL  -- the normalised text evidence points into
);
CREATE INDEX reports_series ON reports (organization, project, year);
CREATE INDEX reports_year ON reports (year);

CREATE TABLE line_items (
    id        INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    purpose   TEXT    NOT NULL,
    fen       INTEGER NOT NULL,
    quote     TEXT    NOT NULL,
    page      INTEGER NOT NULL,
    line      INTEGER NOT NULL,
    pos       INTEGER NOT NULL
);
CREATE INDEX line_items_report ON line_items (report_id);

CREATE TABLE breakdowns (
    id          INTEGER PRIMARY KEY,
    report_id   INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    total_fen   INTEGER NOT NULL,
    total_quote TEXT    NOT NULL,
    quote       TEXT    NOT NULL,
    page        INTEGER NOT NULL,
    line        INTEGER NOT NULL,
    pos         INTEGER NOT NULL
);
CREATE INDEX breakdowns_report ON breakdowns (report_id);

CREATE TABLE breakdown_items (
    id           INTEGER PRIMARY KEY,
    breakdown_id INTEGER NOT NULL REFERENCES breakdowns (id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    label        TEXT    NOT NULL,
    fen          INTEGER NOT NULL,
    item_quote   TEXT    NOT NULL,
    quote        TEXT    NOT NULL,
    page         INTEGER NOT NULL,
    line         INTEGER NOT NULL,
    pos          INTEGER NOT NULL
);
CREATE INDEX breakdown_items_breakdown ON breakdown_items (breakdown_id);

CREATE TABLE indicators (
    id        INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    level1    TEXT    NOT NULL,
    level2    TEXT    NOT NULL,
    level3    TEXT    NOT NULL,
    target    TEXT    NOT NULL,
    actual    TEXT    NOT NULL,
    weight    TEXT,
    score     TEXT,
    deviation TEXT    NOT NULL,
    quote     TEXT    NOT NULL,
    page      INTEGER NOT NULL,
    line      INTEGER NOT NULL,
    pos       INTEGER NOT NULL
);
CREATE INDEX indicators_report ON indicators (report_id);

CREATE TABLE problems (
    id        INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    text      TEXT    NOT NULL
);
CREATE INDEX problems_report ON problems (report_id);

CREATE TABLE suggestions (
    id        INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    text      TEXT    NOT NULL
);
CREATE INDEX suggestions_report ON suggestions (report_id);

CREATE TABLE sections (
    id        INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    number    TEXT    NOT NULL,
    level     INTEGER NOT NULL,
    title     TEXT    NOT NULL,
    canonical TEXT    NOT NULL,
    line      INTEGER NOT NULL,
    page      INTEGER NOT NULL,
    pos       INTEGER NOT NULL
);
CREATE INDEX sections_report ON sections (report_id);

CREATE TABLE findings (
    id        INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    rule      TEXT    NOT NULL,
    severity  TEXT    NOT NULL,
    message   TEXT    NOT NULL,
    vals      TEXT    NOT NULL -- JSON object of the figures involved
);
CREATE INDEX findings_report ON findings (report_id);
CREATE INDEX findings_rule ON findings (rule);

CREATE TABLE evidence (
    id         INTEGER PRIMARY KEY,
    finding_id INTEGER NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    quote      TEXT    NOT NULL,
    page       INTEGER NOT NULL,
    line       INTEGER NOT NULL,
    pos        INTEGER NOT NULL
);
CREATE INDEX evidence_finding ON evidence (finding_id);

-- The full-text index is not made here: which one a store has depends on
-- the binary's SQLite (FTS5 or not), so index.go makes it when a store
-- opens (see 010). This migration made an FTS5 table, report_fts, until a
-- binary without FTS5 had to be able to create a store.
