-- Up Migration

-- Termination honours its effective date (TERMINATION_SCHEDULED, the line still in service) and
-- ends TERMINATION_FAILED when removal left something on the PBX or the CTI. Both still hold
-- the DN: lines_live_dn_idx counts every status but FAILED and TERMINATED as live, unchanged.
ALTER TABLE lines DROP CONSTRAINT lines_status_check;
ALTER TABLE lines ADD CONSTRAINT lines_status_check CHECK (status IN (
  'PENDING_CONTRACT','INSTALLING','ACCEPTANCE','ACTIVE','FAILED',
  'TERMINATION_SCHEDULED','TERMINATING','TERMINATION_FAILED','TERMINATED'));

-- Down Migration
ALTER TABLE lines DROP CONSTRAINT lines_status_check;
ALTER TABLE lines ADD CONSTRAINT lines_status_check CHECK (status IN ('PENDING_CONTRACT','INSTALLING','ACCEPTANCE','ACTIVE','FAILED','TERMINATING','TERMINATED'));
