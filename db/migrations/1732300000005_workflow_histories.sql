-- Up Migration

-- Closed workflows' full event histories, kept past Temporal's retention: the JSON the
-- Temporal CLI and UI export (replayable), its sha256, and what an auditor searches by.
CREATE TABLE workflow_histories (
  run_id        text PRIMARY KEY,
  workflow_id   text NOT NULL,
  workflow_type text NOT NULL,
  business_key  text,
  status        text NOT NULL,
  started_at    timestamptz NOT NULL,
  closed_at     timestamptz NOT NULL,
  events        integer NOT NULL,
  history       json NOT NULL,
  sha256        text NOT NULL,
  archived_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX workflow_histories_workflow_idx ON workflow_histories (workflow_id, closed_at DESC);
CREATE INDEX workflow_histories_type_idx ON workflow_histories (workflow_type, closed_at DESC);
CREATE INDEX workflow_histories_key_idx ON workflow_histories (business_key);

CREATE TRIGGER workflow_histories_no_update BEFORE UPDATE OR DELETE ON workflow_histories FOR EACH ROW EXECUTE FUNCTION refuse_change_of_append_only();
CREATE TRIGGER workflow_histories_no_truncate BEFORE TRUNCATE ON workflow_histories FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_of_append_only();

-- Down Migration
DROP TABLE workflow_histories;
