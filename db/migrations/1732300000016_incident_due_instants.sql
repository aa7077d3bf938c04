-- Up Migration

-- The SLA due instants as of the incident's last projection, and whether its restore clock is paused
-- (issue 14: the console's queue sorts open incidents by time to restore-breach, server-side). A running
-- clock's due instant stays put until a pause or a resume, and each of those is projected anew.
-- Rows projected before this migration have none until their next projection.
ALTER TABLE incidents
  ADD COLUMN response_due_at timestamptz,
  ADD COLUMN restore_due_at timestamptz,
  ADD COLUMN clock_paused boolean NOT NULL DEFAULT false;

CREATE INDEX incidents_open_by_restore_due ON incidents (clock_paused, restore_due_at, id) WHERE status NOT IN ('RESOLVED', 'CLOSED', 'CANCELLED');

-- Down Migration
DROP INDEX incidents_open_by_restore_due;
ALTER TABLE incidents DROP COLUMN response_due_at, DROP COLUMN restore_due_at, DROP COLUMN clock_paused;
