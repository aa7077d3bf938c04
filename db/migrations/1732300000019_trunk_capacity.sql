-- Up Migration

-- Issue 15: each trunk's capacity in channels and the utilization at which monitoring warns the SPM
-- (default 80 %) and opens an incident (95 %). A trunk is its PBX dispatcher set, as Kamailio labels
-- its active calls; a PRI line's trunk without a row counts as an E1 PRI (30 channels).
CREATE TABLE trunk_capacity (
  trunk             text PRIMARY KEY,
  center            text,
  description       text,
  channels          integer NOT NULL CHECK (channels > 0),
  warn_percent      integer NOT NULL CHECK (warn_percent BETWEEN 1 AND 100),
  critical_percent  integer NOT NULL CHECK (critical_percent BETWEEN 1 AND 100 AND critical_percent > warn_percent),
  updated_by        text NOT NULL,
  updated_at        timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE trunk_capacity;
