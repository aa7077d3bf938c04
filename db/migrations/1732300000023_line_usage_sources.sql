-- Up Migration

-- Issue 16: where each center's line usage comes from. The PBX's call records by default; a
-- center whose calls the CTI carries (its agents' phones on the CTI, not on the PBX) takes its
-- lines' usage from the CTI's call statistics. Data an admin edits, every save a new version.
CREATE TABLE line_usage_source_sets (
  version   serial PRIMARY KEY,
  sources   jsonb NOT NULL,
  saved_by  text NOT NULL,
  saved_at  timestamptz NOT NULL DEFAULT now()
);

-- Which of the two a stored line-day came from.
ALTER TABLE line_usage_daily ADD COLUMN origin text NOT NULL DEFAULT 'pbx' CHECK (origin IN ('pbx','cti'));

-- Down Migration
ALTER TABLE line_usage_daily DROP COLUMN origin;
DROP TABLE line_usage_source_sets;
