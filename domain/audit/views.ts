import { z } from 'zod';
import { ClockEventType, ClockKind, Complexity, PendReason, Severity } from '../sla/model';

/**
 * What the audit routes answer, as zod schemas: the OpenAPI document shows them and the console's
 * client is typed by them. Each mirrors a domain type (ChainLink, ChainVerdict, ArchivedHistory,
 * StoredHistory, TimelineLine, SlaProof); the routes check their answers against these types.
 */

const Instant = z.string().datetime();
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

/** One entry of the hash-chained audit log, with the hashes that link it. */
export const AuditEntryView = z.object({
  seq: z.number().int(),
  at: Instant,
  actor: z.string(),
  actorRole: z.string(),
  action: z.string(),
  subject: z.string().nullable(),
  requestId: z.string().nullable(),
  remote: z.string().nullable(),
  details: z.record(z.unknown()),
  prevHash: Sha256,
  hash: Sha256,
});

export const AuditLogPage = z.object({ items: z.array(AuditEntryView), total: z.number().int() });
export type AuditLogPage = z.infer<typeof AuditLogPage>;

/** The re-walk of the chain: intact (how many entries, the last hash), or the first link that does not follow and why. */
export const ChainVerdictView = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), checked: z.number().int(), lastHash: Sha256 }),
  z.object({
    ok: z.literal(false),
    /** Entries verified before the broken one. */
    checked: z.number().int(),
    brokenAt: z.number().int(),
    cause: z
      .enum(['unlinked', 'changed'])
      .describe('unlinked: its prev_hash is not the hash before it (reordered, removed); changed: its fields no longer give its hash'),
    reason: z.string(),
  }),
]);

/** An archived (closed) workflow run, without its history. */
export const ArchivedWorkflow = z.object({
  runId: z.string(),
  workflowId: z.string(),
  workflowType: z.string(),
  businessKey: z.string().nullable(),
  status: z.string(),
  startedAt: Instant,
  closedAt: Instant,
  events: z.number().int(),
  sha256: Sha256,
});

export const ArchivedWorkflowPage = z.object({ items: z.array(ArchivedWorkflow), total: z.number().int() });
export type ArchivedWorkflowPage = z.infer<typeof ArchivedWorkflowPage>;

/** Which stored history an answer comes from (everything but the history itself). */
export const HistoryProvenance = z.object({
  source: z.enum(['archive', 'export']),
  workflowId: z.string(),
  runId: z.string(),
  workflowType: z.string(),
  status: z.string(),
  events: z.number().int(),
  sha256: Sha256,
  /** The run's close for an archive, the export's time otherwise. */
  capturedAt: Instant,
});

export const TimelineView = HistoryProvenance.extend({
  timeline: z.array(
    z.object({
      eventId: z.number().int(),
      at: Instant,
      atSeoul: z.string(),
      event: z.string(),
      actor: z.string().nullable(),
      summary: z.string(),
    }),
  ),
});
export type TimelineView = z.infer<typeof TimelineView>;

export const HistoryExportView = z.object({
  id: z.string(),
  runId: z.string(),
  workflowId: z.string(),
  workflowType: z.string(),
  businessKey: z.string().nullable(),
  status: z.string(),
  startedAt: Instant,
  events: z.number().int(),
  sha256: Sha256,
  exportedBy: z.string(),
  reason: z.string(),
  exportedAt: Instant,
  /** False when the same events had been exported before (that export is returned). */
  created: z.boolean(),
});
export type HistoryExportView = z.infer<typeof HistoryExportView>;

/** Counted seconds are exact to the millisecond (instants carry milliseconds): a proof does not round. */
const ProvenClock = z.object({
  targetSeconds: z.number().int(),
  elapsedSeconds: z.number().nonnegative(),
  breached: z.boolean(),
  dueAt: Instant.nullable(),
  stoppedBy: z.string().nullable(),
  intervals: z.array(
    z.object({
      from: Instant,
      to: Instant,
      seconds: z.number().nonnegative(),
      fromEventId: z.number().int().nullable(),
      toEventId: z.number().int().nullable(),
    }),
  ),
});

/** An incident's SLA recomputed from its stored history alone, and whether it matches what the workflow recorded. */
export const SlaProofView = z.object({
  history: HistoryProvenance,
  incidentId: z.string(),
  policy: z.object({
    severity: Severity,
    complexity: Complexity,
    clock: ClockKind,
    responseTargetSeconds: z.number().int(),
    restoreTargetSeconds: z.number().int(),
    statusReportIntervalSeconds: z.number().int().nullable(),
    autoCloseAfterSeconds: z.number().int(),
    configVersion: z.number().int().optional().describe('the configuration history entry in force when the incident opened'),
  }),
  calendar: z.object({
    version: z.string(),
    recomputedVersion: z.string(),
    versionMatches: z.boolean(),
    timezone: z.string(),
    workdays: z.array(z.number().int()),
    dayStart: z.string(),
    dayEnd: z.string(),
    holidays: z.number().int(),
  }),
  asOf: Instant,
  recordedAt: z.object({ eventId: z.number().int(), kind: z.string() }).nullable(),
  runs: z.array(z.string()),
  clockEvents: z.array(z.object({ type: ClockEventType, at: Instant, reason: PendReason.optional(), eventId: z.number().int(), run: z.number().int() })),
  recomputed: z.object({ response: ProvenClock, restore: ProvenClock }),
  recorded: z
    .object({
      breached: z.object({ response: z.boolean(), restore: z.boolean() }),
      breachDueAt: z.object({ response: Instant.nullable(), restore: Instant.nullable() }),
    })
    .nullable(),
  matches: z.boolean(),
  differences: z.array(z.string()),
  explanation: z.array(z.string()),
});
export type SlaProofView = z.infer<typeof SlaProofView>;
