import { z } from 'zod';
import { SEOUL_OFFSET_MINUTES, SEOUL_TIME_ZONE } from '../calendar/seoul';

/**
 * The SLA vocabulary shared by the API, the incident workflow and the clock.
 * Everything here is plain data so it can cross the workflow boundary and be
 * recorded in history as the snapshot an incident is judged by.
 */

export const Severity = z.enum(['P1', 'P2', 'P3', 'P4']);
export type Severity = z.infer<typeof Severity>;

export const Complexity = z.enum(['simple', 'complex']);
export type Complexity = z.infer<typeof Complexity>;

export const ClockKind = z.enum(['24x7', 'business']);
export type ClockKind = z.infer<typeof ClockKind>;

export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

/** A real calendar date, not just the YYYY-MM-DD shape (2026-02-30 and 2026-13-01 are refused). */
export const CalendarDate = IsoDate.pipe(
  z.string().refine((d) => {
    // A month or day out of range is an Invalid Date, or rolls over into another day.
    const day = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(d);
  }, 'not a calendar date'),
);

/** The targets are stored in PostgreSQL `integer` columns: a larger number is a bad request, not a database error. */
const Seconds = z.number().int().positive().max(2_147_483_647);

export const SlaPolicy = z.object({
  clock: ClockKind,
  responseTargetSeconds: Seconds,
  restoreTargetSeconds: Seconds,
  /** P1/P2 send a status report to the customer at this interval until resolved; null = none. */
  statusReportIntervalSeconds: Seconds.nullable().default(null),
});
export type SlaPolicy = z.infer<typeof SlaPolicy>;

/** What an incident is judged by, frozen when it opens. */
export const SlaSnapshot = SlaPolicy.extend({
  severity: Severity,
  complexity: Complexity,
  autoCloseAfterSeconds: z.number().int().positive(),
  calendar: z.lazy(() => BusinessCalendar),
  /**
   * The configuration history's last SLA policy, auto-close or holiday change when the incident
   * opened (GET /api/v1/config/history?at=): what it was judged by. Absent on incidents opened before issue 17.
   */
  configVersion: z.number().int().optional(),
});
export type SlaSnapshot = z.infer<typeof SlaSnapshot>;

/**
 * Business hours: Mon–Fri 09:00–18:00 in a fixed UTC offset (Asia/Seoul is +09:00
 * and has kept no daylight saving since 1988), minus holidays.
 */
export const BusinessCalendar = z.object({
  timezone: z.literal(SEOUL_TIME_ZONE).default(SEOUL_TIME_ZONE),
  utcOffsetMinutes: z.number().int().default(SEOUL_OFFSET_MINUTES),
  /** ISO weekday numbers, 1 = Monday … 7 = Sunday. */
  workdays: z.array(z.number().int().min(1).max(7)).default([1, 2, 3, 4, 5]),
  dayStart: z
    .string()
    .regex(/^\d{2}:\d{2}$/)
    .default('09:00'),
  dayEnd: z
    .string()
    .regex(/^\d{2}:\d{2}$/)
    .default('18:00'),
  /** Non-working dates, local to the calendar's zone. */
  holidays: z.array(IsoDate),
  /** Content hash of the holiday list, so an auditor knows which calendar judged an incident. */
  version: z.string(),
});
export type BusinessCalendar = z.infer<typeof BusinessCalendar>;

/** The transitions the clock cares about, in the order they happened. */
export const ClockEventType = z.enum(['opened', 'assigned', 'started', 'pended', 'resumed', 'resolved', 'reopened', 'closed', 'cancelled']);
export type ClockEventType = z.infer<typeof ClockEventType>;

export const PendReason = z.enum(['customer', 'vendor']);
export type PendReason = z.infer<typeof PendReason>;

export interface ClockEvent {
  /** ISO-8601 instant. */
  at: string;
  type: ClockEventType;
  /** Only on 'pended'. */
  reason?: PendReason;
  /** Position in the incident timeline, cited in explanations. */
  seq?: number;
}

export const WARNING_PERCENTS = [50, 75, 90] as const;
export const THRESHOLD_PERCENTS = [50, 75, 90, 100] as const;
export type ThresholdPercent = (typeof THRESHOLD_PERCENTS)[number];

export interface CountedInterval {
  from: string;
  to: string;
  /** Seconds that count towards the target: wall seconds on 24×7, business seconds otherwise. */
  seconds: number;
  /** Sequence number of the event that started this interval. */
  sinceSeq?: number;
}

export interface ClockState {
  name: 'response' | 'restore';
  targetSeconds: number;
  elapsedSeconds: number;
  /** Counting now. */
  running: boolean;
  /** Not counting because of a customer pend (restore clock only). */
  paused: boolean;
  /** Met: the clock's goal event happened (assigned / resolved) and it is not running. */
  stopped: boolean;
  /** The event that stopped the clock ('assigned', 'resolved', … or 'cancelled', which is not "met"); absent while not stopped. */
  stoppedBy?: ClockEventType;
  /** The instant elapsed reaches the target: exact when reached, projected if running, null if paused or stopped short. */
  dueAt: string | null;
  breached: boolean;
  /** For each of 50/75/90/100 %: when it was (or, if running, will be) reached; null if not reached and not projected. */
  thresholds: Array<{ percent: ThresholdPercent; at: string | null; reached: boolean }>;
  intervals: CountedInterval[];
}

export interface SlaResult {
  clock: ClockKind;
  response: ClockState;
  restore: ClockState;
  /** Human-readable lines that explain the figures (intervals counted, pauses, holidays skipped). */
  explanation: string[];
}
