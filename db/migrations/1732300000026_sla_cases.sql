-- Up Migration

-- Issue 17, the SLA what-if: each closed incident's clock case (its SLA snapshot, its clock events,
-- the instant its record stands at), read from its archived history by the SLA proof's reader and
-- kept with the sha256 of every run it was read from, so judging ten thousand incidents again does
-- not re-read ten thousand histories. Derived, not evidence: it can be dropped and read again. A
-- case is trusted only while its seal (the audit key's signature of reader, hashes and case) holds
-- and its reader is the current one (db/sla-cases.repo.ts); otherwise it is read again.
CREATE TABLE sla_cases (
  last_run_id     text PRIMARY KEY REFERENCES workflow_histories (run_id),
  incident_id     text NOT NULL,
  closed_at       timestamptz NOT NULL,
  history_sha256  text[] NOT NULL,
  title           text NOT NULL,
  sla_case        jsonb NOT NULL,
  reader          integer NOT NULL,
  seal            text NOT NULL
);
CREATE INDEX sla_cases_closed_idx ON sla_cases (closed_at);

-- The what-if as a PDF for the customer meeting.
ALTER TABLE reports DROP CONSTRAINT reports_kind_check;
ALTER TABLE reports ADD CONSTRAINT reports_kind_check CHECK (kind IN ('incident','inspection','qsr','audit-trail','billing','sla-what-if'));

-- Down Migration
DELETE FROM reports WHERE kind = 'sla-what-if';
ALTER TABLE reports DROP CONSTRAINT reports_kind_check;
ALTER TABLE reports ADD CONSTRAINT reports_kind_check CHECK (kind IN ('incident','inspection','qsr','audit-trail','billing'));
DROP TABLE sla_cases;
