-- Up Migration

-- A line whose provisioning was cancelled before its contract (issue 13) is final and holds
-- nothing: CANCELLED is a status, and its DN is free again like a FAILED or TERMINATED line's.
ALTER TABLE lines DROP CONSTRAINT lines_status_check;
ALTER TABLE lines ADD CONSTRAINT lines_status_check CHECK (status IN (
  'PENDING_CONTRACT','INSTALLING','ACCEPTANCE','ACTIVE','FAILED',
  'TERMINATION_SCHEDULED','TERMINATING','TERMINATION_FAILED','TERMINATED','CANCELLED'));
DROP INDEX lines_live_dn_idx;
CREATE UNIQUE INDEX lines_live_dn_idx ON lines (dn) WHERE status NOT IN ('FAILED','TERMINATED','CANCELLED');

-- Down Migration
DROP INDEX lines_live_dn_idx;
CREATE UNIQUE INDEX lines_live_dn_idx ON lines (dn) WHERE status NOT IN ('FAILED','TERMINATED');
ALTER TABLE lines DROP CONSTRAINT lines_status_check;
ALTER TABLE lines ADD CONSTRAINT lines_status_check CHECK (status IN (
  'PENDING_CONTRACT','INSTALLING','ACCEPTANCE','ACTIVE','FAILED',
  'TERMINATION_SCHEDULED','TERMINATING','TERMINATION_FAILED','TERMINATED'));
