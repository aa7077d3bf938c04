-- Up Migration

-- Every write of a read-model row is announced on the channel `butler_read_model` (issue 14: the
-- console shows a breach or someone else's transition without a reload). The API's event stream
-- (GET /api/v1/events) listens and passes each on to the browsers whose role may read that kind.
-- The payload names the row only; a browser reads the row itself through the API.
CREATE FUNCTION butler_announce_read_model() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('butler_read_model', json_build_object('kind', TG_ARGV[0], 'id', NEW.id, 'status', NEW.status, 'version', NEW.version)::text);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER incidents_announce AFTER INSERT OR UPDATE ON incidents FOR EACH ROW EXECUTE FUNCTION butler_announce_read_model('incident');
CREATE TRIGGER lines_announce AFTER INSERT OR UPDATE ON lines FOR EACH ROW EXECUTE FUNCTION butler_announce_read_model('line');
CREATE TRIGGER line_batches_announce AFTER INSERT OR UPDATE ON line_batches FOR EACH ROW EXECUTE FUNCTION butler_announce_read_model('line-batch');
CREATE TRIGGER changes_announce AFTER INSERT OR UPDATE ON changes FOR EACH ROW EXECUTE FUNCTION butler_announce_read_model('change');
CREATE TRIGGER inspections_announce AFTER INSERT OR UPDATE ON inspections FOR EACH ROW EXECUTE FUNCTION butler_announce_read_model('inspection');
CREATE TRIGGER qsrs_announce AFTER INSERT OR UPDATE ON qsrs FOR EACH ROW EXECUTE FUNCTION butler_announce_read_model('qsr');

-- Down Migration
DROP TRIGGER qsrs_announce ON qsrs;
DROP TRIGGER inspections_announce ON inspections;
DROP TRIGGER changes_announce ON changes;
DROP TRIGGER line_batches_announce ON line_batches;
DROP TRIGGER lines_announce ON lines;
DROP TRIGGER incidents_announce ON incidents;
DROP FUNCTION butler_announce_read_model();
