-- 004: reports saved but not yet in the full-text index. A document's
-- transaction lists its report here; the index takes the listed reports in
-- batches, each in a transaction of its own that also removes them from the
-- list. FTS5 writes a new segment for every transaction that adds to it, and
-- one segment per report cost more than everything else a save writes. The
-- index holds exactly the reports not listed here, whenever a crash comes.

CREATE TABLE fts_pending (
    report_id INTEGER PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE
);
