import { tsToMs } from '@temporalio/common/lib/time';
import type { History } from '../line-provisioning/history-tasks';

/** One collectSystem activity: its target (from the activity's input) and its last attempt. */
export interface CollectorRun {
  center: string;
  system: string;
  /** Scheduled → started (of the last attempt): waiting for an activity slot. */
  queueMs: number;
  runMs: number;
  attempt: number;
}

/**
 * Where one inspection's time went, from its event history. The phases follow
 * each other and add up to `totalMs`, WorkflowExecutionStarted → the workflow
 * task that projected AWAITING_REVIEW:
 * plan (beginInspection, first projection) → collectors (first inspectSystem
 * scheduled → last one closed) → incidents (claimFindingIncident + starting
 * each child incidentWorkflow, one after the other) → report
 * (renderInspectionReport scheduled → closed) → finish (the projection).
 */
export interface Phases {
  totalMs: number;
  planMs: number;
  collectorsMs: number;
  incidentsMs: number;
  reportMs: number;
  finishMs: number;
  collectors: CollectorRun[];
  /** claimFindingIncident activities: how many, and their scheduled → closed summed. */
  claims: { n: number; ms: number };
  /** Child incident workflows: StartChildWorkflowExecutionInitiated → ChildWorkflowExecutionStarted, summed. */
  childStarts: { n: number; ms: number };
  /** The report activity alone: queue and run of its last attempt. */
  report: { queueMs: number; runMs: number; attempt: number };
  workflowTasks: number;
  events: number;
  /** Bytes of the payloads in the history (inputs, results, markers, …), and the largest one (Temporal refuses payloads over 2 MB by default). */
  payloads: { bytes: number; largest: number; largestEvent: string };
  /** Epoch ms of the phase boundaries, to look at what else ran in each phase. */
  marks: { started: number; collectorsEnd: number; reportScheduled: number; reportClosed: number; end: number };
}

interface Activity {
  type: string;
  scheduled: number;
  started?: number;
  closed?: number;
  closedEventId?: number;
  attempt: number;
  input?: unknown;
}

export function analysePhases(history: History): Phases {
  const events = history.events ?? [];
  const activities = new Map<number, Activity>();
  const childInitiated = new Map<number, number>();
  const childStarts: number[] = [];
  const wftCompleted: Array<{ id: number; at: number }> = [];
  let workflowStarted = NaN;
  for (const e of events) {
    const at = tsToMs(e.eventTime);
    const id = Number(e.eventId);
    if (e.workflowExecutionStartedEventAttributes) workflowStarted = at;
    else if (e.activityTaskScheduledEventAttributes) {
      const a = e.activityTaskScheduledEventAttributes;
      activities.set(id, { type: a.activityType?.name ?? '?', scheduled: at, attempt: 1, input: decode(a.input?.payloads?.[0]?.data) });
    } else if (e.activityTaskStartedEventAttributes) {
      const a = activities.get(Number(e.activityTaskStartedEventAttributes.scheduledEventId));
      if (a) Object.assign(a, { started: at, attempt: e.activityTaskStartedEventAttributes.attempt ?? 1 });
    } else if (e.activityTaskCompletedEventAttributes || e.activityTaskFailedEventAttributes || e.activityTaskTimedOutEventAttributes) {
      const attrs = e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes!;
      const a = activities.get(Number(attrs.scheduledEventId));
      if (a) Object.assign(a, { closed: at, closedEventId: id });
    } else if (e.startChildWorkflowExecutionInitiatedEventAttributes) {
      childInitiated.set(id, at);
    } else if (e.childWorkflowExecutionStartedEventAttributes || e.startChildWorkflowExecutionFailedEventAttributes) {
      const attrs = e.childWorkflowExecutionStartedEventAttributes ?? e.startChildWorkflowExecutionFailedEventAttributes!;
      const initiated = childInitiated.get(Number(attrs.initiatedEventId));
      if (initiated !== undefined) childStarts.push(at - initiated);
    } else if (e.workflowTaskCompletedEventAttributes) {
      wftCompleted.push({ id, at });
    }
  }

  const all = [...activities.values()];
  const ofType = (type: string) => all.filter((a) => a.type === type);
  // inspectSystem since issue 18 (findings stored, counts returned); collectSystem before.
  const collectors = [...ofType('collectSystem'), ...ofType('inspectSystem')];
  const render = ofType('renderInspectionReport').at(-1);
  if (!collectors.length || !render?.closed) throw new Error('the history has no collectors or no finished report: the inspection did not get to review');
  const collectorsStart = Math.min(...collectors.map((a) => a.scheduled));
  const collectorsEnd = Math.max(...collectors.map((a) => a.closed ?? a.scheduled));
  // The AWAITING_REVIEW projection is a local activity of the first workflow task after the report came back.
  const end = wftCompleted.find((w) => w.id > render.closedEventId!)?.at ?? render.closed;
  // One openFindingIncidents since issue 18; a claimFindingIncident per critical finding before.
  const claims = [...ofType('claimFindingIncident'), ...ofType('openFindingIncidents')];
  return {
    totalMs: end - workflowStarted,
    planMs: collectorsStart - workflowStarted,
    collectorsMs: collectorsEnd - collectorsStart,
    incidentsMs: render.scheduled - collectorsEnd,
    reportMs: render.closed - render.scheduled,
    finishMs: end - render.closed,
    collectors: collectors.map((a) => {
      const target = (a.input as { target?: { center?: string; system?: string } } | undefined)?.target;
      const started = a.started ?? a.scheduled;
      return {
        center: target?.center ?? '?',
        system: target?.system ?? '?',
        queueMs: started - a.scheduled,
        runMs: (a.closed ?? started) - started,
        attempt: a.attempt,
      };
    }),
    claims: { n: claims.length, ms: claims.reduce((s, a) => s + ((a.closed ?? a.scheduled) - a.scheduled), 0) },
    childStarts: { n: childStarts.length, ms: childStarts.reduce((s, ms) => s + ms, 0) },
    report: {
      queueMs: (render.started ?? render.scheduled) - render.scheduled,
      runMs: render.closed - (render.started ?? render.scheduled),
      attempt: render.attempt,
    },
    workflowTasks: wftCompleted.length,
    events: events.length,
    payloads: payloadSizes(events),
    marks: { started: workflowStarted, collectorsEnd, reportScheduled: render.scheduled, reportClosed: render.closed, end },
  };
}

function payloadSizes(events: NonNullable<History['events']>): Phases['payloads'] {
  const out = { bytes: 0, largest: 0, largestEvent: '' };
  for (const e of events) {
    const kind = Object.keys(e).find((k) => k.endsWith('EventAttributes') && (e as Record<string, unknown>)[k]) ?? '?';
    const visit = (v: unknown, key: string): void => {
      if (v instanceof Uint8Array) {
        if (key !== 'data') return;
        out.bytes += v.length;
        if (v.length > out.largest) Object.assign(out, { largest: v.length, largestEvent: kind.replace(/EventAttributes$/, '') });
      } else if (v && typeof v === 'object') {
        for (const [k, child] of Object.entries(v)) visit(child, k);
      }
    };
    visit(e, '');
  }
  return out;
}

/** A JSON payload's value (the SDK's default converter); undefined for anything else. */
function decode(data: Uint8Array | null | undefined): unknown {
  if (!data) return undefined;
  try {
    return JSON.parse(Buffer.from(data).toString('utf8'));
  } catch {
    return undefined;
  }
}
