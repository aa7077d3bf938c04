-- Up Migration

-- Issue 17: configuration history. Every change to what incidents and monitoring are judged by
-- (SLA policies, the auto-close delay, holidays, the contact roster, alert and inspection rules) is one
-- append-only row with when it took effect, who made it, and the row before and after, written
-- by the database itself in the same transaction as the change, so no code path can skip it.
-- GET /api/v1/config/history?kind&at answers "what was in force then".
CREATE TABLE config_history (
  id          bigserial PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('sla-policy','auto-close','holiday','contact','alert-rules','inspection-rules')),
  key         text NOT NULL,
  valid_from  timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,
  before      jsonb,
  after       jsonb
);
CREATE INDEX config_history_kind_idx ON config_history (kind, key, valid_from DESC, id DESC);
CREATE TRIGGER config_history_no_update BEFORE UPDATE OR DELETE ON config_history FOR EACH ROW EXECUTE FUNCTION refuse_change_of_append_only();
CREATE TRIGGER config_history_no_truncate BEFORE TRUNCATE ON config_history FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_of_append_only();

-- TG_ARGV: the kind, then the columns that make the key (joined with '/'). The actor is the
-- transaction's butler.actor (db/config-history.repo.ts asActor), else the row's own updated_by
-- or saved_by, else '(unknown)'.
CREATE FUNCTION record_config_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  row_after  jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
  row_before jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
  subject    jsonb := coalesce(row_after, row_before);
  config_key text := '';
BEGIN
  FOR i IN 1 .. TG_NARGS - 1 LOOP
    config_key := config_key || CASE WHEN i > 1 THEN '/' ELSE '' END || coalesce(subject ->> TG_ARGV[i], '');
  END LOOP;
  -- An upsert that changed nothing is not a change.
  IF TG_OP = 'UPDATE' AND (row_before - 'updated_at' - 'updated_by') = (row_after - 'updated_at' - 'updated_by') THEN
    RETURN NULL;
  END IF;
  INSERT INTO config_history (kind, key, actor, before, after)
  VALUES (TG_ARGV[0], config_key,
          coalesce(nullif(current_setting('butler.actor', true), ''), row_after ->> 'updated_by', row_after ->> 'saved_by', '(unknown)'),
          row_before, row_after);
  RETURN NULL;
END $$;

CREATE TRIGGER sla_policies_history AFTER INSERT OR UPDATE OR DELETE ON sla_policies
  FOR EACH ROW EXECUTE FUNCTION record_config_change('sla-policy', 'severity', 'complexity');
CREATE TRIGGER settings_auto_close_history AFTER INSERT OR UPDATE ON settings
  FOR EACH ROW WHEN (NEW.key = 'incident.autoCloseAfterSeconds') EXECUTE FUNCTION record_config_change('auto-close', 'key');
CREATE TRIGGER settings_auto_close_removed AFTER DELETE ON settings
  FOR EACH ROW WHEN (OLD.key = 'incident.autoCloseAfterSeconds') EXECUTE FUNCTION record_config_change('auto-close', 'key');
CREATE TRIGGER settings_inspection_rules_history AFTER INSERT OR UPDATE ON settings
  FOR EACH ROW WHEN (NEW.key = 'inspection.rules') EXECUTE FUNCTION record_config_change('inspection-rules', 'key');
CREATE TRIGGER settings_inspection_rules_removed AFTER DELETE ON settings
  FOR EACH ROW WHEN (OLD.key = 'inspection.rules') EXECUTE FUNCTION record_config_change('inspection-rules', 'key');
CREATE TRIGGER holidays_history AFTER INSERT OR UPDATE OR DELETE ON holidays
  FOR EACH ROW EXECUTE FUNCTION record_config_change('holiday', 'date');
CREATE TRIGGER contacts_history AFTER INSERT OR UPDATE OR DELETE ON contacts
  FOR EACH ROW EXECUTE FUNCTION record_config_change('contact', 'id');
CREATE TRIGGER alert_rule_sets_history AFTER INSERT ON alert_rule_sets
  FOR EACH ROW EXECUTE FUNCTION record_config_change('alert-rules');

-- What was in force before the history began: one baseline row per current row, from its own
-- time where it has one.
INSERT INTO config_history (kind, key, valid_from, actor, after)
  SELECT 'sla-policy', severity || '/' || complexity, updated_at, coalesce(updated_by, '(baseline)'), to_jsonb(p) FROM sla_policies p;
INSERT INTO config_history (kind, key, valid_from, actor, after)
  SELECT 'auto-close', key, updated_at, coalesce(updated_by, '(baseline)'), to_jsonb(s) FROM settings s WHERE key = 'incident.autoCloseAfterSeconds';
INSERT INTO config_history (kind, key, valid_from, actor, after)
  SELECT 'inspection-rules', key, updated_at, coalesce(updated_by, '(baseline)'), to_jsonb(s) FROM settings s WHERE key = 'inspection.rules';
INSERT INTO config_history (kind, key, valid_from, actor, after)
  SELECT 'holiday', to_char(date, 'YYYY-MM-DD'), updated_at, coalesce(updated_by, '(baseline)'), to_jsonb(h) FROM holidays h;
INSERT INTO config_history (kind, key, valid_from, actor, after)
  SELECT 'contact', id::text, created_at, '(baseline)', to_jsonb(c) FROM contacts c;
INSERT INTO config_history (kind, key, valid_from, actor, after)
  SELECT 'alert-rules', '', saved_at, saved_by, to_jsonb(a) FROM alert_rule_sets a;

-- Only the triggers above write the history, and they stamp it with the moment of the change (not
-- the transaction's start): a row inserted by hand, backdated or with another actor, is refused,
-- whoever's credentials tried it. Created after the baseline, which is the one row set written directly.
CREATE FUNCTION guard_config_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF pg_trigger_depth() < 2 THEN
    RAISE EXCEPTION 'config_history is written only by the configuration tables'' triggers: INSERT refused'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  NEW.valid_from := clock_timestamp();
  RETURN NEW;
END $$;
CREATE TRIGGER config_history_guard BEFORE INSERT ON config_history FOR EACH ROW EXECUTE FUNCTION guard_config_history();

-- Down Migration
DROP TRIGGER config_history_guard ON config_history;
DROP FUNCTION guard_config_history();
DROP TRIGGER alert_rule_sets_history ON alert_rule_sets;
DROP TRIGGER settings_inspection_rules_removed ON settings;
DROP TRIGGER settings_inspection_rules_history ON settings;
DROP TRIGGER settings_auto_close_removed ON settings;
DROP TRIGGER contacts_history ON contacts;
DROP TRIGGER holidays_history ON holidays;
DROP TRIGGER settings_auto_close_history ON settings;
DROP TRIGGER sla_policies_history ON sla_policies;
DROP FUNCTION record_config_change();
DROP TABLE config_history;
