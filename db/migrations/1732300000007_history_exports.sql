-- Up Migration

-- Histories captured on demand while a workflow runs (an auditor's export, or the history a
-- report was built from). Content-addressed: the same run with the same events is one row,
-- however often it is exported. Append-only, like the archive.
CREATE TABLE workflow_history_exports (
  id            bigserial PRIMARY KEY,
  run_id        text NOT NULL,
  workflow_id   text NOT NULL,
  workflow_type text NOT NULL,
  business_key  text,
  status        text NOT NULL,
  started_at    timestamptz NOT NULL,
  events        integer NOT NULL,
  history       json NOT NULL,
  sha256        text NOT NULL,
  exported_by   text NOT NULL,
  reason        text NOT NULL,
  exported_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (run_id, sha256)
);
CREATE INDEX workflow_history_exports_workflow_idx ON workflow_history_exports (workflow_id, id DESC);
CREATE INDEX workflow_history_exports_sha_idx ON workflow_history_exports (sha256);

CREATE TRIGGER workflow_history_exports_no_update BEFORE UPDATE OR DELETE ON workflow_history_exports FOR EACH ROW EXECUTE FUNCTION refuse_change_of_append_only();
CREATE TRIGGER workflow_history_exports_no_truncate BEFORE TRUNCATE ON workflow_history_exports FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_of_append_only();

-- The audit-trail PDF of one workflow history goes through the report engine like the others.
ALTER TABLE reports DROP CONSTRAINT reports_kind_check;
ALTER TABLE reports ADD CONSTRAINT reports_kind_check CHECK (kind IN ('incident','inspection','qsr','audit-trail'));

-- Down Migration
ALTER TABLE reports DROP CONSTRAINT reports_kind_check;
ALTER TABLE reports ADD CONSTRAINT reports_kind_check CHECK (kind IN ('incident','inspection','qsr'));
DROP TABLE workflow_history_exports;
