-- 011: the position map of a report's normalised text (which source line
-- and page each stretch came from), so that evidence placed after a report
-- was stored — the cross-year rules judging it again when an earlier year
-- arrives — names the source line, not a count of the normalised text's
-- line breaks (which differ wherever wrapped lines were joined). '' for a
-- report stored before: its evidence then says no line.
ALTER TABLE reports ADD COLUMN positions TEXT NOT NULL DEFAULT '';
