-- Up Migration

-- The audit trail: append-only, each entry chained to the one before by its hash
-- (hash = sha256(prev_hash || canonical entry)), so an edit anywhere breaks the
-- chain from that row on. The database itself refuses UPDATE and DELETE.
CREATE TABLE audit_log (
  seq         bigserial PRIMARY KEY,
  at          timestamptz NOT NULL,
  actor       text NOT NULL,
  actor_role  text NOT NULL,
  action      text NOT NULL,
  subject     text,
  request_id  text,
  remote      text,
  details     jsonb NOT NULL DEFAULT '{}',
  prev_hash   text NOT NULL,
  hash        text NOT NULL UNIQUE
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor, at);

-- One guard for every append-only table: it names the table and the refused operation.
CREATE FUNCTION refuse_change_of_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_change_of_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_of_append_only();

-- Down Migration
DROP TABLE audit_log;
DROP FUNCTION refuse_change_of_append_only();
