-- Up Migration

-- Each line's day gets the most of its calls up at once, computed from the PBX's call records as a
-- trunk's peak is (domain/line/trunk-usage.ts, dailyPeaks). Null, not 0, where it is not known: the
-- days stored before this column (their calls were never measured for it; 0 would say no two calls
-- overlapped, and on a day with calls not even one was up), and the days taken from the CTI's call
-- statistics (daily sums per agent, without each call's start and end).
ALTER TABLE line_usage_daily ADD COLUMN peak_concurrent integer CHECK (peak_concurrent >= 0);

-- Down Migration
ALTER TABLE line_usage_daily DROP COLUMN peak_concurrent;
