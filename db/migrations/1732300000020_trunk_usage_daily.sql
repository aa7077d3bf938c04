-- Up Migration

-- Issue 15: each trunk's day (Asia/Seoul) from the PBX's call records, taken by the QSR for its
-- quarter (the records themselves stay in the PBX): calls, minutes, and the most carried at once.
CREATE TABLE trunk_usage_daily (
  date            date NOT NULL,
  trunk           text NOT NULL,
  calls           integer NOT NULL,
  minutes         numeric(12, 1) NOT NULL,
  peak_concurrent integer NOT NULL,
  -- 'vendor' (a real PBX) or 'simulated' (the PBX simulator), as data_source elsewhere.
  data_source     text NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (date, trunk)
);

-- Each line's (DN's) day from the same records: calls it placed, calls to it, their minutes.
CREATE TABLE line_usage_daily (
  date         date NOT NULL,
  dn           text NOT NULL,
  calls_out    integer NOT NULL,
  calls_in     integer NOT NULL,
  minutes      numeric(12, 1) NOT NULL,
  data_source  text NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (date, dn)
);

-- Down Migration
DROP TABLE line_usage_daily;
DROP TABLE trunk_usage_daily;
