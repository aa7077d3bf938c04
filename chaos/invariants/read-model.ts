import type { Client } from '@temporalio/client';
import type { ChangeState } from '../../domain/change/contracts';
import type { IncidentState } from '../../domain/incident/contracts';
import type { IncidentView } from '../../domain/incident/view';
import type { LineState } from '../../domain/line/contracts';
import { changedBy, type LineFields } from '../../domain/line/follow-change';
import { changeStateQuery, changeWorkflowId } from '../../workflows/change/messages';
import { incidentStateQuery, incidentWorkflowId } from '../../workflows/incident/messages';
import { lineStateQuery, lineTerminationWorkflowId, lineWorkflowId } from '../../workflows/line/messages';
import type { ApiClient } from '../api-client';
import { count, emptyResult, type CheckResult } from './violation';

/**
 * The read model (what GET answers, from PostgreSQL) equals the workflow's own
 * state (its `state` Query) once settled. A difference may be a projection in
 * flight, so each subject is compared again for a while before it counts.
 * A line changed by a change request after its own workflow closed is that
 * workflow's state plus what the change workflows say they recorded on it
 * (their `line-updated` events): nothing more, nothing less.
 */

export type Subject = { kind: 'incident' | 'line' | 'change'; id: string };

const SETTLE_MS = 30_000;

export async function checkReadModel(
  api: ApiClient,
  client: Client,
  subjects: readonly Subject[],
  incidents?: Map<string, IncidentState>,
): Promise<CheckResult> {
  const result = emptyResult();
  const hasLines = subjects.some((s) => s.kind === 'line');
  let follows = hasLines ? await lineFollows(client, subjects) : new Map<string, LineFollow[]>();
  for (const subject of subjects) {
    count(result, 'read-model-equals-workflow');
    const deadline = Date.now() + SETTLE_MS;
    let difference: string | undefined;
    for (;;) {
      try {
        difference = await compare(api, client, subject, incidents, follows);
      } catch (err) {
        difference = `could not compare: ${(err as Error).message.slice(0, 300)}`;
        // A workflow its worker cannot replay will not answer later either.
        if (/Nondeterminism|TMPRL1100/.test((err as Error).message)) break;
      }
      if (!difference || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 1_000));
      // A change may record itself on a line after the line's row moved (or its query may have failed a moment ago):
      // what the changes say is read again, not judged from the first reading.
      if (subject.kind === 'line') follows = await lineFollows(client, subjects);
    }
    if (difference) result.violations.push({ invariant: 'read-model-equals-workflow', subject: `${subject.kind} ${subject.id}`, detail: difference });
  }
  return result;
}

async function compare(
  api: ApiClient,
  client: Client,
  s: Subject,
  incidents: Map<string, IncidentState> | undefined,
  follows: Map<string, LineFollow[]>,
): Promise<string | undefined> {
  switch (s.kind) {
    case 'incident': {
      const state = await client.workflow.getHandle(incidentWorkflowId(s.id)).query(incidentStateQuery);
      incidents?.set(s.id, state);
      const view = await api.get<IncidentView>(`/api/v1/incidents/${s.id}`);
      return diff(incidentShape(state, state.warnings), incidentShape(view, view.sla.warnings));
    }
    case 'line': {
      const state = await lineWorkflowState(client, s.id);
      const stored = await api.get<LineState>(`/api/v1/lines/${s.id}`);
      return lineDifference(state, follows.get(s.id) ?? [], stored);
    }
    case 'change': {
      const state = await client.workflow.getHandle(changeWorkflowId(s.id)).query(changeStateQuery);
      const stored = await api.get<ChangeState>(`/api/v1/changes/${s.id}`);
      return diff(changeShape(state), changeShape(stored));
    }
  }
}

/** The termination workflow holds the line once it exists; the provisioning workflow before. */
export async function lineWorkflowState(client: Client, id: string): Promise<LineState> {
  try {
    return await client.workflow.getHandle(lineTerminationWorkflowId(id)).query(lineStateQuery);
  } catch (err) {
    if ((err as Error).name !== 'WorkflowNotFoundError' && !/not found/i.test((err as Error).message)) throw err;
    return client.workflow.getHandle(lineWorkflowId(id)).query(lineStateQuery);
  }
}

/** A change's record on a line (its `line-updated` event): the line's history entry number and the fields after. */
export type LineFollow = { changeId: string; lineSeq: number; after: LineFields };

/** What each change among the subjects says it recorded on which line. */
async function lineFollows(client: Client, subjects: readonly Subject[]): Promise<Map<string, LineFollow[]>> {
  const follows = new Map<string, LineFollow[]>();
  for (const s of subjects.filter((x) => x.kind === 'change')) {
    const state = await client.workflow
      .getHandle(changeWorkflowId(s.id))
      .query(changeStateQuery)
      .catch(() => undefined);
    for (const e of state?.history ?? []) {
      if (e.type !== 'line-updated') continue;
      const d = e.details as { lineId: string; lineSeq: number; after: LineFields };
      follows.set(d.lineId, [...(follows.get(d.lineId) ?? []), { changeId: s.id, lineSeq: d.lineSeq, after: d.after }]);
    }
  }
  return follows;
}

/**
 * The line as the read model must hold it: its workflow's state, then each change
 * recorded after that state's last entry, in order (a termination started from the
 * inventory already holds the earlier ones).
 */
export function followedLine(state: LineState, follows: readonly LineFollow[]): LineState {
  const line: LineState = { ...state, history: [...state.history] };
  for (const f of [...follows].sort((a, b) => a.lineSeq - b.lineSeq)) {
    if (f.lineSeq <= state.history.length) continue;
    Object.assign(line, f.after);
    line.history.push({ seq: f.lineSeq, at: '', type: changedBy(f.changeId), actor: { id: 'butler', role: 'system' } });
  }
  return line;
}

/** The first difference between the line its workflow and changes say it is and the stored one. */
export function lineDifference(state: LineState, follows: readonly LineFollow[], stored: LineState): string | undefined {
  return diff(lineShape(followedLine(state, follows)), lineShape(stored));
}

type IncidentFields = Pick<IncidentView, 'status' | 'level' | 'assignee' | 'resolvedAt' | 'closedAt' | 'timeline'>;

function incidentShape(s: IncidentFields, warnings: unknown) {
  return {
    status: s.status,
    level: s.level,
    assignee: s.assignee,
    resolvedAt: s.resolvedAt,
    closedAt: s.closedAt,
    warnings,
    timeline: s.timeline.map((e) => ({ seq: e.seq, at: e.at, type: e.type, actor: e.actor.id, from: e.from, to: e.to, details: e.details })),
  };
}

function lineShape(s: LineState) {
  return {
    dn: s.dn,
    phone: s.phone,
    agent: s.agent,
    status: s.status,
    step: s.step,
    installed: s.installed,
    failure: s.failure,
    contract: s.contract?.contractNo,
    history: s.history.map((e) => `${e.seq}:${e.type}`),
  };
}

function changeShape(s: ChangeState) {
  return {
    status: s.status,
    step: s.step,
    approvals: s.approvals.map((a) => `${a.approver}:${a.actor.id}`),
    retroApproval: s.retroApproval?.status,
    failure: s.failure,
    history: s.history.map((e) => `${e.seq}:${e.type}`),
  };
}

/** The first field that differs, as "field[i]: workflow … ≠ read model …"; undefined when equal. */
export function diff(workflow: Record<string, unknown>, readModel: Record<string, unknown>): string | undefined {
  for (const key of Object.keys(workflow)) {
    const w = workflow[key];
    const r = readModel[key];
    if (canonical(w) === canonical(r)) continue;
    if (Array.isArray(w) && Array.isArray(r)) {
      const i = w.findIndex((x, n) => canonical(x) !== canonical(r[n]));
      const at = i === -1 ? w.length : i;
      return `${key}[${at}] (workflow has ${w.length}, read model ${r.length}): workflow ${canonical(w[at]).slice(0, 300)} ≠ read model ${canonical(r[at]).slice(0, 300)}`;
    }
    return `${key}: workflow ${canonical(w).slice(0, 400)} ≠ read model ${canonical(r).slice(0, 400)}`;
  }
  return undefined;
}

function canonical(v: unknown): string {
  return (
    JSON.stringify(v, (_k, value: unknown) =>
      value && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(
            Object.entries(value as Record<string, unknown>)
              .filter(([, x]) => x !== undefined && x !== null)
              .sort(([a], [b]) => a.localeCompare(b)),
          )
        : value,
    ) ?? 'undefined'
  );
}
