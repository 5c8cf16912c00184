-- 004: the position map of a report's normalised text (see SQLite's 010).
ALTER TABLE reports ADD COLUMN positions text NOT NULL DEFAULT '';
