-- 005: indexes no query needs. Every save appends to each index of the
-- tables it writes, and a write transaction rewrites each index page it
-- touches: findings_rule alone cost three or four pages per saved report
-- (its entries land in one place per rule), and no query looks findings up
-- by rule or reports by year alone (both are filters on few rows).

DROP INDEX findings_rule;
DROP INDEX reports_year;
