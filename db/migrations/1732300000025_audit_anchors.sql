-- Up Migration

-- Issue 17: the anchored chain. Each entry appended from now on carries its seal: the audit key's
-- Ed25519 signature of its hash, made by the application, whose key is not in the database. Entries
-- written before have none (the anchors record from which entry the chain is sealed).
ALTER TABLE audit_log ADD COLUMN seal text;

-- The chain's head, signed each day and on demand. The anchor is kept whole as signed (jsonb keeps
-- its text as written, so the signature can be checked); the copies that count are the ones mailed
-- to the auditors and printed in the reports. Append-only, like the chain.
CREATE TABLE audit_anchors (
  no            bigint PRIMARY KEY,
  anchor        jsonb NOT NULL,
  reason        text NOT NULL,
  requested_by  text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE TRIGGER audit_anchors_no_update BEFORE UPDATE OR DELETE ON audit_anchors FOR EACH ROW EXECUTE FUNCTION refuse_change_of_append_only();
CREATE TRIGGER audit_anchors_no_truncate BEFORE TRUNCATE ON audit_anchors FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_of_append_only();

-- The auditors' contact list: anchors are mailed to them.
ALTER TABLE contacts DROP CONSTRAINT contacts_audience_check;
ALTER TABLE contacts ADD CONSTRAINT contacts_audience_check
  CHECK (audience IN ('spm','customer','oncall','engineer','admin','auditor'));

-- Down Migration
ALTER TABLE contacts DROP CONSTRAINT contacts_audience_check;
ALTER TABLE contacts ADD CONSTRAINT contacts_audience_check
  CHECK (audience IN ('spm','customer','oncall','engineer','admin'));
DROP TABLE audit_anchors;
ALTER TABLE audit_log DROP COLUMN seal;
