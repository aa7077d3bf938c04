-- Up Migration

-- The monthly inspection's findings, one row each, written by the collector that made them
-- (issue 18): the workflow passes the inspection's id, not its findings, so no activity's input
-- or result grows with the inventory. The read model (inspections.state) is still the whole
-- inspection as the API shows it; the projection fills its findings from here.
CREATE TABLE inspection_findings (
  inspection_id text NOT NULL,
  center        text NOT NULL,
  system        text NOT NULL,
  finding_key   text NOT NULL,
  severity      text NOT NULL,
  finding       jsonb NOT NULL,
  -- A device's failure may be found by two collectors of its center (its system's, BACKUP or ASSET).
  PRIMARY KEY (inspection_id, center, system, finding_key)
);
