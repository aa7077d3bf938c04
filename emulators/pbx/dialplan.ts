import type { Pool } from 'pg';
import { KAMAILIO_FAULTS, RpcFault } from './rpc-fault';

/**
 * The dialplan module as the PBX SIMULATOR plays it: rows of the dialplan
 * table, loaded at start and by dialplan.reload, translate a number the way
 * Kamailio 5.6 does (checked against it):
 *  - rules of one dpid are tried by priority (`pr`), then by row id; the first
 *    whose match_exp matches is the only one tried;
 *  - the output is repl_exp with \0..\9 taken from matching subst_exp against
 *    the number (an unmatched group is empty) — repl_exp replaces the whole
 *    number, not the matched part; a subst_exp that does not match is
 *    "No translation";
 *  - a reload with a rule that does not compile fails and keeps the old rules.
 * JavaScript regular expressions stand in for PCRE; they agree on what a dial
 * plan uses, not on everything (e.g. variable-length lookbehind).
 */

export interface DialplanRow {
  id: number;
  dpid: number;
  pr: number;
  match_op: number;
  match_exp: string;
  subst_exp: string;
  repl_exp: string;
  attrs: string;
}

interface CompiledRule {
  matches(input: string): boolean;
  subst?: RegExp;
  repl: string;
  attrs: string;
}

/** Rules per dpid, in the order they are tried. */
export type DialplanSnapshot = ReadonlyMap<number, readonly CompiledRule[]>;

export interface Translation {
  Output: string;
  Attributes: string | null;
}

const MATCH_EQUAL = 0;
const MATCH_REGEX = 1;

export async function loadDialplan(db: Pool, warn: (line: string) => void): Promise<DialplanSnapshot> {
  const rows = await db.query<DialplanRow>('SELECT id, dpid, pr, match_op, match_exp, subst_exp, repl_exp, attrs FROM dialplan ORDER BY dpid, pr, id');
  return compileDialplan(rows.rows, warn);
}

/** Throws the RpcFault Kamailio answers a reload with when one rule does not compile. */
export function compileDialplan(rows: readonly DialplanRow[], warn: (line: string) => void): DialplanSnapshot {
  const sorted = [...rows].sort((a, b) => a.dpid - b.dpid || a.pr - b.pr || a.id - b.id);
  const plans = new Map<number, CompiledRule[]>();
  for (const row of sorted) {
    const rule = compileRule(row, warn);
    if (!rule) continue;
    plans.set(row.dpid, [...(plans.get(row.dpid) ?? []), rule]);
  }
  return plans;
}

function compileRule(row: DialplanRow, warn: (line: string) => void): CompiledRule | undefined {
  try {
    let matches: CompiledRule['matches'];
    if (row.match_op === MATCH_EQUAL) matches = (input) => input === row.match_exp;
    else if (row.match_op === MATCH_REGEX) {
      const match = new RegExp(row.match_exp);
      matches = (input) => match.test(input);
    } else {
      // fnmatch (2) and anything newer: Butler never writes them; say so rather than guess.
      warn(`PBX SIMULATOR: dialplan row ${row.id} uses match_op ${row.match_op}, which is not simulated; the row is skipped`);
      return undefined;
    }
    const subst = row.subst_exp === '' ? undefined : new RegExp(row.subst_exp);
    const groups = subst ? new RegExp(`${row.subst_exp}|`).exec('')!.length - 1 : 0;
    const highest = Math.max(0, ...[...row.repl_exp.matchAll(/\\([0-9])/g)].map((m) => Number(m[1])));
    if (highest > groups) throw new Error(`repl_exp refers to \\${highest}, subst_exp has ${groups} group(s)`);
    return { matches, subst, repl: row.repl_exp, attrs: row.attrs };
  } catch (cause) {
    warn(`PBX SIMULATOR: dialplan row ${row.id} does not compile (${(cause as Error).message}); the reload fails`);
    throw new RpcFault(KAMAILIO_FAULTS.dialplanReloadFailed);
  }
}

export function translate(plans: DialplanSnapshot, dpid: number, input: string): Translation {
  const rules = plans.get(dpid);
  if (!rules) throw new RpcFault(KAMAILIO_FAULTS.dialplanIdNotMatched);
  const rule = rules.find((r) => r.matches(input));
  if (!rule) throw new RpcFault(KAMAILIO_FAULTS.noTranslation);
  const attributes = rule.attrs === '' ? null : rule.attrs;
  // An empty subst_exp: repl_exp is the output as written.
  if (!rule.subst) return { Output: rule.repl, Attributes: attributes };
  const groups = rule.subst.exec(input);
  if (!groups) throw new RpcFault(KAMAILIO_FAULTS.noTranslation);
  return { Output: rule.repl.replace(/\\([0-9])/g, (_, n: string) => groups[Number(n)] ?? ''), Attributes: attributes };
}
