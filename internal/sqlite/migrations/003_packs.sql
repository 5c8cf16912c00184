-- 003: originals appended to pack files (<db>.files/pack-NNNNNN.dat) instead
-- of one file each: where each original's bytes are. A row is written in the
-- same transaction as the document it belongs to.

CREATE TABLE originals (
    sha256 TEXT PRIMARY KEY,
    pack   INTEGER NOT NULL,
    offset INTEGER NOT NULL,
    length INTEGER NOT NULL
) WITHOUT ROWID;
