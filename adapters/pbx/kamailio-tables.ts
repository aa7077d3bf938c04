import type { ClientBase } from 'pg';

/**
 * Butler's own tables in Kamailio's database. Kamailio's tables stay exactly as
 * its schema files define them (its modules check their versions); what Butler
 * needs beyond them hangs off their rows and disappears with them:
 *
 *  - butler_pbx_request: one row per idempotency key, written in the same
 *    transaction as the change it records.
 *  - butler_extension: the display name of a subscriber.
 *  - butler_phone: which DN an `address` row belongs to, with MAC and model
 *    (address.tag carries the DN too, for Kamailio's own dumps).
 *  - butler_trunk: Butler's trunk id (also in dispatcher.attrs as duid, so
 *    dispatcher.list shows it) and the full description.
 *  - butler_dialplan_rule: Butler's rule id and description.
 *
 * One addition to a Kamailio table, the way the acc module documents it: acc_cdrs gets the columns
 * of its `cdr_extra` (trunk, caller, callee, call_id), so each call record says where it went.
 */
const DDL = `
CREATE TABLE IF NOT EXISTS butler_pbx_request (
  idem_key text PRIMARY KEY,
  operation text NOT NULL,
  result jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS butler_extension (
  subscriber_id integer PRIMARY KEY REFERENCES subscriber(id) ON DELETE CASCADE,
  display_name text NOT NULL
);
CREATE TABLE IF NOT EXISTS butler_phone (
  address_id integer PRIMARY KEY REFERENCES address(id) ON DELETE CASCADE,
  dn text NOT NULL UNIQUE,
  mac text,
  model text
);
CREATE TABLE IF NOT EXISTS butler_trunk (
  dispatcher_id integer PRIMARY KEY REFERENCES dispatcher(id) ON DELETE CASCADE,
  trunk_id text NOT NULL UNIQUE,
  description text
);
CREATE TABLE IF NOT EXISTS butler_dialplan_rule (
  dialplan_id integer PRIMARY KEY REFERENCES dialplan(id) ON DELETE CASCADE,
  rule_id text NOT NULL UNIQUE,
  description text
);
DO $$ BEGIN
  IF to_regclass('acc_cdrs') IS NOT NULL THEN
    ALTER TABLE acc_cdrs
      ADD COLUMN IF NOT EXISTS trunk varchar(16) NOT NULL DEFAULT '',
      ADD COLUMN IF NOT EXISTS caller varchar(64) NOT NULL DEFAULT '',
      ADD COLUMN IF NOT EXISTS callee varchar(64) NOT NULL DEFAULT '',
      ADD COLUMN IF NOT EXISTS call_id varchar(255) NOT NULL DEFAULT '';
  END IF;
END $$;
`;

/** Creates the tables if missing; concurrent callers wait for each other instead of racing. */
export async function ensureButlerPbxTables(client: ClientBase): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('butler_pbx_tables'))`);
    await client.query(DDL);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
