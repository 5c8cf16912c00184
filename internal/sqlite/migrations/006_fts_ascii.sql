-- 006: the full-text index splits on spaces only. Its text is already cut
-- into tokens by jixiao (character bigrams, lower-cased words, separated by
-- spaces), so unicode61's reading of every character's class was work
-- repeated at every save; the ascii tokenizer keeps non-ASCII characters
-- inside tokens and splits on ASCII spaces and punctuation. Queries are cut
-- the same way. The rebuilt index takes every report again through the
-- waiting list.

DROP TABLE report_fts;
CREATE VIRTUAL TABLE report_fts USING fts5 (
    organization,
    project,
    body,
    tokenize = 'ascii',
    content = '',
    contentless_delete = 1
);
INSERT OR IGNORE INTO fts_pending (report_id) SELECT id FROM reports;
