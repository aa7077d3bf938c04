import { businessDaysBetween, compileCalendar, type BusinessDay, type CompiledCalendar } from '../calendar/business-time';
import { clockMath, type ClockMath } from '../calendar/clock-math';
import { koreanHolidayName } from '../calendar/holidays-kr';
import { formatInstant, formatLocal, formatLocalRange, isoWeekdayOfDay, dayOfIsoDate, parseInstant, zoneLabel } from '../calendar/local-time';
import {
  THRESHOLD_PERCENTS,
  type BusinessCalendar,
  type ClockEvent,
  type ClockEventType,
  type ClockKind,
  type ClockState,
  type SlaResult,
  type ThresholdPercent,
} from './model';
import { SEOUL_OFFSET_MINUTES } from '../calendar/seoul';

/**
 * The SLA clock: replays an incident's clock events up to `now` and says how much of each
 * target is used, whether it is breached, and when each warning threshold is (or will be)
 * reached. Pure and deterministic, so the incident workflow can call it on every transition.
 *
 * - response: runs from 'opened' until the first 'assigned' (or 'cancelled'; a 'started',
 *   'resolved' or 'closed' without an 'assigned' before it also ends the wait for a response).
 * - restore: runs from 'opened' until 'resolved'/'closed'/'cancelled'; a customer pend pauses
 *   it until 'resumed' (or 'started'); a vendor pend does not, because the vendor is the
 *   provider's responsibility; 'reopened' carries on from the elapsed total.
 * Events after `now` are ignored, so the same events answer "as of" any past instant.
 */

/** What the clock needs from an SlaSnapshot (which satisfies this type). */
export interface SlaClockTerms {
  clock: ClockKind;
  responseTargetSeconds: number;
  restoreTargetSeconds: number;
  /** Required for the business clock; on 24×7 only its offset is used, to print local times. */
  calendar?: BusinessCalendar;
}

export interface ComputeSlaInput {
  snapshot: SlaClockTerms;
  events: readonly ClockEvent[];
  now: string;
  /** Names of holidays for the explanation; defaults to the Korean public holiday data. */
  holidayName?: (date: string) => string | undefined;
}

export type ClockName = 'response' | 'restore';

type Phase = 'waiting' | 'running' | 'paused' | 'stopped';
type Action = 'start' | 'pause' | 'resume' | 'stop' | 'reopen' | 'keep-running' | 'ignore';

interface TimedEvent extends ClockEvent {
  ms: number;
}

interface Run {
  fromMs: number;
  toMs: number;
  sinceSeq?: number;
}

interface Track {
  name: ClockName;
  targetMs: number;
  phase: Phase;
  runs: Run[];
  /** The open run or pause: when and by which event it began. */
  since: TimedEvent | null;
  stoppedBy?: ClockEventType;
  countedMs: number;
  lines: string[];
}

interface Context {
  math: ClockMath;
  calendar: CompiledCalendar | null;
  offsetMinutes: number;
  holidayName: (date: string) => string | undefined;
}

const ANSWERED: ReadonlySet<ClockEventType> = new Set(['assigned', 'started', 'resolved', 'closed', 'cancelled']);
const RESTORE_ENDS: ReadonlySet<ClockEventType> = new Set(['resolved', 'closed', 'cancelled']);

function responseAction(phase: Phase, event: ClockEvent): Action {
  if (phase === 'waiting') return event.type === 'opened' ? 'start' : 'ignore';
  if (phase === 'running' && ANSWERED.has(event.type)) return 'stop';
  return 'ignore';
}

function restoreAction(phase: Phase, event: ClockEvent): Action {
  const customerPend = event.type === 'pended' && event.reason === 'customer';
  switch (phase) {
    case 'waiting':
      return event.type === 'opened' ? 'start' : 'ignore';
    case 'running':
      if (customerPend) return 'pause';
      if (event.type === 'pended') return 'keep-running';
      return RESTORE_ENDS.has(event.type) ? 'stop' : 'ignore';
    case 'paused':
      if (RESTORE_ENDS.has(event.type)) return 'stop';
      // A pend that is no longer on the customer (now on the vendor) counts again.
      if (event.type === 'pended' && !customerPend) return 'resume';
      return ['resumed', 'started', 'reopened'].includes(event.type) ? 'resume' : 'ignore';
    case 'stopped':
      return event.type === 'reopened' ? 'reopen' : 'ignore';
  }
}

export function computeSla(input: ComputeSlaInput): SlaResult {
  const { snapshot } = input;
  const nowMs = parseInstant(input.now);
  const calendar = snapshot.calendar;
  const context: Context = {
    math: clockMath(snapshot.clock, calendar),
    calendar: snapshot.clock === 'business' && calendar ? compileCalendar(calendar) : null,
    offsetMinutes: calendar?.utcOffsetMinutes ?? SEOUL_OFFSET_MINUTES,
    holidayName: input.holidayName ?? ((date) => koreanHolidayName(date)),
  };
  const timed = input.events.map((event) => ({ ...event, ms: parseInstant(event.at) })).sort((a, b) => a.ms - b.ms); // stable: same-instant events keep their given order
  const known = timed.filter((event) => event.ms <= nowMs);

  const explanation = [`as of ${formatLocal(nowMs, context.offsetMinutes)} ${zoneLabel(context.offsetMinutes)}`];
  if (known.length < timed.length) explanation.push(`ignored ${timed.length - known.length} event(s) after now`);

  const responseTrack = replay(newTrack('response', snapshot.responseTargetSeconds), known, nowMs, context, responseAction);
  const restoreTrack = replay(newTrack('restore', snapshot.restoreTargetSeconds), known, nowMs, context, restoreAction);
  const response = toState(responseTrack, nowMs, context);
  const restore = toState(restoreTrack, nowMs, context);
  explanation.push(...describeTerms(snapshot), ...responseTrack.lines, ...verdict(response, context), ...restoreTrack.lines, ...verdict(restore, context));
  return { clock: snapshot.clock, response, restore, explanation };
}

function newTrack(name: ClockName, targetSeconds: number): Track {
  if (!Number.isFinite(targetSeconds) || targetSeconds <= 0) throw new RangeError(`${name} target must be positive: ${targetSeconds}`);
  return { name, targetMs: targetSeconds * 1000, phase: 'waiting', runs: [], since: null, countedMs: 0, lines: [] };
}

function replay(track: Track, events: readonly TimedEvent[], nowMs: number, context: Context, actionOf: (phase: Phase, event: ClockEvent) => Action): Track {
  const say = (line: string) => track.lines.push(`${track.name}: ${line}`);
  const at = (ms: number) => `${formatLocal(ms, context.offsetMinutes)} ${zoneLabel(context.offsetMinutes)}`;
  for (const event of events) {
    const action = actionOf(track.phase, event);
    switch (action) {
      case 'start':
        say(`started ${at(event.ms)} by opened${cite(event)}`);
        track.phase = 'running';
        track.since = event;
        break;
      case 'pause':
        closeRun(track, event.ms, context);
        track.phase = 'paused';
        track.since = event;
        break;
      case 'resume':
        say(describePause(track.since!, event, context));
        if (event.type === 'pended') say(`now pending on ${event.reason ?? 'an unnamed party'}${cite(event)}: counting again`);
        track.phase = 'running';
        track.since = event;
        break;
      case 'keep-running':
        say(`pending on ${event.reason ?? 'an unnamed party'} from ${at(event.ms)}${cite(event)}: keeps counting (only a customer pend pauses)`);
        break;
      case 'stop':
        if (track.phase === 'running') closeRun(track, event.ms, context);
        else say(describePause(track.since!, event, context));
        say(`stopped ${at(event.ms)} by ${event.type}${cite(event)}`);
        track.phase = 'stopped';
        track.since = null;
        track.stoppedBy = event.type;
        break;
      case 'reopen':
        say(`reopened ${at(event.ms)}${cite(event)}: counting continues from ${seconds(track.countedMs)}`);
        track.phase = 'running';
        track.since = event;
        track.stoppedBy = undefined;
        break;
      case 'ignore':
        if (track.phase === 'waiting') say(`ignored ${event.type}${cite(event)} before the incident opened`);
        break;
    }
  }
  if (track.phase === 'running') closeRun(track, nowMs, context, 'still running');
  if (track.phase === 'paused') {
    say(`paused since ${at(track.since!.ms)} (pending on customer${cite(track.since!)}): not counting`);
  }
  if (track.phase === 'waiting') say('not started: no opened event yet');
  return track;
}

function closeRun(track: Track, toMs: number, context: Context, note?: string): void {
  const since = track.since!;
  const countedMs = context.math.msBetween(since.ms, toMs);
  track.runs.push({ fromMs: since.ms, toMs, sinceSeq: since.seq });
  track.countedMs += countedMs;
  const range = formatLocalRange(since.ms, toMs, context.offsetMinutes);
  const detail = `since ${ref(since)}${note ? `, ${note}` : ''}`;
  if (!context.calendar) {
    track.lines.push(`${track.name}: counted ${range} (${seconds(countedMs)}, 24×7, ${detail})`);
    return;
  }
  const days = businessDaysBetween(context.calendar, since.ms, toMs);
  const [only] = days;
  if (days.length === 1 && only.counted && only.counted.fromMs === since.ms && only.counted.toMs === toMs) {
    // Wholly inside one business window: one line says it all.
    track.lines.push(`${track.name}: counted ${range} (${seconds(countedMs)}, business hours, ${detail})`);
    return;
  }
  track.lines.push(`${track.name}: interval ${range} (${detail}): ${seconds(countedMs)} of business time`);
  for (const day of days) track.lines.push(`${track.name}: ${describeDay(day, context)}`);
}

function describeDay(day: BusinessDay, context: Context): string {
  if (day.kind === 'holiday') return `skipped holiday ${day.date} ${context.holidayName(day.date) ?? ''}`.trimEnd();
  if (day.kind === 'weekend') return `skipped weekend ${day.date} (${WEEKDAY_NAMES[isoWeekdayOfDay(dayOfIsoDate(day.date))]})`;
  if (!day.counted) return `nothing counted on ${day.date}: outside business hours`;
  const ms = day.counted.toMs - day.counted.fromMs;
  return `counted ${formatLocalRange(day.counted.fromMs, day.counted.toMs, context.offsetMinutes)} (${seconds(ms)}, business hours)`;
}

const WEEKDAY_NAMES = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function describePause(since: TimedEvent, end: TimedEvent, context: Context): string {
  const range = formatLocalRange(since.ms, end.ms, context.offsetMinutes);
  return `paused ${range} (pending on customer; ${ref(since)} → ${ref(end)})`;
}

function describeTerms(snapshot: SlaClockTerms): string[] {
  const calendar = snapshot.calendar;
  const clock =
    snapshot.clock === '24x7' || !calendar
      ? '24×7'
      : `business hours (workdays ${calendar.dayStart}–${calendar.dayEnd} ${zoneLabel(calendar.utcOffsetMinutes)}, holidays excluded, calendar ${calendar.version})`;
  return [`clock: ${clock}`, `targets: response ${seconds(snapshot.responseTargetSeconds * 1000)}, restore ${seconds(snapshot.restoreTargetSeconds * 1000)}`];
}

function toState(track: Track, nowMs: number, context: Context): ClockState {
  const running = track.phase === 'running';
  const thresholds = THRESHOLD_PERCENTS.map((percent) => {
    const thresholdMs = (track.targetMs * percent) / 100;
    const reached = track.phase !== 'waiting' && track.countedMs >= thresholdMs;
    const atMs = reached
      ? instantWithin(track.runs, thresholdMs, context.math)
      : running
        ? context.math.addMs(nowMs, Math.ceil(thresholdMs - track.countedMs))
        : null;
    return { percent: percent as ThresholdPercent, at: atMs === null ? null : formatInstant(atMs), reached };
  });
  const due = thresholds[thresholds.length - 1];
  return {
    name: track.name,
    targetSeconds: track.targetMs / 1000,
    elapsedSeconds: track.countedMs / 1000,
    running,
    paused: track.phase === 'paused',
    stopped: track.phase === 'stopped',
    ...(track.stoppedBy ? { stoppedBy: track.stoppedBy } : {}),
    dueAt: due.at,
    breached: due.reached,
    thresholds,
    intervals: track.runs.map((run) => ({
      from: formatInstant(run.fromMs),
      to: formatInstant(run.toMs),
      seconds: context.math.msBetween(run.fromMs, run.toMs) / 1000,
      ...(run.sinceSeq === undefined ? {} : { sinceSeq: run.sinceSeq }),
    })),
  };
}

/** The instant the counted total reached `thresholdMs`, by walking the counted runs. */
function instantWithin(runs: readonly Run[], thresholdMs: number, math: ClockMath): number {
  let countedBefore = 0;
  for (const run of runs) {
    const runMs = math.msBetween(run.fromMs, run.toMs);
    if (countedBefore + runMs >= thresholdMs) return math.addMs(run.fromMs, Math.ceil(thresholdMs - countedBefore));
    countedBefore += runMs;
  }
  throw new Error(`threshold ${thresholdMs} ms is beyond the counted ${countedBefore} ms`);
}

/** The one-line bottom line of a clock; nothing for a clock that never started. */
function verdict(state: ClockState, context: Context): string[] {
  if (!state.running && !state.paused && !state.stopped) return [];
  const percent = Math.floor((state.elapsedSeconds / state.targetSeconds) * 100);
  const at = (iso: string) => `${formatLocal(parseInstant(iso), context.offsetMinutes)} ${zoneLabel(context.offsetMinutes)}`;
  const used = `elapsed ${state.elapsedSeconds} s of ${state.targetSeconds} s (${percent} %)`;
  const outcome = state.breached
    ? `breached at ${at(state.dueAt!)}`
    : state.running
      ? `due ${at(state.dueAt!)} if it keeps running`
      : state.paused
        ? 'due date suspended while paused'
        : state.stoppedBy === 'cancelled'
          ? 'cancelled before the target'
          : 'met';
  return [`${state.name}: ${used}: ${outcome}`];
}

function cite(event: ClockEvent): string {
  return event.seq === undefined ? '' : ` (#${event.seq})`;
}

function ref(event: ClockEvent): string {
  return event.seq === undefined ? event.type : `#${event.seq} ${event.type}`;
}

function seconds(ms: number): string {
  return `${ms / 1000} s`;
}

export interface ThresholdDue {
  clock: ClockName;
  percent: ThresholdPercent;
  at: string;
}

/**
 * The earliest threshold of a running clock that has not fired yet — the workflow's next
 * timer. A threshold already passed but not fired comes first, so it fires at once.
 */
export function nextThreshold(result: SlaResult, alreadyFired: ReadonlyArray<{ clock: ClockName; percent: number }>): ThresholdDue | null {
  const fired = new Set(alreadyFired.map((f) => `${f.clock}:${f.percent}`));
  let next: ThresholdDue | null = null;
  for (const state of [result.response, result.restore]) {
    if (!state.running) continue;
    for (const threshold of state.thresholds) {
      if (threshold.at === null || fired.has(`${state.name}:${threshold.percent}`)) continue;
      // Strictly earlier only: ties keep response before restore and lower percents first.
      if (next === null || parseInstant(threshold.at) < parseInstant(next.at)) {
        next = { clock: state.name, percent: threshold.percent, at: threshold.at };
      }
    }
  }
  return next;
}
