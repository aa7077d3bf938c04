import type { Client } from '@temporalio/client';
import type { ChangeState } from '../../domain/change/contracts';
import type { IncidentState } from '../../domain/incident/contracts';
import type { IncidentView } from '../../domain/incident/view';
import type { LineState } from '../../domain/line/contracts';
import { changeStateQuery, changeWorkflowId } from '../../workflows/change/messages';
import { incidentStateQuery, incidentWorkflowId } from '../../workflows/incident/messages';
import { lineStateQuery, lineTerminationWorkflowId, lineWorkflowId } from '../../workflows/line/messages';
import type { ApiClient } from '../api-client';
import { count, emptyResult, type CheckResult } from './violation';

/**
 * The read model (what GET answers, from PostgreSQL) equals the workflow's own
 * state (its `state` Query) once settled. A difference may be a projection in
 * flight, so each subject is compared again for a while before it counts.
 */

export type Subject = { kind: 'incident' | 'line' | 'change'; id: string };

const SETTLE_MS = 30_000;

export async function checkReadModel(
  api: ApiClient,
  client: Client,
  subjects: readonly Subject[],
  timelines?: Map<string, IncidentState['timeline']>,
): Promise<CheckResult> {
  const result = emptyResult();
  for (const subject of subjects) {
    count(result, 'read-model-equals-workflow');
    const deadline = Date.now() + SETTLE_MS;
    let difference: string | undefined;
    for (;;) {
      try {
        difference = await compare(api, client, subject, timelines);
      } catch (err) {
        difference = `could not compare: ${(err as Error).message.slice(0, 300)}`;
        // A workflow its worker cannot replay will not answer later either.
        if (/Nondeterminism|TMPRL1100/.test((err as Error).message)) break;
      }
      if (!difference || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 1_000));
    }
    if (difference) result.violations.push({ invariant: 'read-model-equals-workflow', subject: `${subject.kind} ${subject.id}`, detail: difference });
  }
  return result;
}

async function compare(api: ApiClient, client: Client, s: Subject, timelines?: Map<string, IncidentState['timeline']>): Promise<string | undefined> {
  switch (s.kind) {
    case 'incident': {
      const state = await client.workflow.getHandle(incidentWorkflowId(s.id)).query(incidentStateQuery);
      timelines?.set(s.id, state.timeline);
      const view = await api.get<IncidentView>(`/api/v1/incidents/${s.id}`);
      return diff(incidentShape(state, state.warnings), incidentShape(view, view.sla.warnings));
    }
    case 'line': {
      const state = await lineWorkflowState(client, s.id);
      const stored = await api.get<LineState>(`/api/v1/lines/${s.id}`);
      return diff(lineShape(state), lineShape(stored));
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
