import type { ClientBase, Pool } from 'pg';
import { z } from 'zod';
import { VendorConflictError, VendorNotFoundError } from '../vendor-errors';
import type { DialplanRule, PbxClient } from './pbx-client';
import type { KamailioContext } from './kamailio-context';
import { reloadTable } from './kamailio-reload';
import { mutate } from './kamailio-requests';
import { KamailioRpcFault } from './kamailio-rpc';
import { checkDialplanExpressions, checkId, checkNumber, checkSmallInt, checkText } from './kamailio-validation';

/**
 * Dial-plan rules are rows of the dialplan table (regular-expression match,
 * match_op 1), reloaded with dialplan.reload; Butler's rule id and
 * description are in butler_dialplan_rule. A row Butler did not create is
 * still listed, as `dp-<row id>`, because Kamailio routes by it all the same.
 */
type DialplanApi = Pick<PbxClient, 'createDialplanRule' | 'getDialplanRule' | 'listDialplanRules' | 'updateDialplanRule' | 'removeDialplanRule' | 'translate'>;

const MATCH_REGEX = 1;

interface RuleRow {
  dialplan_id: number;
  rule_id: string;
  dpid: number;
  pr: number;
  match_exp: string;
  subst_exp: string;
  repl_exp: string;
  description: string | null;
}

const SELECT = `SELECT d.id AS dialplan_id, COALESCE(r.rule_id, 'dp-' || d.id) AS rule_id,
       d.dpid, d.pr, d.match_exp, d.subst_exp, d.repl_exp, r.description
  FROM dialplan d LEFT JOIN butler_dialplan_rule r ON r.dialplan_id = d.id`;

async function findById(db: ClientBase | Pool, id: string, lock = false): Promise<RuleRow | undefined> {
  const rows = await db.query<RuleRow>(`${SELECT} WHERE COALESCE(r.rule_id, 'dp-' || d.id) = $1${lock ? ' FOR UPDATE OF d' : ''}`, [id]);
  return rows.rows[0];
}

function toRule(row: RuleRow): DialplanRule {
  return {
    id: row.rule_id,
    dpid: row.dpid,
    priority: row.pr,
    match: row.match_exp,
    substitute: row.subst_exp,
    replace: row.repl_exp,
    ...(row.description ? { description: row.description } : {}),
  };
}

function sameRule(row: RuleRow, rule: Omit<DialplanRule, 'id'>): boolean {
  const r = toRule(row);
  return (
    r.dpid === rule.dpid &&
    r.priority === rule.priority &&
    r.match === rule.match &&
    r.substitute === rule.substitute &&
    r.replace === rule.replace &&
    r.description === rule.description
  );
}

function checkRule(rule: Omit<DialplanRule, 'id'>): void {
  checkSmallInt(rule.dpid, 'dpid');
  checkSmallInt(rule.priority, 'priority');
  checkDialplanExpressions(rule);
  checkText(rule.description, 'description', 200);
}

async function writeRow(client: ClientBase, row: RuleRow): Promise<void> {
  await client.query('UPDATE dialplan SET dpid = $1, pr = $2, match_exp = $3, subst_exp = $4, repl_exp = $5 WHERE id = $6', [
    row.dpid,
    row.pr,
    row.match_exp,
    row.subst_exp,
    row.repl_exp,
    row.dialplan_id,
  ]);
  await client.query(
    `INSERT INTO butler_dialplan_rule (dialplan_id, rule_id, description) VALUES ($1, $2, $3)
     ON CONFLICT (dialplan_id) DO UPDATE SET description = EXCLUDED.description`,
    [row.dialplan_id, row.rule_id, row.description],
  );
}

/** dialplan.translate answers these when no rule of the plan matches, or the plan has no rules. */
const NO_TRANSLATION = /no translation|dialplan id not matched/i;
const Translation = z.object({ Output: z.string() });

export function kamailioDialplan(ctx: KamailioContext): DialplanApi {
  const sync = () => reloadTable(ctx, 'dialplan.reload');

  return {
    createDialplanRule: (rule, idem) =>
      ctx.run((pool) => {
        if (rule.id !== undefined) checkId(rule.id, 'dial-plan rule');
        checkRule(rule);
        return mutate(pool, idem, {
          operation: `createDialplanRule:${rule.id ?? `${rule.dpid}:${rule.match}`}`,
          apply: async (client) => {
            if (rule.id !== undefined) {
              const existing = await findById(client, rule.id, true);
              if (existing && sameRule(existing, rule)) return { result: toRule(existing) };
              if (existing) throw new VendorConflictError('pbx', `dial-plan rule ${rule.id} already exists with other settings`);
            } else {
              const twin = await client.query<RuleRow>(
                `${SELECT} WHERE d.dpid = $1 AND d.pr = $2 AND d.match_exp = $3 AND d.subst_exp = $4 AND d.repl_exp = $5`,
                [rule.dpid, rule.priority, rule.match, rule.substitute, rule.replace],
              );
              const found = twin.rows.find((row) => sameRule(row, rule));
              if (found) return { result: toRule(found) };
            }
            const inserted = await client.query<{ id: number }>(
              `INSERT INTO dialplan (dpid, pr, match_op, match_exp, match_len, subst_exp, repl_exp, attrs)
               VALUES ($1, $2, $3, $4, 0, $5, $6, '') RETURNING id`,
              [rule.dpid, rule.priority, MATCH_REGEX, rule.match, rule.substitute, rule.replace],
            );
            const dialplanId = inserted.rows[0]!.id;
            const id = rule.id ?? `dp-${dialplanId}`;
            await client.query('INSERT INTO butler_dialplan_rule (dialplan_id, rule_id, description) VALUES ($1, $2, $3)', [
              dialplanId,
              id,
              rule.description ?? null,
            ]);
            return {
              result: { ...rule, id },
              undo: async (c) => void (await c.query('DELETE FROM dialplan WHERE id = $1', [dialplanId])),
            };
          },
          sync,
        });
      }),

    getDialplanRule: (id) =>
      ctx.run(async (pool) => {
        checkId(id, 'dial-plan rule');
        const row = await findById(pool, id);
        return row && toRule(row);
      }),

    listDialplanRules: (dpid) =>
      ctx.run(async (pool) => {
        if (dpid !== undefined) checkSmallInt(dpid, 'dpid');
        const rows = await pool.query<RuleRow>(`${SELECT} WHERE $1::int IS NULL OR d.dpid = $1 ORDER BY d.dpid, d.pr, d.id`, [dpid ?? null]);
        return rows.rows.map(toRule);
      }),

    updateDialplanRule: (id, patch, idem) =>
      ctx.run((pool) => {
        checkId(id, 'dial-plan rule');
        return mutate(pool, idem, {
          operation: `updateDialplanRule:${id}`,
          apply: async (client) => {
            const before = await findById(client, id, true);
            if (!before) throw new VendorNotFoundError('pbx', `no dial-plan rule ${id}`);
            const merged = { ...toRule(before), ...patch, id };
            checkRule(merged);
            const after: RuleRow = {
              ...before,
              dpid: merged.dpid,
              pr: merged.priority,
              match_exp: merged.match,
              subst_exp: merged.substitute,
              repl_exp: merged.replace,
              description: merged.description ?? null,
            };
            await writeRow(client, after);
            return { result: toRule(after), undo: (c) => writeRow(c, before) };
          },
          sync,
        });
      }),

    removeDialplanRule: (id, idem) =>
      ctx.run(async (pool) => {
        checkId(id, 'dial-plan rule');
        await mutate(pool, idem, {
          operation: `removeDialplanRule:${id}`,
          apply: async (client) => {
            const row = await findById(client, id, true);
            if (!row) throw new VendorNotFoundError('pbx', `no dial-plan rule ${id}`);
            await client.query('DELETE FROM dialplan WHERE id = $1', [row.dialplan_id]);
            return { result: null };
          },
          sync,
        });
      }),

    translate: (dpid, number) =>
      ctx.live(async () => {
        checkSmallInt(dpid, 'dpid');
        checkNumber(number);
        try {
          return Translation.parse(await ctx.rpc.call('dialplan.translate', dpid, number)).Output;
        } catch (err) {
          if (err instanceof KamailioRpcFault && NO_TRANSLATION.test(err.reason)) return undefined;
          throw err;
        }
      }),
  };
}
