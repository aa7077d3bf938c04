import { calendarVersion } from '../calendar/calendar-version';
import { IncidentWorkflowInput, type IncidentState, type IncidentUpdateOutcome } from '../incident/contracts';
import { ALERT_UPDATE, breachDueAt, clockEventOfAction, clockEvents } from '../incident/lifecycle';
import { computeSla } from '../sla/clock';
import { secondOpinion, type SecondOpinion } from '../sla/second-opinion';
import type { ClockEvent, ClockState, PendReason, SlaSnapshot } from '../sla/model';
import { attributes, eventInstant, eventKind, firstPayload, runLinks, type HistoryEvent, type HistoryJson } from './history-json';

/**
 * An incident's SLA result proven from its event history alone, for an auditor.
 *
 * The history is read, not trusted: the policy snapshot comes from the start input
 * (its calendar version recomputed from its holidays), the clock events from the
 * Updates Temporal accepted and completed, each at the workflow time of the task that
 * ran it (the WorkflowTaskStarted before it — the same clock the workflow read). The
 * clock is then recomputed with the same pure function the workflow uses and compared
 * with what the workflow itself recorded: its result, or the last Update's outcome for
 * a running incident captured on demand.
 *
 * An incident that lived long continued as new: its runs are proven as one. Each later
 * run must start from what the earlier runs' histories show (the server links the runs;
 * the clock events the run carried are compared with those derived so far), with the
 * same policy snapshot.
 */

export interface ProvenClockEvent {
  type: ClockEvent['type'];
  at: string;
  reason?: PendReason;
  /** The history event it was read from. */
  eventId: number;
  /** Which run of a continued incident (1 for the first); `#n` in the explanation is `run × 1,000,000 + eventId` from run 2 on. */
  run: number;
}

export interface ProvenInterval {
  from: string;
  to: string;
  seconds: number;
  /** The history event that started (resumed, reopened) the counting. */
  fromEventId: number | null;
  /** The history event that stopped or paused it; null when still counting at `asOf`. */
  toEventId: number | null;
}

export interface ProvenClock {
  targetSeconds: number;
  elapsedSeconds: number;
  breached: boolean;
  dueAt: string | null;
  stoppedBy: string | null;
  intervals: ProvenInterval[];
}

export interface SlaProof {
  incidentId: string;
  policy: Omit<SlaSnapshot, 'calendar'>;
  calendar: {
    version: string;
    recomputedVersion: string;
    versionMatches: boolean;
    timezone: string;
    workdays: number[];
    dayStart: string;
    dayEnd: string;
    holidays: number;
  };
  /** The instant the result is judged at: the workflow time of the event the recorded state comes from. */
  asOf: string;
  /** Where the workflow's own record was read: the completion, or the last completed Update. */
  recordedAt: { eventId: number; kind: string } | null;
  /** The runs proven, oldest first (more than one when the incident continued as new). */
  runs: string[];
  clockEvents: ProvenClockEvent[];
  recomputed: { response: ProvenClock; restore: ProvenClock };
  /** The same clocks judged by the second, independent evaluation (domain/sla/second-opinion.ts); a disagreement is a difference. */
  secondOpinion: SecondOpinion;
  recorded: { breached: { response: boolean; restore: boolean }; breachDueAt: { response: string | null; restore: string | null } } | null;
  matches: boolean;
  /** Each way the recomputation and the record disagree; empty when they match. */
  differences: string[];
  /** The clock's own explanation; `#n` cites a history event id. */
  explanation: string[];
}

export class SlaProofError extends Error {
  override name = 'SlaProofError';
}

interface UpdateAccepted {
  protocolInstanceId?: string;
  acceptedRequest: { meta?: { updateId?: string }; input: { name: string; args?: { payloads?: [] } } };
}
interface UpdateCompleted {
  meta?: { updateId?: string };
  outcome?: { success?: { payloads?: [] }; failure?: unknown };
}

/** What an incident's SLA is judged from, read off its history alone. */
export interface IncidentClockCase {
  input: IncidentWorkflowInput;
  /** The clock events the history shows, in order. */
  events: ProvenClockEvent[];
  /** The instant the workflow's last record stands at. */
  asOf: string;
  recorded: Recorded | null;
  recordedAt: SlaProof['recordedAt'];
  /** Where the runs do not hang together (a run continued from one not supplied, a handover that differs). */
  differences: string[];
}

/** `runs`: one history, or every run of an incident that continued as new, oldest first. */
export function readIncidentClockCase(runs: HistoryJson | readonly HistoryJson[]): IncidentClockCase {
  const histories = Array.isArray(runs) ? runs : [runs as HistoryJson];
  if (histories.length === 0) throw new SlaProofError('no history to prove');
  const inputs = histories.map(startInput);
  const input = inputs[0]!;
  const differences: string[] = [];
  const derived: ProvenClockEvent[] = [];
  let last: ReturnType<typeof readHistory> | undefined;
  histories.forEach((history, i) => {
    const run = i + 1;
    const carried = inputs[i]!.continued;
    if (i === 0 && carried) {
      // The earlier runs were not supplied: their clock events can only be taken as this run carried them.
      differences.push(`the history continues run ${carried.fromRunId}, which was not supplied: its clock events are taken as carried, not proven`);
      derived.push(...recordOf(carried.state).clockEvents.map((e) => ({ ...(e as ProvenClockEvent), eventId: 0, run: 0 })));
    }
    if (i > 0) differences.push(...checkHandover(histories[i - 1]!, history, inputs[i]!, input, derived, run));
    last = readHistory(history.events, i === 0 && !carried ? input.openedAt : null, run);
    derived.push(...last.derived);
  });
  const { recordedAt, asOf } = last!;
  const lastCarried = inputs.at(-1)!.continued;
  // A run that has recorded nothing yet stands on what it carried.
  const recorded = last!.recorded ?? (lastCarried ? recordOf(lastCarried.state) : null);
  return { input, events: derived, asOf, recorded, recordedAt, differences };
}

/** `runs`: one history, or every run of an incident that continued as new, oldest first. */
export function proveSla(runs: HistoryJson | readonly HistoryJson[]): SlaProof {
  const histories = Array.isArray(runs) ? runs : [runs as HistoryJson];
  const { input, events: derived, asOf, recorded, recordedAt, differences } = readIncidentClockCase(histories);
  const { calendar, ...policy } = input.sla;
  const recomputedVersion = calendarVersion(calendar.holidays);
  const seqOf = (e: ProvenClockEvent) => (e.run > 1 ? e.run * 1_000_000 + e.eventId : e.eventId);
  const result = computeSla({ snapshot: input.sla, events: derived.map((e) => ({ ...e, seq: seqOf(e) })), now: asOf });
  const byInstant = new Map(derived.map((e) => [e.at, seqOf(e)]));
  const clock = (state: ClockState): ProvenClock => ({
    targetSeconds: state.targetSeconds,
    elapsedSeconds: state.elapsedSeconds,
    breached: state.breached,
    dueAt: state.breached ? state.dueAt : null,
    stoppedBy: state.stoppedBy ?? null,
    intervals: state.intervals.map((i) => ({
      from: i.from,
      to: i.to,
      seconds: i.seconds,
      fromEventId: i.sinceSeq ?? null,
      toEventId: i.to === asOf && !state.stopped && !state.paused ? null : (byInstant.get(i.to) ?? null),
    })),
  });
  const recomputed = { response: clock(result.response), restore: clock(result.restore) };
  // The second, independent evaluation (second-opinion.ts) must reach the same figures.
  const second = secondOpinion(input.sla, derived, asOf);
  for (const name of ['response', 'restore'] as const) {
    const mine = recomputed[name];
    const theirs = second[name];
    if (theirs.elapsedSeconds !== mine.elapsedSeconds || theirs.breached !== mine.breached || theirs.breachedAt !== mine.dueAt) {
      differences.push(
        `${name}: the second evaluation counts ${theirs.elapsedSeconds} s${theirs.breached ? `, breached at ${theirs.breachedAt}` : ''}; ` +
          `the clock ${mine.elapsedSeconds} s${mine.breached ? `, breached at ${mine.dueAt}` : ''}`,
      );
    }
  }

  if (recomputedVersion !== calendar.version) {
    differences.push(`calendar version ${calendar.version} does not match its holidays (${recomputedVersion})`);
  }
  if (!recorded) {
    differences.push('the history holds no recorded state to compare with (no completed Update and no result)');
  } else {
    differences.push(...compareEvents(derived, recorded.clockEvents));
    for (const name of ['response', 'restore'] as const) {
      if (recomputed[name].breached !== recorded!.breached[name]) {
        differences.push(
          `${name}: recomputed ${recomputed[name].breached ? 'breached' : 'met or running'}, the workflow recorded ${recorded!.breached[name] ? 'breached' : 'not breached'}`,
        );
      } else if (recomputed[name].breached && recorded!.breachDueAt[name] !== recomputed[name].dueAt) {
        differences.push(`${name}: breached at ${recomputed[name].dueAt} recomputed, ${recorded!.breachDueAt[name]} recorded`);
      }
    }
  }

  return {
    incidentId: input.id,
    policy,
    calendar: {
      version: calendar.version,
      recomputedVersion,
      versionMatches: recomputedVersion === calendar.version,
      timezone: calendar.timezone,
      workdays: calendar.workdays,
      dayStart: calendar.dayStart,
      dayEnd: calendar.dayEnd,
      holidays: calendar.holidays.length,
    },
    asOf,
    recordedAt,
    runs: histories.map((h) => runLinks(h).runId ?? ''),
    clockEvents: derived,
    recomputed,
    secondOpinion: second,
    recorded: recorded ? { breached: recorded.breached, breachDueAt: recorded.breachDueAt } : null,
    matches: differences.length === 0,
    differences,
    explanation: result.explanation,
  };
}

/**
 * Walks the history once: the clock events (opened from the input; then every Update
 * that completed successfully; an auto-close read off the completion), and the last
 * state the workflow recorded with the workflow time it was recorded at.
 */
function readHistory(events: HistoryEvent[], openedAt: string | null, run: number) {
  const derived: ProvenClockEvent[] = openedAt ? [{ type: 'opened', at: openedAt, eventId: Number(events[0]!.eventId), run }] : [];
  const accepted = new Map<string, ProvenClockEvent>();
  const alertsAccepted = new Map<string, { at: string; eventId: number }>();
  let taskTime = eventInstant(events[0]!);
  let recorded: Recorded | null = null;
  let recordedAt: SlaProof['recordedAt'] = null;
  let asOf = openedAt ?? taskTime;
  let closedByUpdate = false;

  for (const e of events) {
    switch (eventKind(e)) {
      case 'WORKFLOW_TASK_STARTED':
        taskTime = eventInstant(e);
        break;
      case 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED': {
        const a = attributes<UpdateAccepted>(e);
        const name = a.acceptedRequest.input.name;
        // A monitoring alert's Update resolves the incident only sometimes: its answer says (below).
        if (name === ALERT_UPDATE)
          alertsAccepted.set(a.acceptedRequest.meta?.updateId ?? a.protocolInstanceId ?? e.eventId, { at: taskTime, eventId: Number(e.eventId) });
        const type = clockEventOfAction(name);
        if (!type) break;
        const request = firstPayload(a.acceptedRequest.input.args) as { body?: { reason?: PendReason } } | undefined;
        const reason = type === 'pended' ? request?.body?.reason : undefined;
        accepted.set(a.acceptedRequest.meta?.updateId ?? a.protocolInstanceId ?? e.eventId, {
          type,
          at: taskTime,
          ...(reason ? { reason } : {}),
          eventId: Number(e.eventId),
          run,
        });
        break;
      }
      case 'WORKFLOW_EXECUTION_UPDATE_COMPLETED': {
        const a = attributes<UpdateCompleted>(e);
        const id = a.meta?.updateId ?? '';
        const answer = a.outcome?.success ? (firstPayload(a.outcome.success) as IncidentState | IncidentUpdateOutcome | undefined) : undefined;
        const alert = alertsAccepted.get(id);
        alertsAccepted.delete(id);
        const resolvedByAlert = alert && answer && 'event' in answer && answer.event?.type === 'resolved';
        const clockEvent = resolvedByAlert ? { type: 'resolved' as const, ...alert, run } : accepted.get(id);
        accepted.delete(id);
        if (!a.outcome?.success) break;
        if (clockEvent) {
          derived.push(clockEvent);
          if (clockEvent.type === 'closed' || clockEvent.type === 'cancelled') closedByUpdate = true;
        }
        if (answer && ('timeline' in answer || 'clockEvents' in answer)) {
          recorded = recordOf(answer);
          recordedAt = { eventId: Number(e.eventId), kind: 'update completed' };
          asOf = taskTime;
        }
        break;
      }
      case 'WORKFLOW_EXECUTION_COMPLETED': {
        // Closed without a close or cancel Update: the auto-close timer closed it, in this task.
        if (!closedByUpdate) derived.push({ type: 'closed', at: taskTime, eventId: Number(e.eventId), run });
        const state = firstPayload(attributes<{ result?: { payloads?: [] } }>(e).result) as IncidentState | undefined;
        if (state?.timeline) {
          recorded = recordOf(state);
          recordedAt = { eventId: Number(e.eventId), kind: 'workflow completed' };
        }
        asOf = taskTime;
        break;
      }
    }
  }
  return { derived, recorded: recorded as Recorded | null, recordedAt, asOf };
}

/** What the workflow recorded, from its whole state (a result; an Update's answer before issue 11) or an Update's outcome. */
export interface Recorded {
  clockEvents: Array<Pick<ClockEvent, 'type' | 'at' | 'reason'>>;
  breached: { response: boolean; restore: boolean };
  breachDueAt: { response: string | null; restore: string | null };
}

function recordOf(answer: IncidentState | IncidentUpdateOutcome): Recorded {
  if ('timeline' in answer) return { clockEvents: clockEvents(answer), breached: { ...answer.breached }, breachDueAt: breachDueAt(answer) };
  return { clockEvents: answer.clockEvents as Recorded['clockEvents'], breached: { ...answer.breached }, breachDueAt: answer.breachDueAt };
}

function startInput(history: HistoryJson): IncidentWorkflowInput {
  const started = history.events[0];
  if (!started || eventKind(started) !== 'WORKFLOW_EXECUTION_STARTED') throw new SlaProofError('the history does not begin with WorkflowExecutionStarted');
  const startedAttrs = attributes<{ workflowType?: { name?: string }; input?: { payloads?: [] } }>(started);
  if (startedAttrs.workflowType?.name !== 'incidentWorkflow')
    throw new SlaProofError(`not an incident history: ${startedAttrs.workflowType?.name ?? 'unknown type'}`);
  const parsed = IncidentWorkflowInput.safeParse(firstPayload(startedAttrs.input));
  if (!parsed.success) throw new SlaProofError(`the start input is not an incident: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

/**
 * A later run of a continued incident: the server says it continues the run before it, it
 * is judged by the same policy, and the clock events it carried are those the earlier
 * runs' histories show.
 */
function checkHandover(
  previous: HistoryJson,
  next: HistoryJson,
  input: IncidentWorkflowInput,
  first: IncidentWorkflowInput,
  derivedSoFar: readonly ProvenClockEvent[],
  run: number,
): string[] {
  const differences: string[] = [];
  const { runId } = runLinks(previous);
  const { continues } = runLinks(next);
  if (!input.continued || continues === undefined || continues !== runId) {
    differences.push(`run ${run} does not continue run ${run - 1} (${runId ?? 'unknown'}): the runs are not one incident's`);
    return differences;
  }
  if (JSON.stringify(input.sla) !== JSON.stringify(first.sla) || input.id !== first.id) {
    differences.push(`run ${run} is judged by another policy snapshot or incident than run 1`);
  }
  differences.push(...compareEvents(derivedSoFar, recordOf(input.continued.state).clockEvents).map((d) => `run ${run} carried in: ${d}`));
  return differences;
}

/** The clock events read from the history must be the ones the workflow wrote in its timeline, in order, at the same instants. */
function compareEvents(derived: readonly ProvenClockEvent[], recorded: readonly Pick<ClockEvent, 'type' | 'at' | 'reason'>[]): string[] {
  const differences: string[] = [];
  const length = Math.max(derived.length, recorded.length);
  for (let i = 0; i < length; i++) {
    const d = derived[i];
    const r = recorded[i];
    const show = (e: { type: string; at: string; reason?: string } | undefined) => (e ? `${e.type}${e.reason ? ` (${e.reason})` : ''} at ${e.at}` : 'nothing');
    if (!d || !r || d.type !== r.type || d.at !== r.at || (d.reason ?? null) !== (r.reason ?? null)) {
      differences.push(`clock event ${i + 1}: the history shows ${show(d)}${d ? ` (event #${d.eventId})` : ''}, the workflow recorded ${show(r)}`);
    }
  }
  return differences;
}
