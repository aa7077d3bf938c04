import type { Pool } from 'pg';
import { SYSTEM_ACTOR } from '../domain/actor';
import type { LineState } from '../domain/line/contracts';

/**
 * Lines of the inventory for benchmarks and tests of the bills, written straight into the read
 * model as the workflows would leave them: a 20,000-line bill needs 20,000 lines with their
 * contracts and dates, not their provisioning (which test/workflows/line-* cover).
 */
export interface SeededLine {
  id: string;
  dn: string;
  carrier: string;
  monthlyFee: number;
  center?: string;
  /** When the line went ACTIVE (an instant). */
  activatedAt: string;
  /** A termination that took effect: its effective date (the first day without service). */
  terminatedOn?: string;
  /** The CTI agent its installation created (recorded as provisioning records it; gone from `installed` once terminated). */
  ctiAgent?: { agentId: string; loginId: string };
}

export function seededLineState(line: SeededLine): LineState {
  const history: LineState['history'] = [{ seq: 1, at: line.activatedAt, type: 'requested', actor: SYSTEM_ACTOR }];
  const agent = line.ctiAgent ? { kind: 'cti-agent' as const, ...line.ctiAgent, origin: 'created' as const } : undefined;
  if (agent) history.push({ seq: history.length + 1, at: line.activatedAt, type: 'installed:cti-agent', actor: SYSTEM_ACTOR, details: { ...agent } });
  history.push({ seq: history.length + 1, at: line.activatedAt, type: 'status:ACTIVE', actor: SYSTEM_ACTOR, details: { from: 'ACCEPTANCE' } });
  if (line.terminatedOn) {
    history.push({
      seq: history.length + 1,
      at: `${line.terminatedOn}T00:00:00+09:00`,
      type: 'status:TERMINATED',
      actor: SYSTEM_ACTOR,
      details: { from: 'TERMINATING' },
    });
  }
  return {
    id: line.id,
    dn: line.dn,
    center: line.center ?? '상담 1센터',
    displayName: `회선 ${line.dn}`,
    lineType: 'did',
    status: line.terminatedOn ? 'TERMINATED' : 'ACTIVE',
    step: line.terminatedOn ? 'terminated' : 'in service',
    contract: {
      contractNo: `${line.carrier}-${line.id}`,
      carrier: line.carrier,
      monthlyFee: line.monthlyFee,
      termMonths: 36,
      signedAt: line.activatedAt.slice(0, 10),
      recordedBy: { id: 'spm.kim', role: 'spm' },
      recordedAt: line.activatedAt,
    },
    installed: agent && !line.terminatedOn ? [agent] : [],
    ...(line.terminatedOn
      ? { termination: { reason: '해지 요청', requestedBy: { id: 'spm.kim', role: 'spm' }, requestedAt: line.activatedAt, effectiveDate: line.terminatedOn } }
      : {}),
    requestedBy: { id: 'spm.kim', role: 'spm' },
    requestedAt: line.activatedAt,
    history,
  } as LineState;
}

/** Writes the lines in one statement (a benchmark seeds 20,000). */
export async function seedLines(pool: Pool, lines: readonly SeededLine[]): Promise<void> {
  const states = lines.map(seededLineState);
  await pool.query(
    `INSERT INTO lines (id, dn, center, line_type, status, step, state, version, requested_at)
     SELECT s->>'id', s->>'dn', s->>'center', s->>'lineType', s->>'status', s->>'step', s, jsonb_array_length(s->'history'), (s->>'requestedAt')::timestamptz
       FROM jsonb_array_elements($1::jsonb) s`,
    [JSON.stringify(states)],
  );
}
