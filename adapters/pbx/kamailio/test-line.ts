import { randomBytes } from 'node:crypto';
import { Client, type ClientBase } from 'pg';
import { FIRST_TRUNK_SET } from '../../../domain/line/trunk-capacity';
import { DIALLED_DPID } from '../pbx-client';
import { trunkRoute } from './kamailio.cfg';
import { DN_PATTERN } from '../../../domain/line/contracts';

/**
 * The test line: a number every acceptance call of an extension dials,
 * answered by a SIPp answering point behind a trunk. One call to it proves the
 * extension's credentials, the dial plan, the trunk route and in-dialog
 * routing at once.
 */
export interface TestLine {
  /** What the acceptance test dials, e.g. '0999'. */
  number: string;
  /** host:port of the answering point (startSippAnsweringPoint). */
  answeringPoint: string;
  /** Dispatcher set of the answering point; TEST_LINE_SET_ID by default. */
  setId?: number;
  /**
   * An extension that exists only to place test calls (towards a PRI, which
   * has no account of its own); created with a random password if missing.
   * The PBX adapter's getSipCredentials reads its password.
   */
  callerDn?: string;
}

export const TEST_LINE_TRUNK_ID = 'test-answering-point';
export const TEST_LINE_RULE_ID = 'test-line';
/** Below FIRST_TRUNK_SET, so no PRI line's set can collide with it. */
export const TEST_LINE_SET_ID = 9;

/** Writes (or rewrites) the test line's rows, before Kamailio loads them. */
export async function seedTestLine(kamailioDbUrl: string, domain: string, line: TestLine): Promise<void> {
  checkTestLine(line);
  const client = new Client({ connectionString: kamailioDbUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    await writeTrunk(client, line.answeringPoint, line.setId ?? TEST_LINE_SET_ID);
    await writeRule(client, line.number, line.setId ?? TEST_LINE_SET_ID);
    if (line.callerDn) await ensureCaller(client, domain, line.callerDn);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}

function checkTestLine(line: TestLine): void {
  for (const [field, dn] of [
    ['number', line.number],
    ['callerDn', line.callerDn],
  ] as const) {
    if (dn !== undefined && !DN_PATTERN.test(dn)) throw new Error(`test line ${field} "${dn}" must be 2–15 digits`);
  }
  if (!/^[A-Za-z0-9.-]+:[0-9]{1,5}$/.test(line.answeringPoint)) {
    throw new Error(`test line answering point "${line.answeringPoint}" must be host:port`);
  }
  const setId = line.setId ?? TEST_LINE_SET_ID;
  if (!Number.isInteger(setId) || setId < 0 || setId >= FIRST_TRUNK_SET) {
    throw new Error(`test line set ${setId} must be below ${FIRST_TRUNK_SET}, where PRI trunk sets start`);
  }
}

async function writeTrunk(client: ClientBase, answeringPoint: string, setId: number): Promise<void> {
  await client.query('DELETE FROM dispatcher WHERE id IN (SELECT dispatcher_id FROM butler_trunk WHERE trunk_id = $1)', [TEST_LINE_TRUNK_ID]);
  const trunk = await client.query<{ id: number }>(
    `INSERT INTO dispatcher (setid, destination, flags, priority, attrs, description)
     VALUES ($1, $2, 0, 0, $3, 'Butler test answering point') RETURNING id`,
    [setId, `sip:${answeringPoint}`, `duid=${TEST_LINE_TRUNK_ID}`],
  );
  await client.query('INSERT INTO butler_trunk (dispatcher_id, trunk_id, description) VALUES ($1, $2, $3)', [
    trunk.rows[0]!.id,
    TEST_LINE_TRUNK_ID,
    'Butler test answering point (acceptance calls)',
  ]);
}

async function writeRule(client: ClientBase, number: string, setId: number): Promise<void> {
  await client.query('DELETE FROM dialplan WHERE id IN (SELECT dialplan_id FROM butler_dialplan_rule WHERE rule_id = $1)', [TEST_LINE_RULE_ID]);
  const match = `^${number}$`;
  const rule = await client.query<{ id: number }>(
    `INSERT INTO dialplan (dpid, pr, match_op, match_exp, match_len, subst_exp, repl_exp, attrs)
     VALUES ($1, 0, 1, $2, 0, $2, $3, '') RETURNING id`,
    [DIALLED_DPID, match, trunkRoute(setId, number)],
  );
  await client.query('INSERT INTO butler_dialplan_rule (dialplan_id, rule_id, description) VALUES ($1, $2, $3)', [
    rule.rows[0]!.id,
    TEST_LINE_RULE_ID,
    `Test line ${number}: the answering point`,
  ]);
}

async function ensureCaller(client: ClientBase, domain: string, dn: string): Promise<void> {
  const inserted = await client.query<{ id: number }>(
    `INSERT INTO subscriber (username, domain, password) VALUES ($1, $2, $3)
     ON CONFLICT (username, domain) DO NOTHING RETURNING id`,
    [dn, domain, randomBytes(12).toString('base64url')],
  );
  const id = inserted.rows[0]?.id;
  if (id !== undefined) {
    await client.query('INSERT INTO butler_extension (subscriber_id, display_name) VALUES ($1, $2)', [id, 'Acceptance test caller']);
  }
}
