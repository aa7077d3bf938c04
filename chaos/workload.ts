import type { ChangeState } from '../domain/change/contracts';
import type { IncidentAction } from '../domain/incident/contracts';
import type { IncidentView } from '../domain/incident/view';
import type { LineState } from '../domain/line/contracts';
import type { ApiClient } from './api-client';
import { createRng, type Rng } from './rng';
import { sleep, type ChaosRole } from './stack';

/**
 * What the chaos suite asks of Butler, through the public API only: incidents
 * whose SLA targets are seconds long, transitions aimed at the instants the
 * SLA timers fire, a line with its contract and SIP acceptance, a change with
 * its approval and a short window, termination of the previous round's line,
 * and now and then a monthly inspection.
 */

/** Seconds-long SLA targets: warnings (50/75/90 %), breaches and status reports happen within a round. */
export const POLICIES = {
  'P1/complex': { clock: '24x7', responseTargetSeconds: 4, restoreTargetSeconds: 14, statusReportIntervalSeconds: 6 },
  'P2/simple': { clock: '24x7', responseTargetSeconds: 3, restoreTargetSeconds: 8, statusReportIntervalSeconds: null },
} as const;
/** The shortest auto-close the API accepts. */
export const AUTO_CLOSE_SECONDS = 60;

export interface Known {
  incidents: Set<string>;
  lines: Set<string>;
  changes: Set<string>;
  inspections: Set<string>;
  /** Workload steps that could not be taken (not invariant violations: what the run did not get to exercise). */
  notes: string[];
}

export async function setUpWorkload(api: ApiClient, contactsBase: string): Promise<void> {
  for (const [key, policy] of Object.entries(POLICIES)) {
    await must(api.request('PUT', `/api/v1/sla-policies/${key}`, { role: 'admin', body: policy }));
  }
  await must(api.request('PUT', '/api/v1/sla-policies/auto-close', { role: 'admin', body: { afterSeconds: AUTO_CLOSE_SECONDS } }));
  for (const audience of ['spm', 'oncall', 'customer', 'engineer'] as const) {
    await must(
      api.request('POST', '/api/v1/contacts', {
        role: 'admin',
        body: { name: `chaos ${audience}`, email: `${audience}@chaos.example`, webhookUrl: `${contactsBase}/contacts/${audience}`, audience, hours: 'always' },
      }),
    );
  }
}

async function must<T extends { outcome: string; path: string; attempts: string[]; answer?: unknown }>(p: Promise<T>): Promise<T> {
  const r = await p;
  if (r.outcome !== 'acked') throw new Error(`set-up ${r.path} failed: ${r.attempts.join(',')} ${JSON.stringify(r.answer ?? '').slice(0, 300)}`);
  return r;
}

// ---- incidents ---------------------------------------------------------------

type Step = { atMs: number; actions: Array<{ action: IncidentAction; role: ChaosRole; reason?: 'customer' | 'vendor' }> };

/** Each scenario: a policy and steps timed from the opening instant, several aimed at SLA thresholds. */
const SCENARIOS: Record<string, { policy: keyof typeof POLICIES; steps: Step[] }> = {
  // Paused on the customer across the restore clock's 50 % instant; resolved after the warnings.
  pause: {
    policy: 'P1/complex',
    steps: [
      { atMs: 2_000, actions: [{ action: 'assign', role: 'spm' }] }, // response 50 %
      {
        atMs: 3_600,
        actions: [
          { action: 'start', role: 'engineer' },
          { action: 'notes', role: 'spm' },
        ],
      }, // response 90 %
      { atMs: 7_000, actions: [{ action: 'pend', role: 'engineer', reason: 'customer' }] }, // restore 50 %
      { atMs: 10_500, actions: [{ action: 'resume', role: 'engineer' }] },
      {
        atMs: 16_100,
        actions: [
          { action: 'notes', role: 'engineer' },
          { action: 'escalate', role: 'spm' },
        ],
      }, // restore 90 % after the pause
      { atMs: 18_000, actions: [{ action: 'resolve', role: 'engineer' }] },
    ],
  },
  // Both clocks breach; transitions land on the breach instants; reopened and resolved again.
  breach: {
    policy: 'P2/simple',
    steps: [
      {
        atMs: 3_000,
        actions: [
          { action: 'assign', role: 'spm' },
          { action: 'notes', role: 'engineer' },
        ],
      }, // response 100 %
      { atMs: 4_000, actions: [{ action: 'start', role: 'engineer' }] }, // restore 50 %
      {
        atMs: 8_000,
        actions: [
          { action: 'escalate', role: 'spm' },
          { action: 'notes', role: 'engineer' },
        ],
      }, // restore 100 %
      { atMs: 10_000, actions: [{ action: 'resolve', role: 'engineer' }] },
      { atMs: 12_000, actions: [{ action: 'reopen', role: 'spm' }] },
      { atMs: 14_000, actions: [{ action: 'resolve', role: 'engineer' }] },
    ],
  },
  // Two people act at once on the same thresholds; one of each pair is refused (409).
  contend: {
    policy: 'P2/simple',
    steps: [
      {
        atMs: 1_500,
        actions: [
          { action: 'assign', role: 'spm' },
          { action: 'assign', role: 'engineer' },
        ],
      }, // response 50 %
      {
        atMs: 2_250,
        actions: [
          { action: 'start', role: 'spm' },
          { action: 'start', role: 'engineer' },
        ],
      }, // response 75 %
      {
        atMs: 4_000,
        actions: [
          { action: 'pend', role: 'engineer', reason: 'vendor' },
          { action: 'notes', role: 'spm' },
        ],
      }, // restore 50 %
      { atMs: 6_000, actions: [{ action: 'resume', role: 'engineer' }] }, // restore 75 %
      {
        atMs: 8_000,
        actions: [
          { action: 'resolve', role: 'engineer' },
          { action: 'resolve', role: 'spm' },
        ],
      }, // restore 100 %
    ],
  },
  // Cancelled while the response clock's warnings fire.
  cancel: {
    policy: 'P1/complex',
    steps: [
      { atMs: 2_000, actions: [{ action: 'notes', role: 'engineer' }] }, // response 50 %
      {
        atMs: 3_000,
        actions: [
          { action: 'cancel', role: 'spm' },
          { action: 'notes', role: 'engineer' },
        ],
      }, // response 75 %
    ],
  },
};

let tagCounter = 0;

export function bodyFor(action: IncidentAction, tag: string, reason?: 'customer' | 'vendor'): Record<string, unknown> {
  switch (action) {
    case 'assign':
      return { assignee: 'chaos-engineer', note: tag };
    case 'pend':
      return { reason: reason ?? 'customer', note: tag };
    case 'resolve':
      return { resolution: tag };
    case 'reopen':
    case 'cancel':
    case 'escalate':
      return { reason: tag };
    case 'notes':
      return { text: tag };
    default:
      return { note: tag };
  }
}

export async function transition(api: ApiClient, id: string, action: IncidentAction, role: ChaosRole, reason?: 'customer' | 'vendor') {
  const tag = `chaos#${++tagCounter}:${action}`;
  return api.request('POST', `/api/v1/incidents/${id}/${action}`, { role, body: bodyFor(action, tag, reason), tag });
}

async function runIncident(api: ApiClient, rng: Rng, round: number, n: number, known: Known): Promise<void> {
  const name = rng.pick(Object.keys(SCENARIOS));
  const scenario = SCENARIOS[name]!;
  const [severity, complexity] = scenario.policy.split('/') as ['P1' | 'P2', 'complex' | 'simple'];
  const opened = await api.request<IncidentView>('POST', '/api/v1/incidents', {
    role: rng.pick(['spm', 'engineer'] as const),
    body: {
      title: `카오스 ${round}-${n} (${name})`,
      description: `chaos round ${round}, scenario ${name}`,
      severity,
      complexity,
      system: rng.pick(['PBX', 'CTI', 'IVR'] as const),
      center: '상담 1센터',
      source: 'monitoring',
    },
  });
  const view = opened.answer as IncidentView | undefined;
  if (opened.outcome !== 'acked' || !view) {
    known.notes.push(`round ${round}: incident ${n} not opened (${opened.attempts.join(',')})`);
    return;
  }
  known.incidents.add(view.id);
  const openedAt = Date.parse(view.openedAt);
  for (const step of scenario.steps) {
    // Aimed at the threshold's instant, give or take a few milliseconds either side.
    const wait = openedAt + step.atMs + rng.int(-40, 40) - Date.now();
    if (wait > 0) await sleep(wait);
    await Promise.all(step.actions.map((a) => transition(api, view.id, a.action, a.role, a.reason)));
  }
}

// ---- lines, changes, inspections -------------------------------------------

export interface RoundLine {
  id: string;
  loginId: string;
  change?: string;
}

async function waitFor<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let value: T | undefined;
    try {
      value = await read();
      if (done(value)) return value;
    } catch {
      // the API may be down for a moment: that is the point
    }
    if (Date.now() > deadline) {
      if (value === undefined) throw new Error('no answer before the deadline');
      return value;
    }
    await sleep(1_000);
  }
}

async function runLineAndChange(api: ApiClient, rng: Rng, round: number, runTag: string, known: Known): Promise<RoundLine | undefined> {
  const dn = `7${String(round).padStart(4, '0')}`;
  const loginId = `chaos.${runTag}.${round}@chaos.example`;
  const requested = await api.request<LineState>('POST', '/api/v1/lines/provisioning', {
    role: 'spm',
    body: {
      center: '상담 1센터',
      dn,
      displayName: `카오스 ${round}`,
      lineType: 'extension',
      agent: { loginId, name: `카오스 상담원 ${round}`, team: '상담1팀', skills: [{ name: '상담', proficiency: 3 }], queues: ['대표번호'] },
    },
  });
  const line = requested.answer as LineState | undefined;
  if (requested.outcome !== 'acked' || !line) {
    known.notes.push(`round ${round}: line ${dn} not requested (${requested.attempts.join(',')})`);
    return undefined;
  }
  known.lines.add(line.id);
  await api.request('POST', `/api/v1/lines/${line.id}/contract`, {
    role: 'spm',
    body: { contractNo: `CHAOS-${runTag}-${round}`, carrier: 'KT', monthlyFee: 33_000, termMonths: 36, signedAt: new Date().toISOString().slice(0, 10) },
  });
  const settled = await waitFor(
    () => api.get<LineState>(`/api/v1/lines/${line.id}`),
    (l) => l.status === 'ACTIVE' || l.status === 'FAILED',
    150_000,
  );
  if (settled.status !== 'ACTIVE') {
    known.notes.push(
      `round ${round}: line ${line.id} ended ${settled.status}${settled.failure ? ` at ${settled.failure.step}: ${settled.failure.type} ${settled.failure.cause}` : ''}`,
    );
    return undefined;
  }
  // A change with a window that opens a few seconds after its approval.
  const start = Date.now() + rng.int(5_000, 10_000);
  const submitted = await api.request<ChangeState>('POST', '/api/v1/changes', {
    role: 'engineer',
    body: {
      type: 'skillset',
      target: loginId,
      params: {
        skills: [
          { name: '상담', proficiency: rng.int(1, 5) },
          { name: '영어', proficiency: rng.int(1, 5) },
        ],
      },
      window: { start: new Date(start).toISOString(), end: new Date(start + 30 * 60_000).toISOString() },
      reason: `chaos round ${round}`,
    },
  });
  const change = submitted.answer as ChangeState | undefined;
  if (submitted.outcome !== 'acked' || !change) {
    known.notes.push(`round ${round}: change on ${loginId} not submitted (${submitted.attempts.join(',')})`);
    return { id: line.id, loginId };
  }
  known.changes.add(change.id);
  await api.request('POST', `/api/v1/changes/${change.id}/approve`, { role: 'spm', body: { approver: 'customer', comment: 'chaos approval' } });
  return { id: line.id, loginId, change: change.id };
}

const FINAL_CHANGE = ['COMPLETED', 'FAILED', 'ROLLED_BACK', 'REJECTED', 'EXPIRED', 'CANCELLED'];

/** The previous round's line goes: its change first ends, then termination, equipment back, deprovisioning. */
export async function terminateLine(api: ApiClient, line: RoundLine, known: Known): Promise<void> {
  if (line.change)
    await waitFor(
      () => api.get<ChangeState>(`/api/v1/changes/${line.change}`),
      (c) => FINAL_CHANGE.includes(c.status),
      90_000,
    );
  const asked = await api.request('POST', `/api/v1/lines/${line.id}/termination`, { role: 'spm', body: { reason: 'chaos: end of the round' } });
  if (asked.outcome !== 'acked') {
    known.notes.push(`line ${line.id}: termination not accepted (${asked.attempts.join(',')} ${JSON.stringify(asked.answer ?? '').slice(0, 200)})`);
    return;
  }
  await waitFor(
    () => api.get<LineState>(`/api/v1/lines/${line.id}`),
    (l) => l.step.includes('equipment') || l.status === 'TERMINATED',
    60_000,
  );
  await api.request('POST', `/api/v1/lines/${line.id}/equipment-returned`, { role: 'spm', body: { note: 'chaos: returned' } });
}

async function runInspection(api: ApiClient, k: number, known: Known): Promise<void> {
  const month = new Date(Date.UTC(2024, k, 1));
  const period = month.toISOString().slice(0, 7);
  const started = await api.request<{ id: string }>('POST', '/api/v1/inspections', { role: 'spm', body: { period } });
  const inspection = started.answer as { id: string } | undefined;
  if (started.outcome !== 'acked' || !inspection) {
    known.notes.push(`inspection ${period} not started (${started.attempts.join(',')})`);
    return;
  }
  known.inspections.add(inspection.id);
  const reviewed = await waitFor(
    () => api.get<{ status: string }>(`/api/v1/inspections/${inspection.id}`),
    (i) => i.status !== 'RUNNING',
    180_000,
  );
  if (reviewed.status === 'AWAITING_REVIEW')
    await api.request('POST', `/api/v1/inspections/${inspection.id}/approve`, { role: 'spm', body: { comments: 'chaos review' } });
  else known.notes.push(`inspection ${inspection.id} (${period}) ended ${reviewed.status}`);
}

export interface RoundPlan {
  round: number;
  incidents: number;
  inspection: boolean;
  /** The line to terminate, from the round before. */
  previousLine?: RoundLine;
}

/** One round's workload; resolves with the round's line (when it went ACTIVE) once everything it started has had its chance. */
export async function runRound(api: ApiClient, rng: Rng, plan: RoundPlan, runTag: string, known: Known, inspectionNo: number): Promise<RoundLine | undefined> {
  const tasks: Array<Promise<unknown>> = [];
  for (let n = 1; n <= plan.incidents; n++) {
    const delay = rng.int(0, 6_000);
    const r = rng.int(0, 1_000_000);
    tasks.push(sleep(delay).then(() => runIncident(api, forkRng(rng, r), plan.round, n, known)));
  }
  const line = runLineAndChange(api, forkRng(rng, rng.int(0, 1_000_000)), plan.round, runTag, known);
  tasks.push(line);
  if (plan.previousLine) tasks.push(terminateLine(api, plan.previousLine, known));
  if (plan.inspection) tasks.push(runInspection(api, inspectionNo, known));
  const outcomes = await Promise.allSettled(tasks);
  for (const o of outcomes) if (o.status === 'rejected') known.notes.push(`round ${plan.round}: workload step failed: ${(o.reason as Error).message}`);
  return line.catch(() => undefined);
}

/** A child generator, so concurrent tasks do not draw from one sequence in a timing-dependent order. */
function forkRng(rng: Rng, seed: number): Rng {
  return createRng(seed ^ Math.floor(rng.next() * 0x7fffffff));
}
